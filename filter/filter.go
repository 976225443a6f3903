package filter

import (
	"fmt"
	"regexp"
	"strings"
)

// Rules are include and exclude rules as written in the config. A rule is
// a keyword, optionally limited to one field ("title:", "summary:",
// "category:"), or a regular expression ("re:…", "title:re:…"), matched
// on normalised text without regard to case.
type Rules struct {
	Include []string
	Exclude []string
	// Extend adds a feed's include rules to the global ones instead of
	// replacing them.
	Extend bool
}

// Fields are the parts of an item the rules look at.
type Fields struct {
	Title      string
	Summary    string
	Categories []string
}

// Decision is the outcome for one item.
type Decision struct {
	Accepted bool
	Reason   string // why, in words a maintainer can act on
}

// Filter applies global rules and, per feed, that feed's rules. By default
// a feed's include list replaces the global one; exclude lists add up.
type Filter struct {
	include []rule
	exclude []rule
}

// field names a part of an item; "" is all of them.
type field string

const (
	anyField   field = ""
	titleField field = "title"
	summary    field = "summary"
	category   field = "category"
)

type rule struct {
	text  string // as configured, for reasons
	scope string // "global" or "feed"
	field field
	norm  string         // keyword, normalised
	re    *regexp.Regexp // or a regular expression
}

// ParseRule checks one rule as written in the config.
func ParseRule(s string) error {
	_, err := parseRule(s, "")
	return err
}

func parseRule(s, scope string) (rule, error) {
	r := rule{text: s, scope: scope}
	body := s
	for _, f := range []field{titleField, summary, category, "categories"} {
		if rest, ok := strings.CutPrefix(body, string(f)+":"); ok {
			r.field, body = f, rest
			if f == "categories" {
				r.field = category
			}
			break
		}
	}
	if expr, ok := strings.CutPrefix(body, "re:"); ok {
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil {
			return r, fmt.Errorf("regular expression %q: %w", expr, err)
		}
		r.re = re
		return r, nil
	}
	r.norm = Normalize(body)
	if r.norm == "" {
		return r, fmt.Errorf("empty keyword")
	}
	return r, nil
}

// New builds the filter for one feed; feed may be nil. Rules that do not
// parse are left out: the config is checked with ParseRule first.
func New(global Rules, feed *Rules) *Filter {
	f := &Filter{include: rules(global.Include, "global"), exclude: rules(global.Exclude, "global")}
	if feed != nil {
		if feed.Extend {
			f.include = append(f.include, rules(feed.Include, "feed")...)
		} else if len(feed.Include) > 0 {
			f.include = rules(feed.Include, "feed")
		}
		f.exclude = append(f.exclude, rules(feed.Exclude, "feed")...)
	}
	return f
}

func rules(texts []string, scope string) []rule {
	out := make([]rule, 0, len(texts))
	for _, t := range texts {
		if r, err := parseRule(t, scope); err == nil {
			out = append(out, r)
		}
	}
	return out
}

// normalised holds an item's fields normalised once.
type normalised map[field]string

func normalise(it Fields) normalised {
	cats := make([]string, len(it.Categories))
	for i, c := range it.Categories {
		cats[i] = Normalize(c)
	}
	n := normalised{titleField: Normalize(it.Title), summary: Normalize(it.Summary), category: strings.Join(cats, "\n")}
	n[anyField] = n[titleField] + "\n" + n[summary] + "\n" + n[category]
	return n
}

func (r rule) matches(n normalised) bool {
	text := n[r.field]
	if r.re != nil {
		return r.re.MatchString(text)
	}
	return contains(text, r.norm)
}

// Decide matches the item against the rules. Exclusion wins over
// inclusion; with no include rules every item not excluded is accepted.
func (f *Filter) Decide(it Fields) Decision {
	n := normalise(it)
	for _, r := range f.exclude {
		if r.matches(n) {
			return Decision{Reason: fmt.Sprintf("excluded by %q (%s filter)", r.text, r.scope)}
		}
	}
	if len(f.include) == 0 {
		return Decision{Accepted: true, Reason: "no include keywords: every item is accepted"}
	}
	for _, r := range f.include {
		if r.matches(n) {
			return Decision{Accepted: true, Reason: fmt.Sprintf("matched %q (%s filter)", r.text, r.scope)}
		}
	}
	return Decision{Reason: fmt.Sprintf("no include keyword matched (%s filter)", f.include[0].scope)}
}

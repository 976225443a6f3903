package filter

import "fmt"

// Rules are include and exclude keyword lists as written in the config.
type Rules struct {
	Include []string
	Exclude []string
}

// Decision is the outcome for one item.
type Decision struct {
	Accepted bool
	Reason   string // why, in words a maintainer can act on
}

// Filter applies global rules and, per feed, that feed's rules.
// The feed's include list replaces the global one; exclude lists add up.
type Filter struct {
	include []keyword
	exclude []keyword
}

type keyword struct {
	text  string // as configured, for reasons
	norm  string
	scope string // "global" or "feed"
}

// New builds the filter for one feed; feed may be nil.
func New(global Rules, feed *Rules) *Filter {
	f := &Filter{
		include: keywords(global.Include, "global"),
		exclude: keywords(global.Exclude, "global"),
	}
	if feed != nil {
		if len(feed.Include) > 0 {
			f.include = keywords(feed.Include, "feed")
		}
		f.exclude = append(f.exclude, keywords(feed.Exclude, "feed")...)
	}
	return f
}

func keywords(words []string, scope string) []keyword {
	out := make([]keyword, 0, len(words))
	for _, w := range words {
		if n := Normalize(w); n != "" {
			out = append(out, keyword{text: w, norm: n, scope: scope})
		}
	}
	return out
}

// Decide matches the item's texts (title, summary, categories...) against
// the rules. Exclusion wins over inclusion.
func (f *Filter) Decide(texts ...string) Decision {
	var all string
	for _, t := range texts {
		all += Normalize(t) + "\n"
	}
	for _, k := range f.exclude {
		if contains(all, k.norm) {
			return Decision{Reason: fmt.Sprintf("excluded by %q (%s filter)", k.text, k.scope)}
		}
	}
	if len(f.include) == 0 {
		return Decision{Accepted: true, Reason: "no include keywords: every item is accepted"}
	}
	for _, k := range f.include {
		if contains(all, k.norm) {
			return Decision{Accepted: true, Reason: fmt.Sprintf("matched %q (%s filter)", k.text, k.scope)}
		}
	}
	return Decision{Reason: fmt.Sprintf("no include keyword matched (%s filter)", f.include[0].scope)}
}

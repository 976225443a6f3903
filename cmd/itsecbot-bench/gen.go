package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// fixture is one captured feed document cut around its items, so that feeds
// of any length can be rebuilt from its real markup.
type fixture struct {
	name        string
	head, tail  []byte
	items       [][]byte
	contentType string
	japanese    bool // picks the keyword filter, as the production config does
}

// fixtureFiles are the captured feeds the generator cycles through: RSS 1.0
// (JVN, JVN iPedia, MyJVN, IPA, a Shift_JIS-declared one), RSS 2.0 and Atom,
// Japanese and English.
var fixtureFiles = []struct {
	name     string
	japanese bool
}{
	{"jvn-rss10.rdf", true},
	{"krebs-rss2.xml", false},
	{"jvndb-new-rss10.rdf", true},
	{"schneier-atom.xml", false},
	{"ipa-alert-rss10.rdf", true},
	{"cisa-advisories-rss2.xml", false},
	{"myjvn-getVulnOverviewList-2025.xml", true},
	{"thehackernews-rss2.xml", false},
	{"2ch-top10news-sjis-rss10.rdf", true},
	{"securityweek-rss2.xml", false},
}

func loadFixtures(dir string) ([]fixture, error) {
	var out []fixture
	for _, f := range fixtureFiles {
		doc, err := os.ReadFile(filepath.Join(dir, f.name))
		if err != nil {
			return nil, fmt.Errorf("load fixture: %w", err)
		}
		fx, err := splitFixture(f.name, doc)
		if err != nil {
			return nil, err
		}
		fx.japanese = f.japanese
		out = append(out, fx)
	}
	return out, nil
}

// splitFixture cuts doc into the markup before the first item, the items,
// and the markup after the last one.
func splitFixture(name string, doc []byte) (fixture, error) {
	fx := fixture{name: name, contentType: "application/rss+xml"}
	open, closing := []string{"<item>", "<item "}, "</item>"
	if bytes.Contains(doc, []byte("<entry>")) || bytes.Contains(doc, []byte("<entry ")) {
		open, closing = []string{"<entry>", "<entry "}, "</entry>"
		fx.contentType = "application/atom+xml"
	}
	pos, last := 0, -1
	for {
		start := indexAny(doc[pos:], open)
		if start < 0 {
			break
		}
		start += pos
		end := bytes.Index(doc[start:], []byte(closing))
		if end < 0 {
			return fx, fmt.Errorf("fixture %s: unclosed %s", name, closing)
		}
		end += start + len(closing)
		if last < 0 {
			fx.head = doc[:start]
		}
		fx.items = append(fx.items, doc[start:end])
		pos, last = end, end
	}
	if len(fx.items) == 0 {
		return fx, fmt.Errorf("fixture %s: no items", name)
	}
	fx.tail = doc[last:]
	return fx, nil
}

func indexAny(b []byte, subs []string) int {
	best := -1
	for _, s := range subs {
		if i := bytes.Index(b, []byte(s)); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

// render builds feed number feed listing the items numbered seqs, each item
// made from the fixture's items in turn with its own link, GUID, identifier
// and title.
func (fx *fixture) render(feed int, seqs []int) []byte {
	var b bytes.Buffer
	b.Write(fx.head)
	for _, s := range seqs {
		b.Write(uniqueItem(fx.items[s%len(fx.items)], feed, s))
		b.WriteByte('\n')
	}
	b.Write(fx.tail)
	return b.Bytes()
}

var trailingDigits = regexp.MustCompile(`\d+$`)

// uniqueItem rewrites one item's identity so that no two items of any feed
// share a link, GUID, title, JVN identifier or CVE id: each is a story of
// its own, as most items of a thousand feeds are. Links differ in a query
// parameter (a fragment would be the same page to the story matcher).
func uniqueItem(item []byte, feed, seq int) []byte {
	tag := fmt.Sprintf("b%d-%d", feed, seq)
	var pairs []string
	for _, v := range []string{elementText(item, "link"), elementText(item, "guid"),
		elementText(item, "id"), attrOf(item, "<link ", "href"), attrOf(item, "<item ", "rdf:about")} {
		if v != "" && !slices.Contains(pairs, v) {
			pairs = append(pairs, v, withParam(v, tag))
		}
	}
	for _, name := range []string{"sec:identifier", "dc:identifier"} {
		if id := elementText(item, name); id != "" && !slices.Contains(pairs, id) {
			pairs = append(pairs, id, renumber(id, feed*1000+seq))
		}
	}
	sortLongestFirst(pairs)
	out := strings.NewReplacer(pairs...).Replace(string(item))
	out = cveID.ReplaceAllString(out, fmt.Sprintf("CVE-2099-%d%03d$1", feed, seq))
	// JVN ids appear in identifiers, titles and link paths alike; all get
	// the same new number, so the item stays one story of its own.
	out = jvnID.ReplaceAllStringFunc(out, func(id string) string { return renumber(id, feed*1000+seq) })
	return []byte(markTitle(out, tag))
}

// cveID matches a CVE id; its number is rewritten per feed and item.
var cveID = regexp.MustCompile(`CVE-\d{4}-\d{4,7}(\b)`)

// jvnID matches a JVN or JVN iPedia id as titles, identifiers and URLs
// write it.
var jvnID = regexp.MustCompile(`\bJVN(?:DB-\d{4}-\d{6}|(?:VU|TA)?#?\d{8})\b`)

// withParam adds a query parameter to a link, or an attribute value that
// is one (a GUID that is not a URL gets a suffix).
func withParam(v, tag string) string {
	switch {
	case !strings.HasPrefix(v, "http"):
		return v + "-" + tag
	case strings.Contains(v, "?"):
		return v + "&amp;bench=" + tag
	default:
		return v + "?bench=" + tag
	}
}

// renumber replaces the identifier's trailing number by n, same width.
func renumber(id string, n int) string {
	loc := trailingDigits.FindStringIndex(id)
	if loc == nil {
		return id + "-" + strconv.Itoa(n)
	}
	width := loc[1] - loc[0]
	num := strconv.Itoa(n)
	if len(num) < width {
		num = strings.Repeat("0", width-len(num)) + num
	}
	return id[:loc[0]] + num
}

// sortLongestFirst orders old/new pairs so that a value that is a prefix of
// another is tried last by strings.Replacer.
func sortLongestFirst(pairs []string) {
	type pair struct{ old, new string }
	ps := make([]pair, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		ps = append(ps, pair{pairs[i], pairs[i+1]})
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return len(b.old) - len(a.old) })
	for i, p := range ps {
		pairs[2*i], pairs[2*i+1] = p.old, p.new
	}
}

// markTitle puts the tag at the start of the item's title.
func markTitle(item, tag string) string {
	i := strings.Index(item, "<title")
	if i < 0 {
		return item
	}
	j := strings.IndexByte(item[i:], '>')
	if j < 0 {
		return item
	}
	at := i + j + 1
	return item[:at] + "[" + tag + "] " + item[at:]
}

// elementText is the raw text of the first <name>...</name> (attributes
// allowed) in b, trimmed.
func elementText(b []byte, name string) string {
	s := string(b)
	for from := 0; ; {
		i := strings.Index(s[from:], "<"+name)
		if i < 0 {
			return ""
		}
		i += from + len(name) + 1
		from = i
		if i >= len(s) || (s[i] != '>' && s[i] != ' ') {
			continue // a longer name such as <link> vs <linkage>
		}
		gt := strings.IndexByte(s[i:], '>')
		end := strings.Index(s[i:], "</"+name+">")
		if gt < 0 || end < 0 || s[i+gt-1] == '/' {
			return ""
		}
		return strings.TrimSpace(s[i+gt+1 : i+end])
	}
}

// attrOf is the value of attr in the first tag starting with prefix.
func attrOf(b []byte, prefix, attr string) string {
	s := string(b)
	i := strings.Index(s, prefix)
	if i < 0 {
		return ""
	}
	end := strings.IndexByte(s[i:], '>')
	if end < 0 {
		return ""
	}
	tag := s[i : i+end]
	for _, q := range []string{`"`, `'`} {
		if k := strings.Index(tag, attr+"="+q); k >= 0 {
			v := tag[k+len(attr)+2:]
			if e := strings.Index(v, q); e >= 0 {
				return v[:e]
			}
		}
	}
	return ""
}

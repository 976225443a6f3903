// Package refs extracts what identifies a story across sources: its
// canonical URL, the CVE ids it names, and JVN / JVN iPedia identifiers.
// Items from different feeds that share a ref are one story.
//
// Refs are strings with a kind prefix ("url:", "cve:", "jvn:") so that
// they can be stored in one indexed column.
package refs

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxCVEs is how many CVE ids an item may name for them to identify its
// story. A monthly roundup naming dozens of CVEs ("Microsoft 製品の脆弱性
// 対策について") would otherwise glue unrelated stories together; its URL
// and JVN ids still count.
const MaxCVEs = 5

// Of returns the refs of an item: its canonical link, the CVE ids it
// names (cves, as the feed parser found them in references, title and
// summary), and the JVN ids found in texts and the link. The result is
// sorted and without duplicates.
func Of(link string, cves []string, texts ...string) []string {
	var out []string
	if u := CanonicalURL(link); u != "" {
		out = append(out, "url:"+u)
	}
	if cves = CVEs(cves...); len(cves) <= MaxCVEs {
		for _, c := range cves {
			out = append(out, "cve:"+c)
		}
	}
	for _, j := range JVNIDs(append([]string{link}, texts...)...) {
		out = append(out, "jvn:"+j)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// fold makes ids comparable: full-width ASCII to ASCII, the dashes and
// minus signs feeds write between the parts of an id to '-', and upper
// case. It is the part of NFKC that ids need, without its cost on long
// Japanese summaries.
func fold(s string) string { return strings.Map(foldRune, s) }

func foldRune(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A'
	case r >= '\uff01' && r <= '\uff5e': // full-width forms of ASCII
		return foldRune(r - 0xfee0)
	case r >= '\u2010' && r <= '\u2015', r == '\u2212', r == '\u30fc', r == '\uff70':
		return '-'
	}
	return r
}

// mentions reports whether text names prefix (upper-case ASCII) in any
// case or width: a test without allocation before the folding and the
// regular expression, which most texts never need.
func mentions(text, prefix string) bool {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c != prefix[0] && c != prefix[0]+'a'-'A' && c != 0xef { // 0xef starts full-width forms
			continue
		}
		rest, j := text[i:], 0
		for j < len(prefix) {
			r, size := utf8.DecodeRuneInString(rest)
			if size == 0 || foldRune(r) != rune(prefix[j]) {
				break
			}
			rest, j = rest[size:], j+1
		}
		if j == len(prefix) {
			return true
		}
	}
	return false
}

var cvePattern = regexp.MustCompile(`CVE-(\d{4})-(\d{4,7})`)

// CVEs returns the CVE ids named in texts, in the form CVE-2026-1234,
// sorted and without duplicates. Full-width forms and odd dashes count:
// "ＣＶＥ－２０２６－１２３４" is CVE-2026-1234.
func CVEs(texts ...string) []string {
	var out []string
	for _, t := range texts {
		if !mentions(t, "CVE") {
			continue
		}
		for _, m := range cvePattern.FindAllStringSubmatch(fold(t), -1) {
			out = append(out, "CVE-"+m[1]+"-"+m[2])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jvnPattern matches JVN ids as titles and URLs write them: JVN#84622767,
// JVNVU#91137775, JVNVU91137775 (in https://jvn.jp/vu/JVNVU91137775/),
// JVNTA#…, and JVN iPedia's JVNDB-2026-012345.
var jvnPattern = regexp.MustCompile(`\b(JVNDB-\d{4}-\d{6}|JVN(?:VU|TA)?#?\d{8})\b`)

// JVNIDs returns the JVN and JVN iPedia ids named in texts, written with a
// '#' (JVNVU#91137775) whether or not the source wrote one, sorted and
// without duplicates.
func JVNIDs(texts ...string) []string {
	var out []string
	for _, t := range texts {
		if !mentions(t, "JVN") {
			continue
		}
		for _, m := range jvnPattern.FindAllString(fold(t), -1) {
			if !strings.HasPrefix(m, "JVNDB-") && !strings.Contains(m, "#") {
				i := strings.IndexFunc(m, func(r rune) bool { return r >= '0' && r <= '9' })
				m = m[:i] + "#" + m[i:]
			}
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

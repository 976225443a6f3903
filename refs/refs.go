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

	"golang.org/x/text/unicode/norm"
)

// MaxCVEs is how many CVE ids an item may name for them to identify its
// story. A monthly roundup naming dozens of CVEs ("Microsoft 製品の脆弱性
// 対策について") would otherwise glue unrelated stories together; its URL
// and JVN ids still count.
const MaxCVEs = 5

// Of returns the refs of an item: its canonical link, the CVE ids and the
// JVN ids found in texts (title, summary, references) and the link. The
// result is sorted and without duplicates.
func Of(link string, texts ...string) []string {
	var out []string
	if u := CanonicalURL(link); u != "" {
		out = append(out, "url:"+u)
	}
	all := append([]string{link}, texts...)
	if cves := CVEs(all...); len(cves) <= MaxCVEs {
		for _, c := range cves {
			out = append(out, "cve:"+c)
		}
	}
	for _, j := range JVNIDs(all...) {
		out = append(out, "jvn:"+j)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dashes are the characters feeds write between the parts of an id:
// hyphen-minus after NFKC, and the dashes and minus signs NFKC keeps.
var dashes = strings.NewReplacer("\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-",
	"\u2015", "-", "\u2212", "-", "\u30fc", "-", "\uff70", "-")

// fold makes ids comparable: NFKC (full-width to ASCII), dashes to '-',
// upper case.
func fold(s string) string {
	return strings.ToUpper(dashes.Replace(norm.NFKC.String(s)))
}

var cvePattern = regexp.MustCompile(`CVE-(\d{4})-(\d{4,7})`)

// CVEs returns the CVE ids named in texts, in the form CVE-2026-1234,
// sorted and without duplicates. Full-width forms and odd dashes count:
// "ＣＶＥ－２０２６－１２３４" is CVE-2026-1234.
func CVEs(texts ...string) []string {
	var out []string
	for _, t := range texts {
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

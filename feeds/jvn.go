package feeds

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"

	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/itsecbot/itsecbot/refs"
)

var (
	xmlnsDecl  = regexp.MustCompile(`^xmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*(?:"([^"]*)"|'([^']*)')`)
	cveID      = regexp.MustCompile(`^(?i:CVE)-\d{4}-\d{4,}$`)
	cveInText  = regexp.MustCompile(`\b(?i:CVE)-\d{4}-\d{4,}\b`)
	cweID      = regexp.MustCompile(`^(?i:CWE)-[0-9A-Za-z]+$`)
	jvnID      = regexp.MustCompile(`^JVN[A-Z]*[#-][0-9A-Za-z#-]+$`)
	cvssPrefix = regexp.MustCompile(`^CVSS:(\d+\.\d+)/`)
)

// secKeys returns the keys under which gofeed files JVN `sec:` elements. gofeed
// keys extensions by the prefix the document bound (or by the namespace URI
// itself for a default namespace), so the bindings are read from the document.
func secKeys(doc []byte) []string {
	var keys []string
	// Find "xmlns" literally and match the declaration there: an unanchored
	// regexp over the whole document costs a quarter of the parse time.
	for rest := doc; ; {
		i := bytes.Index(rest, []byte("xmlns"))
		if i < 0 {
			return keys
		}
		rest = rest[i:]
		m := xmlnsDecl.FindSubmatch(rest[:min(len(rest), maxDeclLen)])
		rest = rest[len("xmlns"):]
		if m == nil || !isSecNamespace(string(m[2])+string(m[3])) {
			continue
		}
		keys = appendUnique(keys, strings.TrimSpace(string(m[2])+string(m[3])))
		if len(m[1]) > 0 {
			keys = appendUnique(keys, string(m[1]))
		}
	}
}

// maxDeclLen bounds one namespace declaration; real ones are under 100 bytes.
const maxDeclLen = 1024

// isSecNamespace accepts http://jvn.jp/rss/mod_sec/ and .../mod_sec/3.0/, with
// or without the trailing '#' or '/'.
func isSecNamespace(uri string) bool {
	u := strings.TrimSpace(uri)
	u = strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
	u = strings.TrimRight(u, "#/")
	return u == "jvn.jp/rss/mod_sec" || u == "jvn.jp/rss/mod_sec/3.0"
}

// secFields are the vulnerability fields of one JVN / JVN iPedia item.
type secFields struct {
	identifier string
	cves, cwes []string
	cvss       *CVSS
}

func extractSec(exts ext.Extensions, keys []string) secFields {
	var s secFields
	for _, key := range keys {
		elems := exts[key]
		for _, e := range elems["identifier"] {
			if s.identifier == "" {
				s.identifier = strings.TrimSpace(e.Value)
			}
		}
		for _, e := range elems["references"] {
			s.addReference(e)
		}
		for _, e := range elems["cvss"] {
			if c := parseCVSS(e); c != nil && betterCVSS(c, s.cvss) {
				s.cvss = c
			}
		}
	}
	return s
}

// addReference keeps CVE and CWE ids; other references (vendor advisories,
// JVN ids, "関連文書") are links, not identifiers of the flaw.
func (s *secFields) addReference(e ext.Extension) {
	id := strings.TrimSpace(e.Attrs["id"])
	switch {
	case cveID.MatchString(id):
		s.cves = appendUnique(s.cves, strings.ToUpper(id))
	case cweID.MatchString(id):
		s.cwes = appendUnique(s.cwes, "CWE-"+id[len("CWE-"):])
	case id == "" && strings.EqualFold(e.Attrs["source"], "CVE"):
		for _, c := range cveInText.FindAllString(e.Value, -1) {
			s.cves = appendUnique(s.cves, strings.ToUpper(c))
		}
	}
}

// parseCVSS reads a base-score `sec:cvss` element; nil when it is not one.
func parseCVSS(e ext.Extension) *CVSS {
	if t := e.Attrs["type"]; t != "" && !strings.EqualFold(t, "Base") {
		return nil
	}
	c := &CVSS{
		Version:  strings.TrimSpace(e.Attrs["version"]),
		Severity: strings.TrimSpace(e.Attrs["severity"]),
		Vector:   strings.TrimSpace(e.Attrs["vector"]),
	}
	score, err := strconv.ParseFloat(strings.TrimSpace(e.Attrs["score"]), 64)
	if err != nil || score < 0 || score > 10 {
		return nil
	}
	c.Score = score
	if c.Version == "" {
		c.Version = "2.0"
		if m := cvssPrefix.FindStringSubmatch(c.Vector); m != nil {
			c.Version = m[1]
		}
	}
	return c
}

// betterCVSS prefers the newer CVSS version (v3 over v2).
func betterCVSS(c, old *CVSS) bool {
	if old == nil {
		return true
	}
	v, _ := strconv.ParseFloat(c.Version, 64)
	o, _ := strconv.ParseFloat(old.Version, 64)
	return v > o
}

// dcIdentifier returns a JVN id from dc:identifier (jvn.rdf uses it instead
// of sec:identifier); other identifier schemes are ignored.
func dcIdentifier(ids []string) string {
	for _, id := range ids {
		if id = strings.TrimSpace(id); jvnID.MatchString(id) {
			return id
		}
	}
	return ""
}

// cvesIn finds CVE ids written in text, including full-width forms.
func cvesIn(text string) []string {
	return refs.CVEs(text)
}

// maxListLen caps an item's categories, CVEs and CWEs. Real items name a
// few dozen at most; the cap keeps appendUnique's linear search from turning
// quadratic on a summary that lists hundreds of thousands of CVE ids.
const maxListLen = 256

// appendUnique appends the non-empty vals not already in list, up to
// maxListLen entries.
func appendUnique(list []string, vals ...string) []string {
	for _, v := range vals {
		if len(list) >= maxListLen {
			break
		}
		if v != "" && !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

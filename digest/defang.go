package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Web addresses in feed text (titles, sources, identifiers) are shown
// defanged, in the convention of security feeds, so that no platform turns
// them into links: a title is a stranger's text, and a phishing address in
// it must not become one click in a post under our name. Only Story.URL,
// checked by cleanURL, is a live link.
//
// The rule, applied to text already cleaned:
//
//   - A scheme loses its power: http(s) becomes hxxp(s), ftp(s) fxp(s),
//     and any other "scheme://" becomes "scheme[://]" (Mastodon links
//     gemini://, ipfs:// and others too).
//   - After a scheme, every dot of the host becomes "[.]", whatever the
//     host is (an IP address, a name without a known TLD).
//   - Anywhere else, a dot between a label character (ASCII letter or
//     digit, '-', '_' or a Latin accented letter) and two ASCII letters
//     becomes "[.]": "example.com", "www.evil.example", "evil.example/a".
//     X links bare domains whose last label is a known TLD; the rule does
//     not consult the TLD list, so new TLDs are covered, and it holds for
//     every prefix too, so shortening a title cannot bring a domain back
//     ("foo.com…" from "foo.command" is "foo[.]com…" from "foo[.]command").
//   - Dots before a digit stay: versions ("2.4.58"), IP-like numbers,
//     "Ver.2.0"; so do dots before a single letter ("e.g.", "U.S.").
//   - File extensions in safeExtensions stay ("setup.exe", "Node.js").
//     Each was checked against the TLD list, itself and every prefix of two
//     letters or more, so that neither the name nor a shortened "setup.ex…"
//     is a domain. Extensions that are TLDs (or start with one) are
//     defanged: "README[.]md", "archive[.]zip", "index[.]html" ("ht").
//
// Mastodon and Bluesky link only addresses with a scheme (our Bluesky
// facets find http and https only); X also links bare domains. The tests
// check the result against the textlen extractors for all three.
func defang(s string) string {
	if !strings.ContainsAny(s, ".:") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	inHost := false // between "scheme://" and the end of the host
	for i := 0; i < len(s); {
		if n, repl := schemeAt(s, i); n > 0 {
			b.WriteString(repl)
			i += n
			inHost = true
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '.' && (inHost && hostDot(s, i) || domainDot(s, i)) {
			b.WriteString("[.]")
			i++
			continue
		}
		inHost = inHost && hostChar(r)
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// schemeAt matches "scheme://" at i, where no letter precedes, and
// returns its length and its defanged form. "0https://" is no link on any
// platform, but a reader would still see one.
func schemeAt(s string, i int) (int, string) {
	if !isASCIILetter(s[i]) || i > 0 && isASCIILetter(s[i-1]) {
		return 0, ""
	}
	j := i + 1
	for j < len(s) && schemeChar(s[j]) {
		j++
	}
	if !strings.HasPrefix(s[j:], "://") {
		return 0, ""
	}
	scheme := s[i:j]
	switch strings.ToLower(scheme) {
	case "http", "https", "ftp", "ftps":
		// Keep the case: HTTPS becomes HXXPS.
		return j + 3 - i, strings.NewReplacer("t", "x", "T", "X").Replace(scheme[:3]) + scheme[3:] + "://"
	case "hxxp", "hxxps", "fxp", "fxps":
		return j + 3 - i, scheme + "://"
	}
	return j + 3 - i, scheme + "[://]"
}

// domainDot reports a dot that would let a bare domain through: after a
// label character and before two ASCII letters that do not start a safe
// file extension.
func domainDot(s string, i int) bool {
	if i == 0 || i+2 >= len(s) || !isASCIILetter(s[i+1]) || !isASCIILetter(s[i+2]) {
		return false
	}
	if prev, _ := utf8.DecodeLastRuneInString(s[:i]); !labelChar(prev) {
		return false
	}
	end := i + 1
	for end < len(s) && isASCIIAlnum(rune(s[end])) {
		end++
	}
	return !safeExtensions[strings.ToLower(s[i+1:end])]
}

// hostDot reports a dot inside a host after a scheme, unless it is already
// written as "[.]" or "(.)".
func hostDot(s string, i int) bool {
	if i == 0 || i+1 >= len(s) {
		return false
	}
	p, n := s[i-1], s[i+1]
	return !(p == '[' && n == ']' || p == '(' && n == ')')
}

// safeExtensions are file extensions that no prefix of two letters or
// more turns into a TLD (checked by TestSafeExtensionsAreNotDomains).
var safeExtensions = map[string]bool{
	"exe": true, "dll": true, "txt": true, "pdf": true, "log": true, "csv": true,
	"js": true, "json": true, "xml": true, "yml": true, "yaml": true,
	"xls": true, "xlsx": true, "ppt": true, "pptx": true, "jar": true, "jsp": true,
	"vbs": true, "lnk": true, "apk": true, "rpm": true, "tar": true, "gz": true,
	"xz": true, "rar": true, "go": true, "rb": true, "cpp": true,
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func schemeChar(c byte) bool {
	return isASCIILetter(c) || c >= '0' && c <= '9' || c == '+' || c == '-'
}

// labelChar is what may end the label before a domain's dot, as X's
// extractor reads domains: ASCII letters and digits, '-', '_', and (a
// little more widely than twitter-text) Latin letters with accents and
// combining marks.
func labelChar(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return isASCIIAlnum(r) || r == '-' || r == '_'
	case r >= 0xC0 && r <= 0x2BB && r != 0xD7 && r != 0xF7, r >= 0x300 && r <= 0x36F, r >= 0x1E00 && r <= 0x1EFF:
		return true
	}
	return false
}

// hostChar is what may continue a host after a scheme; a path, white
// space, quotes or CJK punctuation end it.
func hostChar(r rune) bool {
	switch {
	case unicode.IsSpace(r), strings.ContainsRune("/?#\\\"'<>", r):
		return false
	case r >= 0x3000 && r <= 0x303F, r >= 0xFF01 && r <= 0xFF65:
		return false
	}
	return true
}

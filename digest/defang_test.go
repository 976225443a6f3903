package digest

import (
	"flag"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/textlen"
	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

func TestDefang(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"https link", "https://evil.example/phish", "hxxps://evil[.]example/phish"},
		{"upper case kept", "HTTPS://Evil.Example/A", "HXXPS://Evil[.]Example/A"},
		{"http", "見て http://ex.jp/x です", "見て hxxp://ex[.]jp/x です"},
		{"ftp", "ftp://files.evil.example/a.txt", "fxp://files[.]evil[.]example/a.txt"},
		{"other scheme", "gemini://evil.example/", "gemini[://]evil[.]example/"},
		{"ip address host", "http://192.168.0.1/admin", "hxxp://192[.]168[.]0[.]1/admin"},
		{"idn host", "https://例え.テスト/", "hxxps://例え[.]テスト/"},
		{"already defanged", "hxxps://evil[.]example/x", "hxxps://evil[.]example/x"},
		{"half defanged", "hxxps://evil.example", "hxxps://evil[.]example"},
		{"scheme after japanese", "詳細はhttps://evil.example", "詳細はhxxps://evil[.]example"},
		{"bare domain with path", "evil.example/path", "evil[.]example/path"},
		{"www", "www.evil.example", "www[.]evil[.]example"},
		{"domain in japanese", "「example.com」を騙るメール", "「example[.]com」を騙るメール"},
		{"glued to japanese", "詳細はexample.comへ", "詳細はexample[.]comへ"},
		{"path file name", "https://evil.example/a/index.html", "hxxps://evil[.]example/a/index[.]html"},
		{"e-mail", "user@example.com", "user@example[.]com"},
		{"tld that is an extension", "README.md と archive.zip", "README[.]md と archive[.]zip"},
		{"framework name on a tld", "ASP.NET Core", "ASP[.]NET Core"},
		{"cut would make a domain", "foo.command", "foo[.]command"},
		{"latin accent", "café.com", "café[.]com"},
		{"version", "update to 2.4.58", "update to 2.4.58"},
		{"versions", "Apache HTTP Server 2.4.58 / Chrome 120.0.6099.129 / Ver.2.0", "Apache HTTP Server 2.4.58 / Chrome 120.0.6099.129 / Ver.2.0"},
		{"identifiers", "CVE-2024-1234 JVNDB-2024-000001 RHSA-2024:1234", "CVE-2024-1234 JVNDB-2024-000001 RHSA-2024:1234"},
		{"file names", "setup.exe と readme.txt、file.tar.gz", "setup.exe と readme.txt、file.tar.gz"},
		{"framework names", "Node.js と .NET", "Node.js と .NET"},
		{"abbreviations", "e.g. U.S. No.1", "e.g. U.S. No.1"},
		{"safe extension then domain", "setup.exe.evil.com", "setup.exe[.]evil[.]com"},
		{"domain then safe extension", "evil.com.exe", "evil[.]com.exe"},
		{"longer than a safe extension", "foo.exec", "foo[.]exec"},
		{"full stop", "evil。com", "evil。com"},
		{"sentence end", "Update now.", "Update now."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := defang(tt.in); got != tt.want {
				t.Errorf("defang(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Pieces of titles for the property test: links, bare domains, things
// that must stay, fragments that combine into links, and their neighbours.
var linkPieces = []string{
	"https://evil.example/phish", "http://ex.jp/x", "HTTPS://EVIL.EXAMPLE/A?b=c.d", "ftp://files.evil.example/",
	"gemini://evil.example", "ipfs://evil.example", "http://192.168.0.1/admin", "https://例え.テスト/パス",
	"https://t.co/abc", "hxxps://evil[.]example", "hxxps://evil.example/x", "http://localhost:8080/",
	"evil.example/path", "www.evil.example", "example.com", "EXAMPLE.COM", "socket.io", "ASP.NET", "README.md",
	"archive.zip", "x.com", "a.co", "evil.xn--p1ai", "café.com", "sub_domain.example.jp", "foo.command",
	"t.co/x", "user@example.com", "setup.exe", "readme.txt", "Node.js", "file.tar.gz", "2.4.58", "1.2.3",
	"CVE-2024-1234", "Ver.2.0", "e.g.", "U.S.", ".NET", "report.docx", "song.mp3",
	"http", "https", "ftp", "://", ":", "/", "//", "www", ".", "com", "jp", "evil", "example", "co", "io",
	"[.]", "exe", "txt", "\u200b", "\u00a0", " ", " ", " ", "", "\u3000", "詳細は", "へ", "(", ")", "「", "」",
	"。", ",", "-", "_", "@", "#", "＠", "＃", "a", "1", "x", "日本", "é", "\u0301", "🔥",
}

func randomLinkTitle(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.IntN(12) {
		b.WriteString(linkPieces[r.IntN(len(linkPieces))])
	}
	return b.String()
}

// linkFinders are the project's URL extractors, reached through textlen's
// exported functions.
var linkFinders = []struct {
	name  string
	links func(text string) int // how many links the platform would make
}{
	{"mastodon", func(s string) int {
		// Every URL counts as urlChars characters, so the difference
		// between two values is the number of URLs.
		return textlen.MastodonLength("", s, 2) - textlen.MastodonLength("", s, 1)
	}},
	{"x", func(s string) int {
		// Every URL, bare domains included, weighs 23 instead of its
		// characters, so the weighted length departs from the sum of the
		// characters' weights exactly when a URL is found (unless a URL
		// happens to weigh exactly 23, which random titles make rare).
		if textlen.TwitterWeightedLength(s, false) != xCodePointWeights(s) {
			return 1
		}
		return 0
	}},
	{"bluesky", func(s string) int {
		n := 0
		for _, f := range textlen.BlueskyFacets(s) {
			if f.Kind == textlen.FacetLink {
				n++
			}
		}
		return n
	}},
	{"scheme", func(s string) int { // what Misskey links, and what a reader would click
		return len(liveScheme.FindAllString(s, -1))
	}},
}

var liveScheme = regexp.MustCompile(`(?i)(?:https?|ftps?)://`)

// xCodePointWeights is twitter-text's weighted length with no URL: 1 for
// code points in the config v2 light ranges, 2 for the others, after NFC.
func xCodePointWeights(s string) int {
	n := 0
	for _, r := range norm.NFC.String(s) {
		switch {
		case r <= 0x10FF, r >= 0x2000 && r <= 0x200D, r >= 0x2010 && r <= 0x201F, r >= 0x2032 && r <= 0x2037:
			n++
		default:
			n += 2
		}
	}
	return n
}

var linkTitles = flag.Int("link-titles", 1000, "random titles TestNoLinksInCleanedText checks (more for a long run)")

// TestNoLinksInCleanedText composes random titles out of links, bare
// domains and their fragments, and checks that no platform finds a link in
// the cleaned title, nor in any shortened form of it. It also checks that
// the raw titles did hold links for each platform, so the test tests
// something.
func TestNoLinksInCleanedText(t *testing.T) {
	cases := *linkTitles
	cutCases := cases / 10 // every cut of a title costs as much as a title
	if testing.Short() {
		cases, cutCases = cases/4, cutCases/4
	}
	start := time.Now()
	r := rand.New(rand.NewPCG(7, 11))
	raw := make([]int, len(linkFinders))
	for c := range cases {
		title := randomLinkTitle(r)
		clean := cleanText(title, c%5 == 0)
		for i, lf := range linkFinders {
			if lf.links(title) > 0 {
				raw[i]++
			}
		}
		checkNoLinks(t, title, clean)
		if c < cutCases {
			for _, cut := range cuts(clean) {
				checkNoLinks(t, title, cut)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	for i, lf := range linkFinders {
		if raw[i] < cases/20 {
			t.Errorf("%s finds links in only %d of %d raw titles; the generator tests too little", lf.name, raw[i], cases)
		}
	}
	t.Logf("%d titles in %v; raw titles with links: %v", cases, time.Since(start), raw)
}

func checkNoLinks(t *testing.T, title, text string) {
	t.Helper()
	for _, lf := range linkFinders {
		if n := lf.links(text); n > 0 {
			t.Errorf("%s finds %d link(s) in %q (from %q)", lf.name, n, text, title)
		}
	}
}

// cuts returns text cut after each grapheme and ended with "…", as the
// shortener may show it.
func cuts(text string) []string {
	var out []string
	at, state := 0, -1
	for rest := text; rest != ""; {
		var c string
		c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		at += len(c)
		out = append(out, text[:at]+ellipsis)
	}
	return out
}

// TestSafeExtensionsAreNotDomains checks the extensions left alone: X must
// find no link in a file name with one, nor in any shortened form of it.
func TestSafeExtensionsAreNotDomains(t *testing.T) {
	x := linkFinders[1]
	if x.links("setup.com") == 0 {
		t.Fatal("X finds no link in setup.com; the check tests nothing")
	}
	for ext := range safeExtensions {
		for _, name := range []string{"setup." + ext, "Setup." + strings.ToUpper(ext)} {
			if got := defang(name); got != name {
				t.Errorf("defang(%q) = %q, want it unchanged", name, got)
			}
			for _, s := range append(cuts(name), name, "see "+name+" now") {
				if x.links(s) > 0 {
					t.Errorf("X links %q: %q is not a safe extension", s, ext)
				}
			}
		}
	}
}

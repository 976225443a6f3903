package feeds

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rssItem wraps inner in an RSS 2.0 item that declares the x: namespace.
func rssItem(inner string) []byte {
	return []byte(`<?xml version="1.0"?><rss version="2.0" xmlns:x="urn:x"><channel><title>t</title>` +
		`<item><title>i</title><link>https://x.example/1</link>` + inner + `</item></channel></rss>`)
}

// small are limits low enough to reach with short documents.
var small = limits{depth: 8, nodes: 40, attrs: 20, elementAttrs: 5, text: 100, joined: 1000}

func TestScanLimits(t *testing.T) {
	tests := []struct {
		name, doc string
		msg       string // "" = within the limits
	}{
		{"within", string(rssItem(`<x:a b="1"><x:c/></x:a>`)), ""},
		{"depth", string(rssItem(strings.Repeat("<x:a>", 6) + strings.Repeat("</x:a>", 6))), "elements nested deeper than 8"},
		{"depth of a self-closing element", string(rssItem(strings.Repeat("<x:a>", 5) + "<x:a/>" + strings.Repeat("</x:a>", 5))), "nested deeper than 8"},
		{"depth needs end tags to go down", string(rssItem(strings.Repeat("<x:a></x:a>", 30))), ""},
		{"nodes", string(rssItem(strings.Repeat("<x:a/>", 40))), "more than 40 elements and other markup nodes"},
		{"comments are nodes", string(rssItem(strings.Repeat("<!-- -->", 40))), "more than 40 elements"},
		{"attributes", string(rssItem(strings.Repeat(`<x:a b="1" c='2' d=3 e/>`, 6))), "more than 20 attributes"},
		{"attributes of one element", string(rssItem(`<x:a b="" c="" d="" e=""f="" g=""/>`)), "an element with more than 5 attributes"},
		{"text", string(rssItem("<description>" + strings.Repeat("a", 101) + "</description>")), "a text of more than 100 bytes"},
		{"CDATA", string(rssItem("<description><![CDATA[" + strings.Repeat("<", 101) + "]]></description>")), "a text of more than 100 bytes"},
		{"joined text", string(rssItem("<x:a>" + strings.Repeat("aaaaaaaaaa<!---->", 16) + "</x:a>")), "take more than 1000 bytes to join"},
		{"white space between root children is not joined", "<rss>" + strings.Repeat(strings.Repeat(" ", 90)+"<a/>", 30) + "</rss>", ""},
		{"line of the error", "<rss>\n<a>\n<b>\n<c>\n<d>\n<e>\n<f>\n<g>\n<h>\n<i>", "(at line 9, byte 34)"},
		{"JSON depth", `{"items":[{"a":` + strings.Repeat("[", 7) + strings.Repeat("]", 7) + `}]}`, "objects and arrays nested deeper than 8"},
		{"JSON nodes", `{"items":[` + strings.Repeat(`{},`, 20) + `{}]}`, "more than 40 objects, arrays and values"},
		{"JSON string", `{"title":"` + strings.Repeat("a", 101) + `"}`, "a string of more than 100 bytes"},
		{"JSON brackets in strings", `{"title":"` + strings.Repeat("[{,", 30) + `"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scan([]byte(tt.doc), small)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want ErrTooComplex saying %q", err, tt.msg)
			}
		})
	}
}

// TestScanSkipsWhatTheParserSkips: markup inside comments, CDATA, quoted
// values and declarations is not counted, but what follows them is.
func TestScanSkipsWhatTheParserSkips(t *testing.T) {
	tests := []struct {
		name, doc string
		want      structure
	}{
		{"comment", `<a><!-- <b><b><b> --><c/></a>`, structure{depth: 2, nodes: 3}},
		{"CDATA", `<a><![CDATA[<b><b>]]><c/></a>`, structure{depth: 2, nodes: 3}},
		{"quoted >", `<a t="x>y" u='<'><c/></a>`, structure{depth: 2, nodes: 2, attrs: 2}},
		{"doctype with internal subset", `<!DOCTYPE a [<!ENTITY e "<b>"> <!-- > --> ]><a><c/></a>`, structure{depth: 2, nodes: 3}},
		{"declaration starting with a quote", `<a><!"><b/></a>`, structure{depth: 2, nodes: 3}},
		{"processing instruction", `<?xml version="1.0"?><?x <b> ?><a/>`, structure{depth: 1, nodes: 3}},
		{"unterminated comment ends the scan", `<a><!-- <b><b>`, structure{depth: 1, nodes: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scan([]byte(tt.doc), defaultLimits)
			got.joined, got.text = 0, 0
			if err != nil || got != tt.want {
				t.Errorf("scan = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// TestParseTooComplex goes through Parse with the real limits.
func TestParseTooComplex(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		msg  string
	}{
		{"deeply nested extension elements", rssItem(strings.Repeat("<x:el>", 100) + strings.Repeat("</x:el>", 100)),
			"parse: document too complex: elements nested deeper than 64 (at line 1, byte 501)"},
		{"too many nodes", rssItem(strings.Repeat("<x:a/>", MaxNodes)), "more than 64000 elements"},
		// gofeed drops control characters while reading, turning "<!-\x01-"
		// into a comment; the scan must see the same bytes, not a
		// declaration whose quote hides the elements after it.
		{"control characters", rssItem("<!-\x01- \" -->" + strings.Repeat("<x:a/>", MaxNodes) + "<!-- \" -->"), "more than 64000 elements"},
		{"JSON items", []byte(`{"version":"https://jsonfeed.org/version/1.1","items":[` + strings.Repeat(`{},`, MaxNodes/2) + `{}]}`),
			"more than 64000 objects, arrays and values"},
		{"Shift_JIS", append([]byte(`<?xml version="1.0" encoding="Shift_JIS"?>`), rssItem(strings.Repeat("<x:a>", 65))...), "nested deeper than 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.body, ParseOptions{})
			if !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want ErrTooComplex saying %q", err, tt.msg)
			}
		})
	}
	page := []byte("<!DOCTYPE html><html><body>" + strings.Repeat("<p><br><img src=x>", 100) + "</body></html>")
	if _, err := Parse(page, ParseOptions{}); !errors.Is(err, ErrNotFeed) || !strings.Contains(err.Error(), "got an HTML page") {
		t.Errorf("HTML page with unclosed tags: err = %v, want ErrNotFeed (an HTML page, not a complex feed)", err)
	}
}

// TestRealFeedsWellWithinLimits scans every captured feed: the limits must
// leave room far above what real feeds need.
func TestRealFeedsWellWithinLimits(t *testing.T) {
	var files []string
	for _, dir := range []string{fixtureDir, sharedFixtureDir} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.*"))
		files = append(files, m...)
	}
	roomy := limits{depth: MaxDepth / 8, nodes: MaxNodes / 16, attrs: MaxAttrs / 16,
		elementAttrs: MaxElementAttrs / 16, text: MaxText / 16, joined: MaxJoinedText / 16}
	for _, name := range files {
		if strings.HasSuffix(name, ".md") {
			continue
		}
		body, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := toUTF8(body, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := scan(dropControls(doc), roomy); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDropControls(t *testing.T) {
	in := []byte("a\x00b\tc\nd\re\x1ff")
	if got := dropControls(in); !bytes.Equal(got, []byte("ab\tc\nd\ref")) {
		t.Errorf("dropControls = %q", got)
	}
	clean := []byte("<a>\t\n</a>")
	if got := dropControls(clean); &got[0] != &clean[0] {
		t.Error("dropControls copied a document without control characters")
	}
}

// BenchmarkScan compares the structure scan with the parse it guards, on
// the largest captured feeds.
func BenchmarkScan(b *testing.B) {
	for _, name := range []string{"krebs-rss2.xml", "schneier-atom.xml", "cisa-advisories-rss2.xml", "jvndb-new-rss10.rdf"} {
		doc, err := toUTF8(readFixture(b, name), "")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := scan(doc, defaultLimits); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

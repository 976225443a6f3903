package feeds

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(fixtureDir + "*.*")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, ".md") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
	}
	for _, tc := range encodingCases(f) {
		f.Add(tc.body, tc.contentType)
	}
	f.Add([]byte(`<rss><channel><item><title>&lt;script&gt;x&lt;/script&gt;`), "text/xml; charset=Shift_JIS")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := Parse(body, ParseOptions{ContentType: contentType})
		var pe *panicError
		if errors.As(err, &pe) {
			t.Fatalf("Parse panicked: %v", pe)
		}
		if err != nil {
			return
		}
		checkFuzzedFeed(t, feed)
	})
}

// checkFuzzedFeed asserts the invariants Parse promises for any input.
func checkFuzzedFeed(t *testing.T, feed *Feed) {
	keys := map[string]bool{}
	for i, it := range feed.Items {
		if it.Key == "" || keys[it.Key] {
			t.Fatalf("item %d: key %q empty or duplicated", i, it.Key)
		}
		keys[it.Key] = true
		for _, s := range []string{feed.Title, it.Title, it.Summary} {
			if !utf8.ValidString(s) || s != strings.TrimSpace(s) || strings.Contains(s, "  ") ||
				strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || removedRune(r) }) {
				t.Fatalf("item %d: text not normalised: %q", i, s)
			}
		}
		for _, d := range []time.Time{it.Published, it.Updated} {
			if d.Location() != time.UTC {
				t.Fatalf("item %d: date %v not in UTC", i, d)
			}
		}
		if it.CVSS != nil && (it.CVSS.Score < 0 || it.CVSS.Score > 10) {
			t.Fatalf("item %d: CVSS score %v out of range", i, it.CVSS.Score)
		}
	}
}

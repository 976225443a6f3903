package feeds

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParseNamesFormatAndEncoding(t *testing.T) {
	tests := []struct{ file, format, encoding string }{
		{"jvn-rss10.rdf", "rss 1.0", "utf-8"},
		{"cisa-advisories-rss2.xml", "rss 2.0", "utf-8"},
		{"schneier-atom.xml", "atom 1.0", "utf-8"},
		{"2ch-top10news-sjis-rss10.rdf", "rss 1.0", "shift_jis"},
	}
	for _, tt := range tests {
		body, err := os.ReadFile(filepath.Join("..", "testdata", "feeds", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(body, ParseOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if f.Format != tt.format || f.Encoding != tt.encoding {
			t.Errorf("%s: format %q, encoding %q; want %q, %q", tt.file, f.Format, f.Encoding, tt.format, tt.encoding)
		}
	}
}

package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"math"
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

// FuzzScan checks that the structure scan never counts less than what the
// parser's tokenizer (encoding/xml, non-strict, as gofeed sets it up; or
// encoding/json) would build before it stops, so no document can slip past
// the limits.
func FuzzScan(f *testing.F) {
	files, err := filepath.Glob(fixtureDir + "*.*")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && !strings.HasSuffix(name, ".md") {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`<a><!-- <b> --><![CDATA[<c>]]><d e="f>" g='<'/></a>`,
		`<!DOCTYPE a [<!ENTITY x "<b>"> <!-- > -->]><a x=y z><b/></a>`,
		"<!-\x01- \" --><a/><a/>\"",
		`<?pi <a> ?><a/><b></b></a>`,
		`{"items":[{"tags":["a","b"],"x":{"y":[1,2,[3]]}}]}`,
		`{"a":"\"{[,"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		doc := dropControls(body)
		got, err := scan(doc, unlimited)
		if err != nil {
			t.Fatalf("unlimited scan failed: %v", err)
		}
		var seen structure
		if firstByte(doc) == '{' {
			seen = jsonTokens(doc)
		} else {
			seen = xmlTokens(doc)
		}
		if seen.nodes > got.nodes || seen.depth > got.depth || seen.attrs > got.attrs || seen.text > got.text {
			t.Fatalf("scan counted %+v, the tokenizer saw %+v", got, seen)
		}
		if _, err := scan(doc, small); err != nil && !errors.Is(err, ErrTooComplex) {
			t.Fatalf("limited scan: %v", err)
		}
	})
}

// unlimited are limits no document reaches.
var unlimited = limits{depth: math.MaxInt, nodes: math.MaxInt, attrs: math.MaxInt, elementAttrs: math.MaxInt,
	text: math.MaxInt, joined: math.MaxInt64}

// xmlTokens counts what encoding/xml reads from doc before its first error.
func xmlTokens(doc []byte) structure {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	var seen structure
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return seen
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			seen.depth = max(seen.depth, depth)
			seen.attrs += len(tok.Attr)
			seen.nodes++
		case xml.EndElement:
			depth--
		case xml.Comment, xml.ProcInst, xml.Directive:
			seen.nodes++
		case xml.CharData:
			seen.text = max(seen.text, len(tok))
		}
	}
}

// jsonTokens counts what encoding/json reads from doc before its first error.
func jsonTokens(doc []byte) structure {
	d := json.NewDecoder(bytes.NewReader(doc))
	var seen structure
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return seen
		}
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '{' || tok == '[' {
				depth++
				seen.depth = max(seen.depth, depth)
				seen.nodes++
			} else {
				depth--
			}
		case string:
			seen.text = max(seen.text, len(tok))
		}
	}
}

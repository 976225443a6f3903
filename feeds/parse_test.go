package feeds

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	jvndb := readFixture(t, "jvndb-new-rss10.rdf")
	tests := []struct {
		name    string
		body    []byte
		notFeed bool
		msg     string
	}{
		{"truncated RSS 1.0", jvndb[:len(jvndb)/2], false, "parse: XML syntax error on line"},
		{"truncated RSS 2.0", []byte(`<rss version="2.0"><channel><title>t</title><item><title>x</ti`), false, "parse: XML syntax error on line 1"},
		{"HTML page", []byte("<!DOCTYPE html>\n<html><head><title>Not found</title></head><body>moved</body></html>"), true, "parse: not a feed: got an HTML page"},
		{"XHTML page", []byte(`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>`), true, "got an HTML page"},
		{"empty", []byte(" \n"), true, "parse: not a feed: empty document"},
		{"other XML", []byte(`<?xml version="1.0"?><sitemap/>`), true, "parse: not a feed: failed to detect feed type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, err := Parse(tt.body, ParseOptions{})
			if err == nil {
				t.Fatalf("Parse = %d items, want error", len(feed.Items))
			}
			if errors.Is(err, ErrNotFeed) != tt.notFeed || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q (ErrNotFeed %v), want %q (ErrNotFeed %v)", err, errors.Is(err, ErrNotFeed), tt.msg, tt.notFeed)
			}
		})
	}
}

func TestParseMergesDuplicates(t *testing.T) {
	doc := `<rss version="2.0"><channel><title>t</title>
<item><title>first</title><link>https://example.jp/a</link><category>x</category></item>
<item><title>other</title><link>https://example.jp/b</link></item>
<item><title>again</title><link>https://example.jp/a</link><description>filled later</description>
 <pubDate>2024-05-01T10:00:00+09:00</pubDate><category>y</category><category>x</category></item>
</channel></rss>`
	feed, err := Parse([]byte(doc), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Items) != 2 {
		t.Fatalf("got %d items, want 2", len(feed.Items))
	}
	a := feed.Items[0]
	if a.Title != "first" || a.Summary != "filled later" || !a.Published.Equal(utc("2024-05-01T01:00:00Z")) ||
		!slices.Equal(a.Categories, []string{"x", "y"}) {
		t.Errorf("merged item = %+v; want title from first copy, summary, date and categories filled from the second", a)
	}
	if feed.Items[1].Key != "https://example.jp/b" {
		t.Errorf("second key = %q, want document order kept", feed.Items[1].Key)
	}
}

func TestItemKey(t *testing.T) {
	tests := []struct {
		name string
		it   Item
		want string
	}{
		{"identifier first", Item{Identifier: "JVN#1", GUID: "g", Link: "l"}, "JVN#1"},
		{"then GUID", Item{GUID: "g", Link: "l"}, "g"},
		{"then link", Item{Link: "l"}, "l"},
		// sha256("t\ns")
		{"then content hash", Item{Title: "t", Summary: "s"}, "sha256:884c6308e4538ced31fc07d06ebfb34b6b37d60bf686949e3a76ef5680730b23"},
	}
	for _, tt := range tests {
		if got := itemKey(tt.it); got != tt.want {
			t.Errorf("%s: itemKey = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseAtomFallsBackToUpdated(t *testing.T) {
	doc := `<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">A &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; feed</title>
<entry><id>urn:1</id><title type="html">&lt;b&gt;Hi&lt;/b&gt; there</title><updated>2024-05-01T10:00:00+09:00</updated>
<content type="html">&lt;p&gt;body&lt;/p&gt;</content></entry></feed>`
	feed, err := Parse([]byte(doc), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	it := feed.Items[0]
	want := time.Date(2024, 5, 1, 1, 0, 0, 0, time.UTC)
	if feed.Title != "A <b>bold</b> feed" || it.Title != "Hi there" || it.Summary != "body" || it.Key != "urn:1" ||
		!it.Published.Equal(want) || !it.Updated.Equal(want) {
		t.Errorf("feed %q item %+v", feed.Title, it)
	}
}

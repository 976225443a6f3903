package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/store"
)

// story is what a reader should see of one story.
type story struct {
	ID, Title, Link string
	Published       time.Time
	Authors         []string
}

func TestCuratedFeedsRoundTripWithTheSameStories(t *testing.T) {
	cfg, _ := fixture(t, nil)
	ctx := context.Background()
	st, err := store.OpenReadOnly(ctx, cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := &pipeline.Cycle{Config: cfg, Store: st, Now: func() time.Time { return now }}
	stories, err := c.Curated(ctx, feedStories)
	if err != nil {
		t.Fatal(err)
	}
	var want []story
	for _, s := range stories {
		want = append(want, story{ID: storyID(s.Items[0]), Title: s.Best.Title, Link: s.Best.Link, Published: s.Published(), Authors: s.Sources})
	}
	if len(want) < 10 {
		t.Fatalf("the fixture has %d accepted stories; the test needs more", len(want))
	}
	srv := newServer(t, cfg, nil, now)
	for _, tt := range []struct{ path, feedType, contentType string }{
		{"/feed.atom", "atom", "application/atom+xml"},
		{"/feed.json", "json", "application/feed+json"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			code, h, body := get(t, srv, "GET", tt.path)
			if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), tt.contentType) {
				t.Fatalf("GET %s = %d %s", tt.path, code, h.Get("Content-Type"))
			}
			f, err := gofeed.NewParser().ParseString(body)
			if err != nil {
				t.Fatalf("gofeed cannot parse %s: %v\n%.500s", tt.path, err, body)
			}
			if f.FeedType != tt.feedType || f.Title != feedTitle || f.Language != "ja" {
				t.Errorf("feed: type %q, title %q, language %q", f.FeedType, f.Title, f.Language)
			}
			if f.FeedLink != "http://bot.example"+tt.path {
				t.Errorf("feed's own link = %q", f.FeedLink)
			}
			var got []story
			for _, it := range f.Items {
				s := story{ID: it.GUID, Title: it.Title, Link: it.Link}
				if it.PublishedParsed != nil {
					s.Published = *it.PublishedParsed
				}
				for _, a := range it.Authors {
					s.Authors = append(s.Authors, a.Name)
				}
				got = append(got, s)
			}
			if len(got) != len(want) {
				t.Fatalf("%d entries, want %d", len(got), len(want))
			}
			for i := range want {
				if g, w := got[i], want[i]; g.ID != w.ID || g.Title != w.Title || g.Link != w.Link ||
					!g.Published.Equal(w.Published.Truncate(time.Second)) || !slices.Equal(g.Authors, w.Authors) {
					t.Errorf("entry %d =\n%+v\nwant\n%+v", i, g, w)
				}
				if i > 0 && got[i].Published.After(got[i-1].Published) {
					t.Errorf("entry %d is newer than the one before it", i)
				}
			}
			cisco := f.Items[slices.IndexFunc(got, func(s story) bool { return len(s.Authors) == 4 })]
			for _, c := range []string{"CVE-2025-20333", "CVE-2025-20362", "kev", "#JPCERT", "#IPA"} {
				if !slices.Contains(cisco.Categories, c) {
					t.Errorf("the four-source story's categories %q lack %q", cisco.Categories, c)
				}
			}
			text := cisco.Description + cisco.Content
			for _, w := range []string{"情報源: JPCERT/CC / IPA / Cisco / Tenable", "悪用確認", "https://www.ipa.go.jp/"} {
				if !strings.Contains(text, w) {
					t.Errorf("the four-source story's text lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestCuratedFeedIsBoundedAndSkipsRejectedItems(t *testing.T) {
	cfg := loadConfig(t, t.TempDir())
	ctx := context.Background()
	st, err := store.Open(ctx, cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	f, _ := st.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	var items []store.Item
	for i := range feedStories + 10 {
		state := store.Accepted
		if i%7 == 0 {
			state = store.Rejected
		}
		it := store.Item{Key: fmt.Sprint(i), Title: fmt.Sprintf("脆弱性 %d", i), Link: fmt.Sprintf("https://jvn.example/%d", i),
			Published: now.Add(-time.Duration(i) * time.Hour), FirstSeen: now, State: state, Reason: "test"}
		it.Refs = store.RefsOf(it)
		items = append(items, it)
	}
	if _, err := st.AddItems(ctx, f.ID, items, true, now); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, _, body := get(t, newServer(t, cfg, nil, now), "GET", "/feed.json")
	feed, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Items) != feedStories || feed.Items[0].Title != "脆弱性 1" {
		t.Fatalf("%d items, first %q; want the newest %d accepted", len(feed.Items), feed.Items[0].Title, feedStories)
	}
	for _, it := range feed.Items {
		var n int
		fmt.Sscanf(it.Title, "脆弱性 %d", &n)
		if n%7 == 0 {
			t.Errorf("a rejected item is in the feed: %q", it.Title)
		}
	}
}

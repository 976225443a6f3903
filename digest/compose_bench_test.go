package digest_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/digest"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/textlen"
)

// benchStories makes n stories from captured feeds, Japanese and English,
// as the pipeline makes them from stored items.
func benchStories(b *testing.B, n int) []digest.Story {
	b.Helper()
	var base []digest.Story
	for _, name := range []string{"jvndb-new-rss10.rdf", "jvn-rss10.rdf", "krebs-rss2.xml", "ipa-alert-rss10.rdf"} {
		doc, err := os.ReadFile(filepath.Join("..", "testdata", "feeds", name))
		if err != nil {
			b.Fatal(err)
		}
		f, err := feeds.Parse(doc, feeds.ParseOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range f.Items {
			s := digest.Story{Source: f.Title, Title: it.Title, URL: it.Link, Identifier: it.Identifier,
				CVEs: it.CVEs, Published: it.Published, Tags: []string{"#JVN"}}
			if it.CVSS != nil {
				s.CVSSScore, s.CVSSSeverity = it.CVSS.Score, it.CVSS.Severity
			}
			base = append(base, s)
		}
	}
	out := make([]digest.Story, n)
	for i := range out {
		out[i] = base[i%len(base)]
		out[i].ID = int64(i + 1)
	}
	return out
}

// BenchmarkComposeLayouts composes a cycle's stories (max_stories 30, and a
// 100-story backlog) for Mastodon's 500 limit in both layouts.
func BenchmarkComposeLayouts(b *testing.B) {
	rule := textlen.Mastodon(500, 23)
	slot := time.Date(2026, 10, 8, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{30, 100} {
		stories := benchStories(b, n)
		for _, layout := range []digest.Layout{digest.Digest, digest.Each} {
			b.Run(string(layout)+"-"+itoa(n), func(b *testing.B) {
				opts := digest.Options{Layout: layout, Hashtags: []string{"#itsec_jp"}, Slot: slot}
				b.ReportAllocs()
				for b.Loop() {
					threads, err := digest.Compose(stories, rule, opts)
					if err != nil || len(threads) == 0 {
						b.Fatalf("Compose: %d threads, %v", len(threads), err)
					}
				}
			})
		}
	}
}

func itoa(n int) string {
	if n == 30 {
		return "30"
	}
	return "100"
}

package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/store"
)

func openBench(b *testing.B) *store.Store {
	b.Helper()
	s, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

var benchNow = time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)

// benchItems are n items shaped like JVN iPedia entries, keyed by prefix.
func benchItems(prefix string, n int) []store.Item {
	at := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	items := make([]store.Item, n)
	for i := range items {
		id := fmt.Sprintf("JVNDB-2026-%06d", i)
		items[i] = store.Item{
			Key: prefix + id, Title: "EdgeGallery/developer における信頼できないデータのデシリアライゼーションに関する脆弱性 " + id,
			Link:      "https://jvndb.jvn.jp/ja/contents/2026/" + prefix + id + ".html",
			Summary:   strings.Repeat("EdgeGallery/developer には、信頼できないデータのデシリアライゼーションに関する脆弱性が存在します。", 2),
			Published: at, FirstSeen: at, Identifier: id, CVEs: []string{"CVE-2026-34066"},
			CVSSScore: 9.8, CVSSSeverity: "Critical", CVSSVector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
			State: store.Accepted, Reason: "no include keywords: every item is accepted",
		}
		items[i].Refs = store.RefsOf(items[i])
	}
	return items
}

// BenchmarkAddItems stores 1,000 new items in one call (a feed's first poll
// of a long feed, or a backlog), each iteration into a new feed of the same
// database; and, as every later poll does, offers 1,000 already stored.
func BenchmarkAddItems(b *testing.B) {
	ctx := context.Background()
	b.Run("new-1000", func(b *testing.B) {
		s := openBench(b)
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			n++
			f, err := s.EnsureFeed(ctx, fmt.Sprintf("feed-%d", n), fmt.Sprintf("https://example.test/%d", n))
			if err != nil {
				b.Fatal(err)
			}
			added, err := s.AddItems(ctx, f.ID, benchItems(fmt.Sprintf("f%d-", n), 1000), true, benchNow)
			if err != nil || len(added) != 1000 {
				b.Fatalf("AddItems: %d added, %v", len(added), err)
			}
		}
		b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "items/s")
	})
	b.Run("known-1000", func(b *testing.B) {
		s := openBench(b)
		f, err := s.EnsureFeed(ctx, "feed", "https://example.test/feed")
		if err != nil {
			b.Fatal(err)
		}
		items := benchItems("", 1000)
		if _, err := s.AddItems(ctx, f.ID, items, true, benchNow); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if added, err := s.AddItems(ctx, f.ID, items, false, benchNow); err != nil || len(added) != 0 {
				b.Fatalf("AddItems: %d added, %v", len(added), err)
			}
		}
	})
}

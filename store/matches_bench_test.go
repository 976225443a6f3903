package store_test

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkMatches asks, as a feed's first poll does, which of its 50
// links other feeds already stored, against databases of growing size: an
// indexed lookup, whose cost must not grow with the items stored.
func BenchmarkMatches(b *testing.B) {
	ctx := context.Background()
	for _, stored := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("stored-%d", stored), func(b *testing.B) {
			s := openBench(b)
			for i := 0; i < stored; i += 1000 {
				f, err := s.EnsureFeed(ctx, fmt.Sprintf("feed-%d", i), fmt.Sprintf("https://example.test/%d", i))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.AddItems(ctx, f.ID, benchItems(fmt.Sprintf("f%d-", i), 1000), true, benchNow); err != nil {
					b.Fatal(err)
				}
			}
			nf, err := s.EnsureFeed(ctx, "new", "https://example.test/new")
			if err != nil {
				b.Fatal(err)
			}
			links := make([]string, 50)
			for i, it := range benchItems("new-", 50) {
				links[i] = "url:" + it.Link
			}
			b.ReportAllocs()
			for b.Loop() {
				if found, err := s.Matches(ctx, nf.ID, links); err != nil || len(found) != 0 {
					b.Fatalf("Matches: %v, %v", found, err)
				}
			}
		})
	}
}

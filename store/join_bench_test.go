package store_test

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkAddItemsSharedRefs stores feeds whose items all name one CVE,
// as when many sources tell one story: joining each new item to the
// earliest story must not cost more with every item already told.
func BenchmarkAddItemsSharedRefs(b *testing.B) {
	ctx := context.Background()
	s := openBench(b)
	n := 0
	add := func() {
		n++
		f, err := s.EnsureFeed(ctx, fmt.Sprintf("feed-%d", n), fmt.Sprintf("https://example.test/%d", n))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.AddItems(ctx, f.ID, benchItems(fmt.Sprintf("f%d-", n), 50), true, benchNow); err != nil {
			b.Fatal(err)
		}
	}
	for range 200 {
		add()
	}
	b.ReportAllocs()
	for b.Loop() {
		add()
	}
}

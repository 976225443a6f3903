package feeds

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseBudgetAcquire(t *testing.T) {
	b := NewParseBudget(100)
	ctx := context.Background()
	if err := b.Acquire(ctx, 60); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := b.Acquire(short, 60); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("60 of 100 taken, Acquire(60) = %v; want to wait until ctx ends", err)
	}
	if err := b.Acquire(ctx, 40); err != nil {
		t.Fatalf("Acquire(40) with 40 free: %v", err)
	}
	b.Release(60)
	b.Release(40)
	// More than the whole budget takes all of it instead of waiting forever.
	if err := b.Acquire(ctx, 1000); err != nil {
		t.Fatalf("Acquire(1000) on an idle budget of 100: %v", err)
	}
	short2, cancel2 := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel2()
	if err := b.Acquire(short2, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire(1) while an oversized request runs = %v, want to wait", err)
	}
	b.Release(1000)
	if err := b.Acquire(ctx, 100); err != nil {
		t.Fatalf("Release(1000) did not give the whole budget back: %v", err)
	}
}

func TestNewParseBudgetDefault(t *testing.T) {
	if got := NewParseBudget(0).size; got != DefaultParseBudget {
		t.Errorf("NewParseBudget(0) size = %d, want %d", got, DefaultParseBudget)
	}
	// Eight maximum-size documents must not be parsed at once.
	if one := parseCost(DefaultMaxBody, structure{}); 2*one <= DefaultParseBudget {
		t.Errorf("a %d-byte document is estimated at %d bytes: two fit in the default budget of %d", DefaultMaxBody, one, DefaultParseBudget)
	}
}

// TestBudgetParseWaits: a document's parse waits while the budget it needs
// is taken, and a document refused by the structure check does not wait.
func TestBudgetParseWaits(t *testing.T) {
	doc := readFixture(t, "krebs-rss2.xml")
	st, err := scan(doc, defaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	cost := parseCost(len(doc), st)
	b := NewParseBudget(cost * 3 / 2)
	ctx := context.Background()
	if err := b.Acquire(ctx, cost); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := b.Parse(short, doc, ParseOptions{}); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "wait for memory budget") {
		t.Fatalf("Parse with a third of the budget free = %v, want to wait for it", err)
	}
	hostile := rssItem(strings.Repeat("<x:a>", 100))
	if _, err := b.Parse(short, hostile, ParseOptions{}); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("Parse of a too complex document = %v, want ErrTooComplex without waiting", err)
	}
	b.Release(cost)
	feed, err := b.Parse(ctx, doc, ParseOptions{})
	if err != nil || len(feed.Items) == 0 {
		t.Fatalf("Parse with the budget free = %v items, %v", feed, err)
	}
	// The parse gave its share back.
	if err := b.Acquire(ctx, cost*3/2); err != nil {
		t.Fatal(err)
	}
}

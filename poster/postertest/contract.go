package postertest

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/itsecbot/itsecbot/poster"
)

// Harness is one Poster under test plus a view of what it really published
// (the fake server's statuses, a parsed transcript, ...).
type Harness struct {
	Poster poster.Poster
	// Published returns everything delivered so far, in order.
	Published func() []Published
}

// Sample texts mix what our posts contain: full- and half-width Japanese,
// emoji sequences, URLs and the hashtag.
var threadTexts = [2]string{
	"【注意喚起】ＸＸＸ製ﾙｰﾀにおけるOSコマンドインジェクションの脆弱性 CVE-2024-1234\nhttps://www.jpcert.or.jp/at/2024/at240001.html #itsec_jp",
	"続き: 影響を受ける製品 🇯🇵 👨‍👩‍👧 https://jvn.jp/vu/JVNVU12345678/ #itsec_jp",
}

// Run checks the behaviour every poster.Poster promises. newHarness must
// return a fresh poster (and platform) on each call.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("Name", func(t *testing.T) {
		if got := newHarness(t).Poster.Name(); got == "" {
			t.Error("Name() is empty")
		}
	})
	t.Run("RuleFitsSamples", func(t *testing.T) { testRule(t, newHarness(t)) })
	t.Run("Thread", func(t *testing.T) { testThread(t, newHarness(t)) })
	t.Run("TooLongIsRejected", func(t *testing.T) { testTooLong(t, newHarness(t)) })
	t.Run("CanceledIsNotDelivered", func(t *testing.T) { testCanceled(t, newHarness(t)) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, newHarness(t)) })
}

func testRule(t *testing.T, h Harness) {
	rule, err := h.Poster.Rule(t.Context())
	if err != nil {
		t.Fatalf("Rule: %v", err)
	}
	if rule == nil || rule.Limit() <= 0 {
		t.Fatalf("Rule() = %v, want a rule with a positive limit", rule)
	}
	for _, text := range threadTexts {
		if !rule.Fits(text) {
			t.Errorf("rule %s (limit %d) does not fit %q (length %d)", rule.Platform(), rule.Limit(), text, rule.Length(text))
		}
	}
	if long := tooLong(rule.Limit()); rule.Fits(long) {
		t.Errorf("rule fits a text of %d characters, limit %d", len([]rune(long)), rule.Limit())
	}
}

func tooLong(limit int) string { return strings.Repeat("あ", limit+1) }

func testThread(t *testing.T, h Harness) {
	ctx := t.Context()
	first, err := h.Poster.Post(ctx, poster.Post{Text: threadTexts[0], IdempotencyKey: "contract-1"})
	if err != nil {
		t.Fatalf("Post first: %v", err)
	}
	second, err := h.Poster.Post(ctx, poster.Post{Text: threadTexts[1], IdempotencyKey: "contract-2", InReplyTo: first.ID})
	if err != nil {
		t.Fatalf("Post reply: %v", err)
	}
	for _, rc := range []poster.Receipt{first, second} {
		checkReceipt(t, rc)
	}
	if first.ID == second.ID {
		t.Errorf("both posts got ID %q", first.ID)
	}
	want := []Published{
		{ID: first.ID, Text: threadTexts[0], IdempotencyKey: "contract-1"},
		{ID: second.ID, Text: threadTexts[1], InReplyTo: first.ID, IdempotencyKey: "contract-2"},
	}
	if got := h.Published(); !slices.Equal(got, want) {
		t.Errorf("published:\n got %+v\nwant %+v", got, want)
	}
}

func checkReceipt(t *testing.T, rc poster.Receipt) {
	t.Helper()
	if rc.ID == "" {
		t.Errorf("receipt %+v has no ID", rc)
	}
	if rc.URL == "" {
		return
	}
	if u, err := url.Parse(rc.URL); err != nil || !u.IsAbs() {
		t.Errorf("receipt URL %q is not an absolute URL (err %v)", rc.URL, err)
	}
}

func testTooLong(t *testing.T, h Harness) {
	rule, err := h.Poster.Rule(t.Context())
	if err != nil {
		t.Fatalf("Rule: %v", err)
	}
	_, err = h.Poster.Post(t.Context(), poster.Post{Text: tooLong(rule.Limit()), IdempotencyKey: "contract-long"})
	if got := poster.DeliveryOf(err); err == nil || got != poster.Rejected {
		t.Errorf("Post(too long) error = %v (%v), want %v", err, got, poster.Rejected)
	}
	if got := h.Published(); len(got) != 0 {
		t.Errorf("published %+v, want nothing", got)
	}
}

func testCanceled(t *testing.T, h Harness) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := h.Poster.Post(ctx, poster.Post{Text: threadTexts[0], IdempotencyKey: "contract-canceled"})
	if got := poster.DeliveryOf(err); err == nil || got != poster.NotDelivered {
		t.Errorf("Post(canceled ctx) error = %v (%v), want %v", err, got, poster.NotDelivered)
	}
	if got := h.Published(); len(got) != 0 {
		t.Errorf("published %+v, want nothing", got)
	}
}

func testConcurrent(t *testing.T, h Harness) {
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			text := fmt.Sprintf("並行投稿 %d #itsec_jp", i)
			rc, err := h.Poster.Post(t.Context(), poster.Post{Text: text, IdempotencyKey: fmt.Sprint("contract-c", i)})
			if err != nil {
				t.Errorf("Post %d: %v", i, err)
			}
			ids[i] = rc.ID
		})
	}
	wg.Wait()
	seen := make(map[string]bool)
	for _, id := range ids {
		if id == "" || seen[id] {
			t.Errorf("IDs %q are not unique and non-empty", ids)
			break
		}
		seen[id] = true
	}
	if got := h.Published(); len(got) != n {
		t.Errorf("published %d posts, want %d", len(got), n)
	}
}

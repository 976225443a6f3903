package postertest

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// Fault is a misbehaviour a harness's platform can be told to show on
// its next post.
type Fault int

// The faults every platform fake should be able to show.
const (
	// FaultRefuse: the platform refuses the content as invalid (not as too
	// long) and publishes nothing.
	FaultRefuse Fault = iota + 1
	// FaultRateLimit: 429 with the platform's own reset header, 60 seconds
	// ahead; nothing published.
	FaultRateLimit
	// FaultServerError: 500 without publishing.
	FaultServerError
	// FaultSlow: the platform answers only after the poster's deadline;
	// the harness's poster must have a short timeout (under 2 s) or the
	// fault must hold the answer for longer than it.
	FaultSlow
	// FaultDropAfterStore: the platform stores the post, then the
	// connection drops before the answer.
	FaultDropAfterStore
)

// Harness is one Poster under test plus a view of what it really published
// (the fake server's posts, a parsed transcript, ...).
type Harness struct {
	Poster poster.Poster
	// Published returns everything delivered so far, in order.
	Published func() []Published
	// Inject makes the platform show f on the next post; nil when the
	// poster has no platform to misbehave (stdout).
	Inject func(f Fault)
}

// Sample texts mix what our posts contain: full- and half-width Japanese,
// emoji sequences, URLs and the hashtag.
var threadTexts = [2]string{
	"【注意喚起】ＸＸＸ製ﾙｰﾀにおけるOSコマンドインジェクションの脆弱性 CVE-2024-1234\nhttps://www.jpcert.or.jp/at/2024/at240001.html #itsec_jp",
	"続き: 影響を受ける製品 🇯🇵 👨‍👩‍👧 https://jvn.jp/vu/JVNVU12345678/ #itsec_jp",
}

// Run checks the behaviour every poster.Poster promises, and each
// capability it declares. newHarness must return a fresh poster (and
// platform) on each call.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("Name", func(t *testing.T) {
		if got := newHarness(t).Poster.Name(); got == "" {
			t.Error("Name() is empty")
		}
	})
	t.Run("Capabilities", func(t *testing.T) { testCapabilities(t, newHarness(t)) })
	t.Run("RuleFitsSamples", func(t *testing.T) { testRule(t, newHarness(t)) })
	t.Run("Thread", func(t *testing.T) { testThread(t, newHarness(t)) })
	t.Run("ReadBack", func(t *testing.T) { testReadBack(t, newHarness(t)) })
	t.Run("TooLongIsRejected", func(t *testing.T) { testTooLong(t, newHarness(t)) })
	t.Run("CanceledIsNotDelivered", func(t *testing.T) { testCanceled(t, newHarness(t)) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, newHarness(t)) })
	t.Run("Faults", func(t *testing.T) { runFaults(t, newHarness) })
}

func testCapabilities(t *testing.T, h Harness) {
	caps := h.Poster.Capabilities()
	if _, ok := h.Poster.(poster.Reader); caps.ReadBack && !ok {
		t.Errorf("declares ReadBack but does not implement poster.Reader")
	}
	switch caps.Rule {
	case poster.RuleFromServer, poster.RuleFixed, poster.RuleFromConfig:
	default:
		t.Errorf("Capabilities().Rule = %q, want server, fixed or config", caps.Rule)
	}
}

func rule(t *testing.T, p poster.Poster) textlen.Rule {
	t.Helper()
	spec, err := p.Limits(t.Context())
	if err != nil {
		t.Fatalf("Limits: %v", err)
	}
	r, err := spec.Rule()
	if err != nil {
		t.Fatalf("Limits() = %+v: %v", spec, err)
	}
	return r
}

func testRule(t *testing.T, h Harness) {
	r := rule(t, h.Poster)
	if r.Limit() <= 0 {
		t.Fatalf("rule %s has limit %d", r.Platform(), r.Limit())
	}
	for _, text := range threadTexts {
		if !r.Fits(text) {
			t.Errorf("rule %s (limit %d) does not fit %q (length %d)", r.Platform(), r.Limit(), text, r.Length(text))
		}
	}
	if long := tooLong(r.Limit()); r.Fits(long) {
		t.Errorf("rule fits a text of %d characters, limit %d", len([]rune(long)), r.Limit())
	}
}

func tooLong(limit int) string { return strings.Repeat("あ", limit+1) }

func testThread(t *testing.T, h Harness) {
	ctx := t.Context()
	caps := h.Poster.Capabilities()
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
	if !caps.Threads {
		want[1].InReplyTo = ""
	}
	if !caps.IdempotencyKeys {
		want[0].IdempotencyKey, want[1].IdempotencyKey = "", ""
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

// testReadBack checks that a poster declaring ReadBack finds what it
// published, with the text as posted and the reply target.
func testReadBack(t *testing.T, h Harness) {
	reader, ok := h.Poster.(poster.Reader)
	if !h.Poster.Capabilities().ReadBack || !ok {
		t.Skip("the poster does not declare read-back")
	}
	ctx := t.Context()
	since := time.Now().Add(-time.Minute)
	first, err := h.Poster.Post(ctx, poster.Post{Text: threadTexts[0], IdempotencyKey: "rb-1"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := h.Poster.Post(ctx, poster.Post{Text: threadTexts[1], IdempotencyKey: "rb-2", InReplyTo: first.ID})
	if err != nil {
		t.Fatal(err)
	}
	remotes, err := reader.Recent(ctx, since)
	if err != nil {
		t.Fatalf("Recent: %v", err)
	}
	if len(remotes) != 2 || remotes[0].ID != second.ID || remotes[1].ID != first.ID {
		t.Fatalf("Recent = %+v, want the two posts newest first (%s, %s)", remotes, second.ID, first.ID)
	}
	for i, text := range []string{threadTexts[1], threadTexts[0]} {
		if !poster.SameText(text, remotes[i].Text) {
			t.Errorf("read back %q, posted %q", remotes[i].Text, text)
		}
	}
	if h.Poster.Capabilities().Threads && remotes[0].InReplyTo != first.ID {
		t.Errorf("read back reply target %q, want %q", remotes[0].InReplyTo, first.ID)
	}
	if later, err := reader.Recent(ctx, time.Now().Add(time.Hour)); err != nil || len(later) != 0 {
		t.Errorf("Recent(an hour ahead) = %+v, %v; want nothing", later, err)
	}
}

func testTooLong(t *testing.T, h Harness) {
	r := rule(t, h.Poster)
	_, err := h.Poster.Post(t.Context(), poster.Post{Text: tooLong(r.Limit()), IdempotencyKey: "contract-long"})
	if got := poster.DeliveryOf(err); err == nil || got != poster.Rejected {
		t.Errorf("Post(too long) error = %v (%v), want %v", err, got, poster.Rejected)
	}
	if got := poster.CauseOf(err); got != poster.CauseTooLong {
		t.Errorf("Post(too long) cause = %v, want %v", got, poster.CauseTooLong)
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

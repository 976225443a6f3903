package pipeline

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/postertest"
	"github.com/itsecbot/itsecbot/poster/stdout"
	"github.com/itsecbot/itsecbot/store"
	"github.com/itsecbot/itsecbot/textlen"
)

func TestPreviewIsWhatTheNextCycleSendsAndChangesNothing(t *testing.T) {
	srv := newFeedServer(t, "脆弱性 a", "脆弱性 b", "脆弱性 c")
	spec := textlen.Spec{Platform: textlen.PlatformMastodon, Limit: 500, URLChars: 23}
	// The dry cycle stores another limit than the platform's now: the
	// preview must compose under the new one without storing it.
	printer, err := stdout.New("recorder", io.Discard, textlen.Spec{Platform: textlen.PlatformMastodon, Limit: 480, URLChars: 23})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, config1(srv.URL, "    backfill: 3\n"), Target{Poster: printer, DryRun: true})
	h.run(t, 0) // stores and accepts the items; a dry target leaves them pending
	ctx := context.Background()

	ro, err := store.OpenReadOnly(ctx, h.cycle.Config.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	rec := &postertest.Recorder{Spec: spec, Clock: func() time.Time { return h.now }}
	preview := *h.cycle
	preview.Store, preview.Targets = ro, []Target{{Poster: rec}}
	got, err := preview.Preview(ctx)
	if err != nil {
		t.Fatalf("preview on a read-only store: %v", err)
	}
	if len(got) != 1 || got[0].Poster != "recorder" || got[0].Rule == nil || got[0].Waits != "" || len(got[0].Queued) != 0 {
		t.Fatalf("preview = %+v", got)
	}
	var previewed []string
	for _, th := range got[0].Threads {
		for _, p := range th.Posts {
			previewed = append(previewed, p.Text)
		}
	}
	if len(previewed) != 3 || len(rec.Posts()) != 0 {
		t.Fatalf("previewed %q, sent %d", previewed, len(rec.Posts()))
	}
	if unsent, _ := h.store.Unsent(ctx, "recorder"); len(unsent) != 0 {
		t.Errorf("the preview queued posts: %+v", unsent)
	}

	h.cycle.Targets = []Target{{Poster: rec}}
	h.run(t, 0)
	if sent := texts(rec.Posts()); !slices.Equal(sent, previewed) {
		t.Errorf("the cycle sent\n%q\nthe preview showed\n%q", sent, previewed)
	}
	if got, err := preview.Preview(ctx); err != nil || len(got[0].Threads) != 0 {
		t.Errorf("after the cycle sent them, the preview still shows %+v, %v", got, err)
	}
}

func TestPreviewCountsQueuedPostsAgainstTheDailyCap(t *testing.T) {
	srv := newFeedServer(t)
	rec := &postertest.Recorder{Fault: func(p poster.Post) (bool, error) {
		return false, &poster.Error{Poster: "recorder", Status: 503, Delivered: poster.NotDelivered, Message: "maintenance"}
	}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec, Common: poster.Common{MaxPostsPerDay: 2}})
	h.run(t, 0)
	srv.set("脆弱性 a", "脆弱性 b")
	h.run(t, 16*time.Minute) // two posts queued, neither delivered
	srv.set("脆弱性 a", "脆弱性 b", "脆弱性 c")
	capped := h.cycle.Targets[0]
	h.cycle.Targets = []Target{{Poster: newStdout(t, "recorder", io.Discard), DryRun: true}}
	h.run(t, 16*time.Minute) // stores c and leaves it pending
	h.cycle.Targets = []Target{capped}
	got, err := h.cycle.Preview(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got[0].Queued) != 2 || len(got[0].Threads) != 0 || got[0].Waits == "" {
		t.Errorf("preview = queued %d, threads %d, waits %q; want the cap reached by what is queued",
			len(got[0].Queued), len(got[0].Threads), got[0].Waits)
	}
}

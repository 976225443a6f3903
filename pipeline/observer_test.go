package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/postertest"
)

// events records what an Observer is told, one line per call.
type events struct {
	mu   sync.Mutex
	seen []string
}

func (e *events) add(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seen = append(e.seen, fmt.Sprintf(format, args...))
}

func (e *events) FetchDone(feed string, o Outcome, _ time.Duration) { e.add("fetch %s %s", feed, o) }
func (e *events) ItemsStored(feed string, added, accepted, rejected int) {
	e.add("items %s new=%d accepted=%d rejected=%d", feed, added, accepted, rejected)
}
func (e *events) PostDone(name string, o Outcome) { e.add("post %s %s", name, o) }
func (e *events) CycleDone(_ time.Duration, err error) {
	e.add("cycle err=%v", err != nil)
}

// take returns what was seen since the last take, sorted: feeds are polled
// concurrently.
func (e *events) take() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := slices.Sorted(slices.Values(e.seen))
	e.seen = nil
	return out
}

func TestObserverIsToldOfFetchesItemsSendsAndCycles(t *testing.T) {
	news := newFeedServer(t, "脆弱性 a", "脆弱性 b", "お知らせ")
	broken := newFeedServer(t)
	broken.fail = http.StatusBadGateway
	down := true
	rec := &postertest.Recorder{Fault: func(poster.Post) (bool, error) {
		if down {
			return false, &poster.Error{Poster: "recorder", Status: 503, Delivered: poster.NotDelivered, Message: "maintenance"}
		}
		return false, nil
	}}
	yaml := fmt.Sprintf("max_age: \"0\"\nbackfill: 3\ndigest: {layout: each}\nfilter: {include: [脆弱性]}\n"+
		"feeds:\n  - {name: News, url: %s}\n  - {name: Broken, url: %s}\n", news.URL, broken.URL)
	h := newHarness(t, yaml, Target{Poster: rec})
	ev := &events{}
	h.cycle.Observer = ev

	h.run(t, 0)
	want := []string{"cycle err=false", "fetch Broken failed", "fetch News ok",
		"items News new=3 accepted=2 rejected=1", "post recorder not_delivered"}
	if got := ev.take(); !slices.Equal(got, want) {
		t.Errorf("first cycle: observed\n%q\nwant\n%q", got, want)
	}

	down = false
	h.run(t, 16*time.Minute)
	want = []string{"cycle err=false", "fetch Broken failed", "fetch News not_modified", "post recorder sent", "post recorder sent"}
	if got := ev.take(); !slices.Equal(got, want) {
		t.Errorf("second cycle: observed\n%q\nwant\n%q", got, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.now = h.now.Add(time.Hour)
	if _, err := h.cycle.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled cycle: %v", err)
	}
	if got := ev.take(); !slices.Contains(got, "cycle err=true") {
		t.Errorf("a failed cycle was not reported: %q", got)
	}
}

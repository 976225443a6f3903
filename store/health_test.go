package store

import (
	"context"
	"testing"
	"time"
)

func TestCyclesAreRecordedAndOldOnesForgotten(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if last, ok, err := s.LastCycles(ctx); err != nil || !last.Ended.IsZero() || !ok.IsZero() {
		t.Fatalf("empty database: %+v %v %v", last, ok, err)
	}
	runs := []CycleRun{
		{Started: t0.Add(-40 * 24 * time.Hour), Ended: t0.Add(-40 * 24 * time.Hour)},
		{Started: t0, Ended: t0.Add(time.Minute)},
		{Started: t0.Add(15 * time.Minute), Ended: t0.Add(16 * time.Minute), Error: "database is locked"},
	}
	for _, r := range runs {
		if err := s.RecordCycle(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	last, ok, err := s.LastCycles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !last.Ended.Equal(runs[2].Ended) || last.Error != "database is locked" || !ok.Equal(runs[1].Ended) {
		t.Errorf("last = %+v, last ok %v", last, ok)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM cycles`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d cycles kept (%v), want the month-old one forgotten", n, err)
	}
}

func TestFailingSinceFollowsTheRunOfFailures(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f, err := s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	if err != nil {
		t.Fatal(err)
	}
	poll := func(at time.Time, failed bool) {
		t.Helper()
		p := Poll{At: at, Status: 200}
		if failed {
			p = Poll{At: at, Status: 503, Error: "503"}
		}
		if err := s.RecordPoll(ctx, f.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	since := func() time.Time {
		t.Helper()
		ff, err := s.FailingFeeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ff) == 0 {
			return time.Time{}
		}
		return ff[0].Since
	}
	poll(t0, false)
	poll(t0.Add(time.Hour), true)
	poll(t0.Add(3*time.Hour), true)
	if got := since(); !got.Equal(t0.Add(time.Hour)) {
		t.Errorf("failing since %v, want the first failure at %v", got, t0.Add(time.Hour))
	}
	poll(t0.Add(4*time.Hour), false)
	if got := since(); !got.IsZero() {
		t.Errorf("failing since %v after a success", got)
	}
	poll(t0.Add(5*time.Hour), true)
	if got := since(); !got.Equal(t0.Add(5 * time.Hour)) {
		t.Errorf("new run of failures since %v, want %v", got, t0.Add(5*time.Hour))
	}
}

func TestCatchUpSkipsWhatIsPending(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.RegisterPoster(ctx, "mastodon", t0); err != nil {
		t.Fatal(err)
	}
	f, _ := s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	items := []Item{
		{Key: "a", Title: "a", Link: "https://a", Published: t0, FirstSeen: t0, State: Accepted, Reason: "ok"},
		{Key: "b", Title: "b", Link: "https://b", Published: t0, FirstSeen: t0, State: Accepted, Reason: "ok"},
		{Key: "c", Title: "c", Link: "https://c", Published: t0, FirstSeen: t0, State: Rejected, Reason: "no"},
	}
	added, err := s.AddItems(ctx, f.ID, items, true, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Enqueue(ctx, "mastodon", []NewThread{{Key: "t", Posts: []NewPost{{Text: "a", Items: []int64{added[0].ID}}}}}, t0); err != nil {
		t.Fatal(err)
	}
	n, err := s.CatchUp(ctx, "mastodon")
	if err != nil || n != 1 {
		t.Fatalf("CatchUp = %d, %v; want the one pending, not the queued or rejected", n, err)
	}
	if p, _ := s.Candidates(ctx, "mastodon", 10, time.Time{}); len(p) != 0 {
		t.Errorf("still pending after catching up: %+v", p)
	}
	all, _ := s.Items(ctx, 0)
	for _, it := range all {
		if it.Key == "b" && it.NotPostedBy["mastodon"] != CaughtUp {
			t.Errorf("item b: not posted %v, want %q", it.NotPostedBy, CaughtUp)
		}
	}
	if n, err := s.CatchUp(ctx, "mastodon"); err != nil || n != 0 {
		t.Errorf("second CatchUp = %d, %v", n, err)
	}
}

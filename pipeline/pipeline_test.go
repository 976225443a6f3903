package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/postertest"
	"github.com/itsecbot/itsecbot/poster/stdout"
	"github.com/itsecbot/itsecbot/store"
	"github.com/itsecbot/itsecbot/textlen"
)

// feedServer serves an RSS 2.0 document whose items the test can change,
// with an ETag, answering 304 to a matching If-None-Match. An item given
// as "title|link" gets that link, others https://news.example/INDEX.
type feedServer struct {
	*httptest.Server
	mu          sync.Mutex
	items       []string // titles; the link is derived from the title index
	fail        int      // HTTP status to answer instead, 0 for none
	requests    int
	conditional int // requests that carried our ETag
}

func newFeedServer(t *testing.T, titles ...string) *feedServer {
	fs := &feedServer{items: titles}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) set(titles ...string) { fs.mu.Lock(); fs.items = titles; fs.mu.Unlock() }

func (fs *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.requests++
	if fs.fail != 0 {
		http.Error(w, "broken", fs.fail)
		return
	}
	etag := fmt.Sprintf(`"v%d"`, len(fs.items))
	if r.Header.Get("If-None-Match") != "" {
		fs.conditional++
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>http://x/</link>`)
	for i, title := range fs.items {
		link := fmt.Sprintf("https://news.example/%d", i)
		if t, l, ok := strings.Cut(title, "|"); ok {
			title, link = t, l
		}
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><guid>id-%d</guid><pubDate>%s</pubDate></item>`,
			title, link, i, time.Date(2026, 11, 20, 0, i, 0, 0, time.UTC).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	io.WriteString(w, b.String())
}

type harness struct {
	cycle *Cycle
	store *store.Store
	now   time.Time
}

func newHarness(t *testing.T, yaml string, targets ...Target) *harness {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse(filepath.Join(dir, "config.yaml"), []byte(yaml), func(string) (string, bool) { return "", false }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &harness{store: st, now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}
	for _, t := range targets {
		if r, ok := t.Poster.(*postertest.Recorder); ok && r.Clock == nil {
			r.Clock = func() time.Time { return h.now }
		}
	}
	h.cycle = &Cycle{
		Config: cfg, Store: st, Targets: targets,
		Fetcher: feeds.NewFetcher(feeds.Options{Timeout: 5 * time.Second}),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:     func() time.Time { return h.now },
	}
	return h
}

func (h *harness) run(t *testing.T, advance time.Duration) Report {
	t.Helper()
	h.now = h.now.Add(advance)
	rep, err := h.cycle.Run(context.Background())
	if err != nil {
		t.Fatalf("cycle: %v", err)
	}
	return rep
}

func newStdout(t *testing.T, name string, w io.Writer) *stdout.Stdout {
	t.Helper()
	s, err := stdout.New(name, w, textlen.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func config1(url string, extra string) string {
	return fmt.Sprintf("max_age: \"0\"\ndigest: {layout: each}\nfeeds:\n  - name: News\n    url: %s\n%s", url, extra)
}

func texts(posts []postertest.Published) []string {
	var out []string
	for _, p := range posts {
		out = append(out, p.Text)
	}
	return out
}

func TestFirstPollSeedsThenOnlyNewItemsArePosted(t *testing.T) {
	srv := newFeedServer(t, "old one", "old two")
	rec := &postertest.Recorder{}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})

	rep := h.run(t, 0)
	if rep.NewItems != 2 || rep.PostsSent != 0 || len(rec.Posts()) != 0 {
		t.Fatalf("first poll posted its archive: %+v, posts %q", rep, texts(rec.Posts()))
	}
	srv.set("old one", "old two", "脆弱性 new three")
	rep = h.run(t, 16*time.Minute)
	if rep.NewItems != 1 || rep.PostsSent != 1 {
		t.Fatalf("second cycle: %+v", rep)
	}
	got := texts(rec.Posts())
	if len(got) != 1 || !strings.Contains(got[0], "脆弱性 new three") || !strings.Contains(got[0], "#itsec_jp") {
		t.Fatalf("posts = %q", got)
	}
	// Unchanged feed: a conditional GET answered 304, nothing new, nothing posted.
	rep = h.run(t, 16*time.Minute)
	if rep.NewItems != 0 || rep.PostsSent != 0 || len(rec.Posts()) != 1 || srv.conditional == 0 {
		t.Fatalf("third cycle: %+v, posts %d, conditional requests %d", rep, len(rec.Posts()), srv.conditional)
	}
	fs, _ := h.store.Feeds(context.Background())
	if fs[0].LastStatus != http.StatusNotModified || fs[0].Items != 3 {
		t.Errorf("feed state after 304: %+v", fs[0])
	}
}

func TestBackfillPostsNewestOnFirstPoll(t *testing.T) {
	srv := newFeedServer(t, "a", "b", "c", "d")
	rec := &postertest.Recorder{}
	h := newHarness(t, config1(srv.URL, "    backfill: 2\n"), Target{Poster: rec})
	h.run(t, 0)
	got := texts(rec.Posts())
	if len(got) != 2 || !strings.Contains(got[0], "】c\n") || !strings.Contains(got[1], "】d\n") {
		t.Fatalf("backfill posts = %q, want c then d", got)
	}
}

func TestFeedNotDueIsSkippedAndFailingFeedBacksOff(t *testing.T) {
	good := newFeedServer(t, "x")
	bad := newFeedServer(t)
	bad.fail = http.StatusInternalServerError
	yaml := fmt.Sprintf("feeds:\n  - {name: Good, url: %s}\n  - {name: Bad, url: %s}\n", good.URL, bad.URL)
	h := newHarness(t, yaml, Target{Poster: &postertest.Recorder{}})

	rep := h.run(t, 0)
	if rep.FeedsPolled != 2 || rep.FeedsFailed != 1 {
		t.Fatalf("first cycle: %+v", rep)
	}
	rep = h.run(t, 5*time.Minute)
	if rep.FeedsSkipped != 2 || good.requests != 1 {
		t.Fatalf("feeds polled before they were due: %+v, requests %d", rep, good.requests)
	}
	h.run(t, 11*time.Minute) // 16 min: both due again; Bad fails a second time
	fs, _ := h.store.Feeds(context.Background())
	byName := map[string]store.Feed{fs[0].Name: fs[0], fs[1].Name: fs[1]}
	b := byName["Bad"]
	if b.ConsecutiveFailures != 2 || b.LastStatus != 500 || !strings.Contains(b.LastError, "500") {
		t.Errorf("bad feed state: %+v", b)
	}
	if want := h.now.Add(30 * time.Minute); !b.NextDue.Equal(want) {
		t.Errorf("bad feed next due %v, want %v (doubled interval)", b.NextDue, want)
	}
	if g := byName["Good"]; g.ConsecutiveFailures != 0 || g.LastError != "" || g.Items != 1 {
		t.Errorf("good feed state: %+v", g)
	}
}

func TestMaxAgeRecordsOldItemsAsSeen(t *testing.T) {
	srv := newFeedServer(t)
	rec := &postertest.Recorder{}
	h := newHarness(t, strings.Replace(config1(srv.URL, ""), `max_age: "0"`, "max_age: 1d", 1), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 from two days ago")
	h.run(t, time.Hour)
	items, _ := h.store.Items(context.Background(), 0)
	if len(items) != 1 || items[0].State != store.Seen || items[0].Reason != "older than max_age 1d" || len(rec.Posts()) != 0 {
		t.Fatalf("old item: %+v, posts %q", items, texts(rec.Posts()))
	}
}

func TestUnknownOutcomeIsFoundOnThePlatformAndRefusedStoryIsGivenUpAlone(t *testing.T) {
	srv := newFeedServer(t)
	failures := 1
	rec := &postertest.Recorder{IgnoreKeys: true, Fault: func(p poster.Post) (bool, error) {
		if strings.Contains(p.Text, "refuse me") {
			return false, &poster.Error{Poster: "recorder", Status: 422, Delivered: poster.Rejected, Cause: poster.CauseInvalid, Message: "Validation failed"}
		}
		if failures > 0 {
			failures--
			return true, &poster.Error{Poster: "recorder", Delivered: poster.Unknown, Message: "timeout"}
		}
		return false, nil
	}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("keep me", "refuse me")
	rep := h.run(t, 16*time.Minute)
	if rep.PostsSent != 0 || rep.PostsFailed != 1 {
		t.Fatalf("cycle with a timeout: %+v", rep)
	}
	rep = h.run(t, 16*time.Minute)
	if rep.PostsReconciled != 1 || rep.PostsSent != 0 || rep.PostsReplaced != 2 {
		t.Fatalf("next cycle: %+v, want the published post found and the refused one tried alone twice", rep)
	}
	posts := rec.Posts()
	if len(posts) != 1 || !strings.Contains(posts[0].Text, "keep me") {
		t.Fatalf("published %q; the post whose answer was lost must be published exactly once", texts(posts))
	}
	items, _ := h.store.Items(context.Background(), 0)
	for _, it := range items {
		posted := strings.Join(it.PostedTo, ",")
		if (it.Title == "keep me") != (posted == "recorder") {
			t.Errorf("item %q posted to %q", it.Title, posted)
		}
		if it.Title == "refuse me" && !strings.Contains(it.NotPostedBy["recorder"], "refused by the platform even alone") {
			t.Errorf("refused story shows %+v", it.NotPostedBy)
		}
	}
	if rep := h.run(t, 16*time.Minute); rep.PostsSent+rep.PostsFailed != 0 {
		t.Errorf("refused story tried again: %+v", rep)
	}
}

func TestDryRunTargetRecordsNothing(t *testing.T) {
	srv := newFeedServer(t, "脆弱性 a")
	var out strings.Builder
	dry := newStdout(t, "mastodon", &out)
	h := newHarness(t, config1(srv.URL, "    backfill: 1\n"), Target{Poster: dry, DryRun: true})
	rep := h.run(t, 0)
	if rep.PostsPrinted != 1 || !strings.Contains(out.String(), "脆弱性 a") {
		t.Fatalf("dry run printed %d: %q", rep.PostsPrinted, out.String())
	}
	pending, _ := h.store.Candidates(context.Background(), "mastodon", 10, time.Time{})
	if len(pending) != 1 {
		t.Errorf("dry run consumed the pending item: %d pending", len(pending))
	}
}

func TestStoryThatCannotFitDoesNotHoldBackOthers(t *testing.T) {
	srv := newFeedServer(t)
	rec := &postertest.Recorder{}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("short 脆弱性", "unbreakable story|https://news.example/"+strings.Repeat("x", 600))
	h.run(t, 16*time.Minute)
	got := texts(rec.Posts())
	if len(got) != 1 || !strings.Contains(got[0], "short 脆弱性") {
		t.Fatalf("posts = %q, want only the short story", got)
	}
	if pending, _ := h.store.Candidates(context.Background(), "recorder", 10, time.Time{}); len(pending) != 0 {
		t.Errorf("the story that cannot fit is still pending: %+v", pending)
	}
	items, _ := h.store.Items(context.Background(), 0)
	for _, it := range items {
		if strings.HasPrefix(it.Title, "unbreakable") && !strings.Contains(it.NotPostedBy["recorder"], "does not fit") {
			t.Errorf("unfit story shows no reason: %+v", it.NotPostedBy)
		}
	}
}

func TestUnknownOutcomeIsNeverGivenUpWhileThePlatformCanBeRead(t *testing.T) {
	srv := newFeedServer(t)
	var sends atomic.Int32
	healthy := false
	rec := &postertest.Recorder{IgnoreKeys: true, Fault: func(p poster.Post) (bool, error) {
		sends.Add(1)
		if healthy {
			return false, nil
		}
		return false, &poster.Error{Poster: "recorder", Status: 502, Delivered: poster.Unknown}
	}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 x")
	for range 8 {
		h.run(t, 5*time.Minute)
	}
	if n := sends.Load(); n < 4 {
		t.Errorf("%d sends in 8 cycles; a post that was surely not published must be sent again", n)
	}
	healthy = true
	h.run(t, 5*time.Minute)
	if got := texts(rec.Posts()); len(got) != 1 {
		t.Errorf("published %q, want the story once", got)
	}
}

// When more posts followed an unknown attempt than the platform's pages
// reach back to (another app on a shared account), the post is not found
// but absence proves nothing: it is given up, not published twice.
func TestUnknownOutcomeBeyondTheReadBackIsGivenUpNotDoubled(t *testing.T) {
	srv := newFeedServer(t)
	var failed atomic.Bool
	rec := &postertest.Recorder{IgnoreKeys: true, ReadBackLimit: 2, Fault: func(p poster.Post) (bool, error) {
		if strings.Contains(p.Text, "脆弱性 x") && !failed.Swap(true) {
			return true, &poster.Error{Poster: "recorder", Status: 502, Delivered: poster.Unknown} // stored, then lost
		}
		return false, nil
	}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 x")
	h.run(t, 16*time.Minute) // the feed is due again: the story's post, stored but lost
	for i := range 3 {       // another app posts on the same account meanwhile
		if _, err := rec.Post(context.Background(), poster.Post{Text: fmt.Sprintf("other %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	h.run(t, 22*time.Minute)
	h.run(t, 28*time.Minute)
	n := 0
	for _, p := range rec.Posts() {
		if strings.Contains(p.Text, "脆弱性 x") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the story is on the platform %d times, want once", n)
	}
	out, err := h.store.Outbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].State != store.PostFailed || !strings.Contains(out[0].Error, "no longer reach back") ||
		!strings.Contains(out[0].Error, "itsecbot retry") {
		t.Errorf("outbox %+v, want the post given up, saying why and how to send it again", out)
	}
}

func TestUnknownOutcomeWithoutReadBackIsRetriedThenGivenUp(t *testing.T) {
	srv := newFeedServer(t)
	var sends atomic.Int32
	rec := &postertest.Recorder{Caps: &poster.Capabilities{Threads: true, IdempotencyKeys: true, Rule: poster.RuleFixed},
		Fault: func(p poster.Post) (bool, error) {
			sends.Add(1)
			return false, &poster.Error{Poster: "recorder", Status: 502, Delivered: poster.Unknown}
		}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 x")
	for range 8 { // polled at 15 min, then a send attempt every 5 min
		h.run(t, 5*time.Minute)
	}
	if n := sends.Load(); n != maxUnknownAttempts {
		t.Errorf("%d sends of a post with unknown outcome, want %d", n, maxUnknownAttempts)
	}
	items, _ := h.store.Items(context.Background(), 0)
	if !strings.Contains(items[0].NotPostedBy["recorder"], "502") || !strings.Contains(items[0].NotPostedBy["recorder"], "retry") {
		t.Errorf("given-up post shows no reason: %+v", items[0].NotPostedBy)
	}
}

func TestOutageThenTimeoutIsStillRetried(t *testing.T) {
	srv := newFeedServer(t)
	var sends atomic.Int32
	rec := &postertest.Recorder{Fault: func(p poster.Post) (bool, error) {
		switch n := sends.Add(1); {
		case n <= 5:
			return false, &poster.Error{Poster: "recorder", Delivered: poster.NotDelivered, Message: "connection refused"}
		case n == 6:
			return false, &poster.Error{Poster: "recorder", Delivered: poster.Unknown, Message: "timeout"}
		}
		return false, nil
	}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 x")
	for range 7 { // five refused, one timeout, then success: over an hour and a half
		h.run(t, 16*time.Minute)
	}
	if got := texts(rec.Posts()); len(got) != 1 {
		t.Errorf("published %q; an outage must not use up the retries for an unknown outcome", got)
	}
}

func TestCrashDuringSendIsCountedAsUnknown(t *testing.T) {
	srv := newFeedServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	rec := &postertest.Recorder{Fault: func(p poster.Post) (bool, error) {
		cancel() // the process is stopped while the request is in flight
		return true, context.Canceled
	}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 x")
	h.now = h.now.Add(16 * time.Minute)
	if _, err := h.cycle.Run(ctx); err == nil {
		t.Fatal("an interrupted cycle reported no error")
	}
	unsent, _ := h.store.Unsent(context.Background(), "recorder")
	if len(unsent) != 1 || unsent[0].UnknownAttempts != 1 {
		t.Fatalf("after the interruption: %+v, want the post pending with one unknown attempt", unsent)
	}
}

func TestPosterDownPastMaxAgePostsNothingStale(t *testing.T) {
	srv := newFeedServer(t)
	down := true
	rec := &postertest.Recorder{Fault: func(p poster.Post) (bool, error) {
		if down {
			return false, &poster.Error{Poster: "recorder", Status: 401, Delivered: poster.NotDelivered}
		}
		return false, nil
	}}
	h := newHarness(t, strings.Replace(config1(srv.URL, ""), `max_age: "0"`, "max_age: 30d", 1), Target{Poster: rec})
	h.run(t, 0)
	var titles []string
	for day := range 40 {
		titles = append(titles, fmt.Sprintf("脆弱性 day %d", day))
		srv.set(titles...)
		h.run(t, 24*time.Hour)
	}
	down = false
	h.run(t, time.Hour)
	for _, p := range rec.Posts() {
		if strings.Contains(p.Text, "day 0\n") || strings.Contains(p.Text, "day 1\n") {
			t.Errorf("a story older than max_age was posted:\n%s", p.Text)
		}
	}
}

func TestUndeliveredPostWaitsForTheAccountToWork(t *testing.T) {
	srv := newFeedServer(t)
	broken := true
	rec := &postertest.Recorder{Fault: func(p poster.Post) (bool, error) {
		if broken {
			return false, &poster.Error{Poster: "recorder", Status: 401, Delivered: poster.NotDelivered, Message: "The access token is invalid"}
		}
		return false, nil
	}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 a", "脆弱性 b")
	for range 6 {
		if rep := h.run(t, 16*time.Minute); rep.PostsFailed != 1 {
			t.Fatalf("with a bad token: %+v, want one failed attempt per cycle", rep)
		}
	}
	broken = false
	if rep := h.run(t, 16*time.Minute); rep.PostsSent != 2 || len(rec.Posts()) != 2 {
		t.Fatalf("after the token was fixed: %+v, posts %q", rep, texts(rec.Posts()))
	}
}

func TestNewPosterDoesNotPostHistory(t *testing.T) {
	srv := newFeedServer(t)
	first := &postertest.Recorder{PosterName: "first"}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: first})
	h.run(t, 0)
	srv.set("脆弱性 old")
	h.run(t, 16*time.Minute)
	second := &postertest.Recorder{PosterName: "second"}
	h.cycle.Targets = append(h.cycle.Targets, Target{Poster: second})
	h.run(t, 16*time.Minute)
	if len(second.Posts()) != 0 {
		t.Fatalf("a new poster posted the history: %q", texts(second.Posts()))
	}
	srv.set("脆弱性 old", "脆弱性 new")
	h.run(t, 16*time.Minute)
	if len(first.Posts()) != 2 || len(second.Posts()) != 1 || !strings.Contains(second.Posts()[0].Text, "脆弱性 new") {
		t.Errorf("first %q, second %q", texts(first.Posts()), texts(second.Posts()))
	}
}

func TestChangedURLIsSeededAgain(t *testing.T) {
	oldSrv := newFeedServer(t, "a")
	rec := &postertest.Recorder{}
	h := newHarness(t, config1(oldSrv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	newSrv := newFeedServer(t, "archive one", "archive two")
	h.cycle.Config.Feeds[0].URL = newSrv.URL
	h.run(t, 16*time.Minute)
	if len(rec.Posts()) != 0 {
		t.Errorf("the new URL's archive was posted: %q", texts(rec.Posts()))
	}
}

func TestItemsGoneStaleWhileWaitingAreSkipped(t *testing.T) {
	srv := newFeedServer(t, "脆弱性 a")
	var out strings.Builder
	h := newHarness(t, strings.Replace(config1(srv.URL, "    backfill: 1\n"), `max_age: "0"`, "max_age: 30d", 1),
		Target{Poster: newStdout(t, "recorder", &out), DryRun: true})
	h.run(t, 0)
	rec := &postertest.Recorder{}
	h.cycle.Targets = []Target{{Poster: rec}}
	h.run(t, 40*24*time.Hour)
	if len(rec.Posts()) != 0 {
		t.Fatalf("an item older than max_age was posted: %q", texts(rec.Posts()))
	}
	items, _ := h.store.Items(context.Background(), 0)
	if !strings.Contains(items[0].NotPostedBy["recorder"], "max_age") {
		t.Errorf("stale item shows no reason: %+v", items[0].NotPostedBy)
	}
}

func TestRenamedFeedDoesNotBackfillWhatItPosted(t *testing.T) {
	srv := newFeedServer(t, "脆弱性 a")
	rec := &postertest.Recorder{}
	h := newHarness(t, config1(srv.URL, "    backfill: 1\n"), Target{Poster: rec})
	h.run(t, 0)
	if len(rec.Posts()) != 1 {
		t.Fatalf("backfill posted %d", len(rec.Posts()))
	}
	h.cycle.Config.Feeds[0].Name = "News (renamed)"
	h.run(t, 16*time.Minute)
	if got := texts(rec.Posts()); len(got) != 1 {
		t.Errorf("the renamed feed posted its story again: %q", got)
	}
}

func TestOrphanedPostsAreReported(t *testing.T) {
	srv := newFeedServer(t)
	down := &postertest.Recorder{PosterName: "old", Fault: func(poster.Post) (bool, error) {
		return false, &poster.Error{Poster: "old", Delivered: poster.NotDelivered}
	}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: down})
	var logs strings.Builder
	h.cycle.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	h.run(t, 0)
	srv.set("脆弱性 a")
	h.run(t, 16*time.Minute)
	h.cycle.Targets = []Target{{Poster: &postertest.Recorder{PosterName: "new"}}}
	h.run(t, 16*time.Minute)
	if !strings.Contains(logs.String(), "no longer in the config has unsent posts") || !strings.Contains(logs.String(), "poster=old posts=1") {
		t.Errorf("orphaned posts not reported:\n%s", logs.String())
	}
}

// A platform that refuses a repeated text (X) needs no read-back: after an
// unknown outcome the post is sent again, and the refusal of the repeat
// says the first attempt was published.
func TestDuplicateRefusalAfterUnknownOutcomeMeansPublished(t *testing.T) {
	srv := newFeedServer(t)
	var attempts atomic.Int32
	rec := &postertest.Recorder{Caps: &poster.Capabilities{RefusesDuplicates: true, Rule: poster.RuleFixed},
		Fault: func(p poster.Post) (bool, error) {
			switch attempts.Add(1) {
			case 1:
				return true, &poster.Error{Poster: "recorder", Delivered: poster.Unknown, Message: "timeout"}
			case 2:
				return false, &poster.Error{Poster: "recorder", Status: 403, Delivered: poster.Rejected, Cause: poster.CauseDuplicate,
					Message: "You are not allowed to create a Tweet with duplicate content."}
			}
			return false, nil
		}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 x")
	h.run(t, 16*time.Minute)
	rep := h.run(t, 16*time.Minute)
	if rep.PostsReconciled != 1 || len(rec.Posts()) != 1 {
		t.Fatalf("%+v, published %q; want the repeat taken as proof of the first", rep, texts(rec.Posts()))
	}
	items, _ := h.store.Items(context.Background(), 0)
	if len(items[0].PostedTo) != 1 {
		t.Errorf("story not recorded as posted: %+v", items[0])
	}
	if rep := h.run(t, 16*time.Minute); attempts.Load() != 2 || rep.PostsSent != 0 {
		t.Errorf("sent again after the duplicate refusal: %+v (%d attempts)", rep, attempts.Load())
	}
}

// X remembers a text it refuses to repeat for a while only: an unknown
// outcome still unresolved after that (its 24-hour budget spent, say) is
// given up, not sent again into a possible duplicate.
func TestDuplicateRefusalIsNotTrustedForever(t *testing.T) {
	srv := newFeedServer(t)
	var attempts atomic.Int32
	rec := &postertest.Recorder{Caps: &poster.Capabilities{RefusesDuplicates: true, Rule: poster.RuleFixed},
		Fault: func(p poster.Post) (bool, error) {
			if attempts.Add(1) == 1 {
				return true, &poster.Error{Poster: "recorder", Delivered: poster.Unknown, Message: "timeout"}
			}
			return false, nil // the platform has forgotten the text: a repeat would be published
		}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 x")
	h.run(t, 16*time.Minute)
	h.run(t, 24*time.Hour)
	if got := texts(rec.Posts()); len(got) != 1 || attempts.Load() != 1 {
		t.Errorf("published %q in %d attempts; want the story once, not sent again a day later", got, attempts.Load())
	}
	out, err := h.store.Outbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].State != store.PostFailed || !strings.Contains(out[0].Error, "itsecbot retry") {
		t.Errorf("outbox %+v, want the post given up with how to send it again", out)
	}
}

// A post the platform accepted is recorded as sent even when the cycle's
// context ends at that moment (a stop's grace running out): it must not be
// left as an unknown outcome to look up, or worse, to send again.
func TestPublishedPostIsRecordedWhenTheCycleEnds(t *testing.T) {
	srv := newFeedServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := &postertest.Recorder{Fault: func(poster.Post) (bool, error) {
		cancel() // the grace ends while the platform answers
		return false, nil
	}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 x")
	h.now = h.now.Add(16 * time.Minute)
	h.cycle.Run(ctx) // ends with the canceled context
	out, err := h.store.Outbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Posts()) != 1 || len(out) != 0 {
		t.Errorf("published %d, outbox %+v; want the post recorded as sent", len(rec.Posts()), out)
	}
}

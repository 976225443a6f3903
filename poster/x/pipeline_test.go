package x_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/x"
	"github.com/itsecbot/itsecbot/poster/x/xtest"
)

// capConfig posts every item of two captured feeds to the X fake, with
// max_posts_per_day left to the platform's default.
func capConfig(t *testing.T, srv *xtest.Server) *config.Config {
	t.Helper()
	var feedList string
	for _, f := range []string{"jvn-rss10.rdf", "ipa-alert-rss10.rdf"} {
		path, err := filepath.Abs(filepath.Join("..", "..", "testdata", "feeds", f))
		if err != nil {
			t.Fatal(err)
		}
		feedList += fmt.Sprintf("  - name: %s\n    url: file://%s\n", f, path)
	}
	src := fmt.Sprintf("database: bot.db\nmax_age: \"0\"\nbackfill: 100\nfeeds:\n%sposters:\n  - type: x\n    api_url: %s\n%s",
		feedList, srv.URL, envKeys)
	creds := xtest.DefaultCredentials
	env := map[string]string{"X_CONSUMER_KEY": creds.ConsumerKey, "X_CONSUMER_SECRET": creds.ConsumerSecret,
		"X_ACCESS_TOKEN": creds.AccessToken, "X_ACCESS_TOKEN_SECRET": creds.AccessTokenSecret}
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "config.yaml"), []byte(src),
		func(k string) (string, bool) { v, ok := env[k]; return v, ok }, config.Platforms{"x": x.Platform{}})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runCycle is one run of the bot: the database opened, the poster built
// from the config as the command does, one cycle, the database closed.
func runCycle(t *testing.T, cfg *config.Config, now time.Time) pipeline.Report {
	t.Helper()
	st := openStore(t, cfg.DatabasePath())
	defer st.Close()
	pc := cfg.Posters[0]
	clock := func() time.Time { return now }
	p, err := pc.Settings.New(poster.Env{Common: pc.Common, State: st.StateOf(pc.Name), Now: clock,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	c := &pipeline.Cycle{
		Config: cfg, Store: st, Targets: []pipeline.Target{{Poster: p, Common: pc.Common}},
		Fetcher: feeds.NewFetcher(feeds.Options{Timeout: 5 * time.Second}),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock, Force: true,
	}
	rep, err := c.Run(context.Background())
	if err != nil {
		t.Fatalf("cycle: %v", err)
	}
	return rep
}

// TestDailyCapHoldsAcrossRuns: the X poster's default cap (3 posts a day
// in the config's time zone) is counted from the database, so runs later
// the same day post nothing more, and the next day posts again.
func TestDailyCapHoldsAcrossRuns(t *testing.T) {
	srv := xtest.NewServer(t)
	cfg := capConfig(t, srv)
	if got := cfg.Posters[0].MaxPostsPerDay; got != 3 {
		t.Fatalf("max_posts_per_day = %d, want the x default 3", got)
	}
	day1 := time.Date(2026, 11, 22, 9, 0, 0, 0, cfg.Location) // 09:00 Japan time
	for i, at := range []time.Duration{0, 15 * time.Minute, 6 * time.Hour, 14*time.Hour + 59*time.Minute} {
		rep := runCycle(t, cfg, day1.Add(at))
		if n := len(srv.Tweets()); n > 3 || i > 0 && n != 3 {
			t.Fatalf("run %d on day 1 (%+v): %d posts in all, want 3 at most and the cap reached", i+1, rep, n)
		}
	}
	checkThread(t, srv.Tweets())
	runCycle(t, cfg, day1.Add(24*time.Hour))
	runCycle(t, cfg, day1.Add(25*time.Hour))
	if n := len(srv.Tweets()); n != 6 {
		t.Errorf("after two runs on day 2: %d posts in all, want 6", n)
	}
	if n := srv.Posts(); n != 6 {
		t.Errorf("X was asked to post %d times, want 6", n)
	}
}

// checkThread asserts that the first day's posts are one digest thread.
func checkThread(t *testing.T, tweets []xtest.Tweet) {
	t.Helper()
	for i, tw := range tweets {
		want := ""
		if i > 0 {
			want = tweets[i-1].ID
		}
		if tw.InReplyTo != want {
			t.Errorf("post %d replies to %q, want %q: %q", i, tw.InReplyTo, want, tw.Text)
		}
	}
}

// TestDuplicateRefusalSettlesAnUnknownOutcome: X stores a post and the
// connection drops. X cannot be read back, so the next run sends the post
// again; X refuses the repeat as a duplicate, which proves the first
// attempt was published: it is recorded as sent, and the rest of its
// thread is composed again. No story reaches X twice.
func TestDuplicateRefusalSettlesAnUnknownOutcome(t *testing.T) {
	srv := xtest.NewServer(t)
	cfg := capConfig(t, srv)
	srv.Inject(xtest.Fault{Publish: true, Drop: true})
	day1 := time.Date(2026, 11, 22, 9, 0, 0, 0, cfg.Location)
	if rep := runCycle(t, cfg, day1); rep.PostsSent != 0 || len(srv.Tweets()) != 1 {
		t.Fatalf("first run: %+v, %d posts on X; want the dropped one only", rep, len(srv.Tweets()))
	}
	rep := runCycle(t, cfg, day1.Add(16*time.Minute))
	if rep.PostsReconciled != 1 {
		t.Errorf("second run: %+v, want the duplicate refusal taken as proof", rep)
	}
	runCycle(t, cfg, day1.Add(32*time.Minute))
	tweets := srv.Tweets()
	if len(tweets) != 3 {
		t.Errorf("%d posts on X, want 3 (the day's cap)", len(tweets))
	}
	st := openStore(t, cfg.DatabasePath())
	defer st.Close()
	items, err := st.Items(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	posted := 0
	for _, it := range items {
		n := 0
		for _, tw := range tweets {
			n += strings.Count(tw.Text, it.Link)
		}
		if n > 1 || (n == 1) != (len(it.PostedTo) == 1) {
			t.Errorf("story %q: %d times on X, posted to %v", it.Title, n, it.PostedTo)
		}
		posted += n
	}
	if posted < 3 {
		t.Errorf("%d stories on X, want at least one per post", posted)
	}
	if n := srv.Posts(); n != 4 {
		t.Errorf("X was asked to post %d times, want 4 (one repeat refused)", n)
	}
}

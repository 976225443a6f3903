package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
	"github.com/itsecbot/itsecbot/store"
)

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestHealthReportsWhatNeedsAPerson(t *testing.T) {
	masto := mastodontest.NewServer(t)
	t.Setenv("TEST_MASTODON_TOKEN", masto.Token)
	cfg := deliveryConfig(t, masto, "")
	if _, _, err := runCmd(t, "health", "-config", cfg); err == nil || exitCode(err, &strings.Builder{}) != 1 {
		t.Errorf("health before any cycle: %v, want exit 1", err)
	}
	if _, stderr, err := runCmd(t, "once", "-config", cfg); err != nil {
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	if out, _, err := runCmd(t, "health", "-config", cfg); err != nil || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("health after a good cycle: %v\n%s", err, out)
	}

	masto.SetToken("a-new-token") // the bot's token is revoked; the next digest waits
	if _, stderr, err := runCmd(t, "once", "-config", cfg); err != nil {
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	st := openStore(t, filepath.Join(filepath.Dir(cfg), "bot.db"))
	defer st.Close()
	f, err := st.EnsureFeed(context.Background(), "jvn-rss10", "unused")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordPoll(context.Background(), f.ID, store.Poll{At: time.Now().Add(-25 * time.Hour), Error: "dial tcp: connection refused"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, _, err := runCmd(t, "health", "-config", cfg)
	if err == nil || exitCode(err, &strings.Builder{}) != 1 {
		t.Errorf("health = %v, want exit 1", err)
	}
	for _, want := range []string{
		"unhealthy: poster mastodon cannot authenticate: ",
		"posts wait since",
		"HTTP 401",
		"unhealthy: feed jvn-rss10 has failed since",
		"connection refused",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("health output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "no cycle") {
		t.Errorf("cycles are recent, yet:\n%s", out)
	}

	masto.SetToken(masto.Token)
	if _, stderr, err := runCmd(t, "once", "-config", cfg); err != nil {
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	out, _, _ = runCmd(t, "health", "-config", cfg)
	if strings.Contains(out, "cannot authenticate") {
		t.Errorf("the token works again, yet:\n%s", out)
	}
}

func TestHealthWhenCyclesStopSucceeding(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfg, "database: bot.db\nfeeds:\n  - {name: a, url: https://a.example/feed}\nposters:\n  - {type: stdout}\nschedule: {poll: \"*/10 * * * *\"}\n")
	st := openStore(t, filepath.Join(filepath.Dir(cfg), "bot.db"))
	now := time.Now()
	record := func(ago time.Duration, failure string) {
		t.Helper()
		if err := st.RecordCycle(context.Background(), store.CycleRun{Started: now.Add(-ago), Ended: now.Add(-ago), Error: failure}); err != nil {
			t.Fatal(err)
		}
	}
	record(2*time.Hour, "")
	record(time.Minute, "migrate database: disk I/O error")
	out, _, err := runCmd(t, "health", "-config", cfg)
	if err == nil || !strings.Contains(out, "no cycle has succeeded since") || !strings.Contains(out, "disk I/O error") {
		t.Errorf("health = %v:\n%s", err, out)
	}
	record(0, "")
	if out, _, err := runCmd(t, "health", "-config", cfg); err != nil {
		t.Errorf("health after a good cycle = %v:\n%s", err, out)
	}
}

func TestCatchUpMarksPendingStoriesWithoutPosting(t *testing.T) {
	masto := mastodontest.NewServer(t)
	t.Setenv("TEST_MASTODON_TOKEN", masto.Token)
	cfg := deliveryConfig(t, masto, "")
	if _, stderr, err := runCmd(t, "once", "-config", cfg); err != nil { // one digest of 20; the rest pending
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	posted := len(masto.Statuses())
	out, _, err := runCmd(t, "catchup", "-config", cfg)
	if err != nil || !strings.Contains(out, "poster mastodon: ") || strings.Contains(out, "mastodon: 0 ") {
		t.Fatalf("catchup = %v:\n%s", err, out)
	}
	if _, stderr, err := runCmd(t, "once", "-force", "-config", cfg); err != nil {
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	if n := len(masto.Statuses()); n != posted {
		t.Errorf("%d statuses after catching up, want %d: nothing more", n, posted)
	}
	items, _, _ := runCmd(t, "items", "-json", "-config", cfg)
	if n := strings.Count(items, `"mastodon":"caught up"`); n == 0 {
		t.Errorf("no item says it was caught up:\n%s", items)
	}
}

package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
)

// TestOnceComposesOnlyWhenADigestTimeHasPassed: `once` from cron follows
// the digest times through the last digest kept in the database, while a
// poster with `schedule: []` composes every cycle.
func TestOnceComposesOnlyWhenADigestTimeHasPassed(t *testing.T) {
	masto := mastodontest.NewServer(t)
	t.Setenv("TEST_MASTODON_TOKEN", masto.Token)
	cfg := deliveryConfig(t, masto, "  - {type: stdout, name: every-poll, schedule: []}\nschedule: {digest: [\"@every 1h\"]}\n")
	once := func() (string, string) {
		t.Helper()
		out, stderr, err := runCmd(t, "once", "-force", "-config", cfg)
		if err != nil {
			t.Fatalf("once: %v\n%s", err, stderr)
		}
		return out, stderr
	}
	out, stderr := once()
	if n := len(masto.Statuses()); n != 0 || !strings.Contains(stderr, `msg="digest schedule starts" poster=mastodon`) {
		t.Fatalf("first run: %d statuses, want none before the first digest time:\n%s", n, stderr)
	}
	if !strings.Contains(out, "#itsec_jp") {
		t.Errorf("the every-poll poster printed nothing:\n%s", out)
	}
	once()
	if n := len(masto.Statuses()); n != 0 {
		t.Fatalf("%d statuses before the digest time", n)
	}

	st := openStore(t, filepath.Join(filepath.Dir(cfg), "bot.db"))
	if err := st.StateOf("mastodon").Save(context.Background(), stateLastDigest, time.Now().Add(-61*time.Minute).UTC().Format(time.RFC3339Nano)); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, stderr = once()
	sent := len(masto.Statuses())
	if sent == 0 || !strings.Contains(stderr, `msg="digest done" poster=mastodon`) {
		t.Fatalf("digest time passed: %d statuses:\n%s", sent, stderr)
	}
	if _, stderr = once(); len(masto.Statuses()) != sent || strings.Contains(stderr, "digest done") {
		t.Errorf("a second digest within the hour:\n%s", stderr)
	}
}

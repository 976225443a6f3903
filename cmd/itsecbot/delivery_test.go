package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
	"github.com/itsecbot/itsecbot/store"
)

// deliveryConfig writes a config reading captured feeds and posting to
// masto, and returns its path.
func deliveryConfig(t *testing.T, masto *mastodontest.Server, extra string) string {
	t.Helper()
	return capturedFeedsConfig(t, fmt.Sprintf(`  - type: mastodon
    server: %s
    access_token: ${TEST_MASTODON_TOKEN}
%s`, masto.URL, extra))
}

// capturedFeedsConfig writes a config reading four captured feeds, every
// item accepted and at most 20 stories a digest, with the given posters
// entries, and returns its path.
func capturedFeedsConfig(t *testing.T, posters string) string {
	t.Helper()
	var feeds strings.Builder
	for _, f := range []string{"jvn-rss10.rdf", "jvndb-new-rss10.rdf", "ipa-alert-rss10.rdf", "cisa-advisories-rss2.xml"} {
		path, err := filepath.Abs(filepath.Join("..", "..", "testdata", "feeds", f))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&feeds, "  - name: %s\n    url: file://%s\n", strings.TrimSuffix(f, filepath.Ext(f)), path)
	}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfg, fmt.Sprintf(`database: bot.db
max_age: "0"
backfill: 100
log: {level: debug}
digest: {max_stories: 20}
feeds:
%sposters:
%s`, feeds.String(), posters))
	return cfg
}

// checkOnServerOnce asserts that every accepted story of the database at
// cfg is on masto exactly once, and that no reply is an orphan.
func checkOnServerOnce(t *testing.T, cfg string, masto *mastodontest.Server) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(filepath.Dir(cfg), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	items, err := st.Items(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	statuses := masto.Statuses()
	ids := map[string]bool{}
	for _, s := range statuses {
		ids[s.ID] = true
		if s.InReplyToID != "" && !ids[s.InReplyToID] {
			t.Errorf("status %s answers %s, which is not before it on the server", s.ID, s.InReplyToID)
		}
	}
	accepted := 0
	for _, it := range items {
		if it.State != store.Accepted {
			continue
		}
		accepted++
		n := 0
		for _, s := range statuses {
			n += strings.Count(s.Text, it.Link)
		}
		if n != 1 || len(it.NotPostedBy) != 0 {
			t.Errorf("story %q is on the server %d times (not posted: %v)", it.Title, n, it.NotPostedBy)
		}
	}
	if accepted < 40 {
		t.Fatalf("%d accepted stories, want the captured feeds' ~56", accepted)
	}
}

// TestUnknownOutcomesOfTheRealBinaryAreNotDoubled runs the real binary
// against a server that ignores Idempotency-Key and stores a status whose
// answer never reaches the bot: the bot is killed, times out, or gets a
// 502. The next run finds the status instead of sending it again.
func TestUnknownOutcomesOfTheRealBinaryAreNotDoubled(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		fault func(c *atomic.Pointer[child]) mastodontest.Fault
	}{
		{"killed after the server stored the post", "", func(c *atomic.Pointer[child]) mastodontest.Fault {
			return mastodontest.Fault{Publish: true, Hang: func() { c.Load().cmd.Process.Kill() }}
		}},
		{"timeout after the server stored the post", "    timeout: 1s\n", func(*atomic.Pointer[child]) mastodontest.Fault {
			return mastodontest.Fault{Publish: true, Hang: func() {}}
		}},
		{"502 after the server stored the post", "", func(*atomic.Pointer[child]) mastodontest.Fault {
			return mastodontest.Fault{Publish: true, Status: http.StatusBadGateway, Message: "bad gateway"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			masto := mastodontest.NewServer(t, mastodontest.WithoutIdempotency())
			env := []string{"TEST_MASTODON_TOKEN=" + masto.Token}
			cfg := deliveryConfig(t, masto, tt.extra)
			var running atomic.Pointer[child]
			masto.Inject(mastodontest.Fault{Pass: true}) // the thread's head goes out
			masto.Inject(tt.fault(&running))
			first := startChild(t, env, "once", "-config", cfg)
			running.Store(first)
			first.cmd.Wait()
			stored := len(masto.Statuses())
			if stored != 2 {
				t.Fatalf("%d statuses after the first run, want 2 (the second stored behind the fault)\n%s", stored, first.stderr.String())
			}
			for range 3 {
				if c, err := runChild(t, env, "once", "-config", cfg); err != nil {
					t.Fatalf("next run: %v\n%s", err, c.stderr.String())
				} else if strings.Contains(c.stderr.String(), "published; recorded, not sent again") {
					t.Logf("found the stored post: %s", lineWith(c.stderr.String(), "recorded, not sent again"))
				}
			}
			checkOnServerOnce(t, cfg, masto)
		})
	}
}

func lineWith(s, sub string) string {
	for line := range strings.Lines(s) {
		if strings.Contains(line, sub) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

func TestRevokedTokenIsReportedByCheckAndOutbox(t *testing.T) {
	masto := mastodontest.NewServer(t)
	t.Setenv("TEST_MASTODON_TOKEN", masto.Token)
	cfg := deliveryConfig(t, masto, "")
	masto.SetToken("a-new-token") // the bot's token is revoked
	_, stderr, err := runCmd(t, "once", "-config", cfg)
	if err != nil {
		t.Fatalf("once: %v", err)
	}
	if !strings.Contains(stderr, "level=ERROR") || !strings.Contains(stderr, "credentials") || !strings.Contains(stderr, "poster=mastodon") {
		t.Errorf("no ERROR naming the poster and the credentials:\n%s", stderr)
	}
	out, _, err := runCmd(t, "outbox", "-config", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "pending") || !strings.Contains(out, "HTTP 401") {
		t.Errorf("outbox does not show the waiting post with the 401:\n%s", out)
	}
	items, _, _ := runCmd(t, "items", "-config", cfg)
	if !strings.Contains(items, "queued for mastodon: waiting since") || !strings.Contains(items, "HTTP 401") {
		t.Errorf("items gives queued stories no reason:\n%s", items)
	}
	out, _, err = runCmd(t, "check", "-online", "-config", cfg)
	if err == nil || !strings.Contains(out, "poster mastodon: error") || !strings.Contains(out, "401") {
		t.Errorf("check -online = %v:\n%s", err, out)
	}
	masto.SetToken(masto.Token)
	out, _, err = runCmd(t, "check", "-online", "-config", cfg)
	if err != nil || !strings.Contains(out, "poster mastodon: ok: @bot@") || !strings.Contains(out, "limit 500") {
		t.Errorf("check -online with a working token = %v:\n%s", err, out)
	}
	for range 4 { // 20 stories per digest
		if _, _, err := runCmd(t, "once", "-config", cfg); err != nil {
			t.Fatal(err)
		}
	}
	checkOnServerOnce(t, cfg, masto)
}

func TestRetryRequeuesAFailedPost(t *testing.T) {
	masto := mastodontest.NewServer(t)
	t.Setenv("TEST_MASTODON_TOKEN", masto.Token)
	cfg := deliveryConfig(t, masto, "")
	if _, _, err := runCmd(t, "once", "-config", cfg); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, "retry", "-config", cfg, "1")
	if err == nil || !strings.Contains(err.Error(), "not failed") {
		t.Errorf("retry of a sent post = %v %s", err, out)
	}
	if _, _, err := runCmd(t, "retry", "-config", cfg, "999"); err == nil || exitCode(err, &strings.Builder{}) != 2 {
		t.Errorf("retry of a missing post = %v, want a usage error", err)
	}
}

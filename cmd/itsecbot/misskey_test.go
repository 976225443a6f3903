package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster/misskey"
	"github.com/itsecbot/itsecbot/poster/misskey/misskeytest"
	"github.com/itsecbot/itsecbot/store"
)

// misskeyConfig writes a config reading captured feeds and posting to mk
// through a misskey poster (extra is added to its entry), and returns its
// path.
func misskeyConfig(t *testing.T, mk *misskeytest.Server, extra string) string {
	t.Helper()
	return capturedFeedsConfig(t, fmt.Sprintf(`  - type: misskey
    server: %s
    access_token: ${TEST_MISSKEY_TOKEN}
%s`, mk.URL, extra))
}

// TestMisskeyUnknownOutcomesAreNotPostedTwice runs the whole program
// (config, platform table, pipeline, poster) against the fake Misskey.
// The second note of the first thread is stored but its answer is lost:
// the connection drops, the server answers 202 PROCESSING (misskey.io) or
// 500, or the bot times out. The next run reads the account's notes back,
// finds it, records it, and continues the thread from it. Every story is
// on the server once.
func TestMisskeyUnknownOutcomesAreNotPostedTwice(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		fault misskeytest.Fault
	}{
		{"connection dropped", "", misskeytest.Fault{Publish: true, Drop: true}},
		{"202 PROCESSING", "", misskeytest.Fault{Publish: true, Status: http.StatusAccepted}},
		{"500 after storing", "", misskeytest.Fault{Publish: true, Status: http.StatusInternalServerError}},
		{"timeout", "    timeout: 1s\n", misskeytest.Fault{Publish: true, Hang: func() {}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mk := misskeytest.NewServer(t, misskeytest.WithMaxNoteLength(1000))
			t.Setenv("TEST_MISSKEY_TOKEN", mk.Token)
			cfg := misskeyConfig(t, mk, tt.extra)
			out, _, err := runCmd(t, "check", "-online", "-config", cfg)
			if err != nil || !strings.Contains(out, "poster misskey: ok: @bot@") || !strings.Contains(out, "misskey limit 1000, 10 reserved") {
				t.Fatalf("check -online = %v:\n%s", err, out)
			}
			mk.Inject(misskeytest.Fault{Pass: true}) // the thread's head goes out
			mk.Inject(tt.fault)                      // the next is stored, its answer lost
			if _, stderr, err := runCmd(t, "once", "-config", cfg); err != nil || len(mk.Notes()) != 2 {
				t.Fatalf("first run: %v, %d notes, want 2\n%s", err, len(mk.Notes()), stderr)
			}
			_, stderr, err := runCmd(t, "once", "-config", cfg)
			if err != nil || !strings.Contains(stderr, "an earlier attempt was published; recorded, not sent again") {
				t.Fatalf("second run: %v; the stored note was not found by reading back\n%s", err, stderr)
			}
			for range 4 { // 20 stories per cycle
				if _, stderr, err := runCmd(t, "once", "-config", cfg); err != nil {
					t.Fatalf("run: %v\n%s", err, stderr)
				}
			}
			checkOnMisskeyOnce(t, cfg, mk)
		})
	}
}

// checkOnMisskeyOnce asserts that every accepted story of the database at
// cfg is on mk exactly once, and that every reply answers an earlier note.
func checkOnMisskeyOnce(t *testing.T, cfg string, mk *misskeytest.Server) {
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
	notes := mk.Notes()
	ids := map[string]bool{}
	var texts []string
	for _, n := range notes {
		if n.ReplyID != "" && !ids[n.ReplyID] {
			t.Errorf("note %s answers %s, which is not before it on the server", n.ID, n.ReplyID)
		}
		ids[n.ID] = true
		texts = append(texts, strings.ReplaceAll(misskey.Unneutralise(n.Text), "\u200b", ""))
	}
	accepted := 0
	for _, it := range items {
		if it.State != store.Accepted {
			continue
		}
		accepted++
		n := 0
		for _, text := range texts {
			n += strings.Count(text, it.Link)
		}
		if n != 1 || len(it.NotPostedBy) != 0 {
			t.Errorf("story %q is on the server %d times (not posted: %v)", it.Title, n, it.NotPostedBy)
		}
	}
	if accepted < 40 {
		t.Fatalf("%d accepted stories, want the captured feeds' ~56", accepted)
	}
}

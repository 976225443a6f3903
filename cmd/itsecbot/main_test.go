package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
)

// runCmd runs the program as a user would and returns its streams.
func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// serveFixture serves one of the project's captured feeds over HTTP.
func serveFixture(t *testing.T, name string) *httptest.Server {
	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "feeds", name))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rdf+xml")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestOnceEndToEndWithFakeMastodon(t *testing.T) {
	feed := serveFixture(t, "jvndb-new-rss10.rdf")
	masto := mastodontest.NewServer(t)
	t.Setenv("TEST_MASTODON_TOKEN", masto.Token)
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfgPath, fmt.Sprintf(`database: bot.db
max_age: "0"
feeds:
  - name: JVN iPedia
    url: %s
    backfill: 2
    tags: ["#JVN"]
posters:
  - type: mastodon
    server: %s
    access_token: ${TEST_MASTODON_TOKEN}
`, feed.URL, masto.URL))

	if _, stderr, err := runCmd(t, "once", "-config", cfgPath); err != nil {
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	statuses := masto.Statuses()
	if len(statuses) == 0 {
		t.Fatal("nothing posted to Mastodon")
	}
	all := ""
	for _, s := range statuses {
		all += s.Text + "\n"
		if s.Visibility != "unlisted" || s.Language != "ja" || s.IdempotencyKey == "" {
			t.Errorf("status sent with visibility=%q language=%q key=%q", s.Visibility, s.Language, s.IdempotencyKey)
		}
	}
	for _, want := range []string{"#itsec_jp", "#JVN", "EdgeGallery/developer における信頼できないデータのデシリアライゼーションに関する脆弱性", "JVN iPedia"} {
		if !strings.Contains(all, want) {
			t.Errorf("posts lack %q:\n%s", want, all)
		}
	}

	// Again, forced: the feed is fetched, nothing is new, nothing is posted.
	if _, stderr, err := runCmd(t, "once", "-force", "-config", cfgPath); err != nil {
		t.Fatalf("second once: %v\n%s", err, stderr)
	}
	if n := len(masto.Statuses()); n != len(statuses) {
		t.Errorf("second run posted %d more statuses", n-len(statuses))
	}

	out, _, err := runCmd(t, "items", "-json", "-config", cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 {
		t.Fatalf("items -json printed %d lines, want 6 (every stored item)", len(lines))
	}
	posted := 0
	for _, line := range lines {
		var it map[string]any
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			t.Fatalf("items -json line %q: %v", line, err)
		}
		for _, k := range []string{"feed", "title", "link", "published", "key", "accepted", "reason", "posted"} {
			if _, ok := it[k]; !ok {
				t.Errorf("items -json line lacks %q: %s", k, line)
			}
		}
		if p, _ := it["posted"].([]any); len(p) == 1 && p[0] == "mastodon" {
			posted++
		}
	}
	if posted != 2 {
		t.Errorf("%d items posted to mastodon, want the 2 backfilled", posted)
	}
}

// closedURL is a loopback address where nothing listens.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/feed.rdf"
}

func TestOnceWithUnreachableFeedsExitsZero(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfgPath, fmt.Sprintf("feeds:\n  - {name: A, url: %s}\n  - {name: B, url: %s}\nposters:\n  - type: mastodon\n    server: https://mastodon.example\n    access_token: ${UNSET_TOKEN_FOR_TEST}\n",
		closedURL(t), closedURL(t)))
	_, stderr, err := runCmd(t, "once", "-config", cfgPath)
	if err != nil {
		t.Fatalf("once with unreachable feeds: %v", err)
	}
	if n := strings.Count(stderr, `msg="feed failed"`); n != 2 {
		t.Errorf("want one error line per feed, got %d:\n%s", n, stderr)
	}
	if !strings.Contains(stderr, "UNSET_TOKEN_FOR_TEST is not set") {
		t.Errorf("missing credentials not reported:\n%s", stderr)
	}
	if strings.Contains(stderr, "goroutine ") {
		t.Errorf("stack trace in output:\n%s", stderr)
	}
	out, _, err := runCmd(t, "feeds", "-json", "-config", cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var f feedJSON
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatal(err)
		}
		if f.ConsecutiveFailures != 1 || f.LastError == "" || f.NextDue == "" || f.LastOK != "" {
			t.Errorf("feed health after failure: %+v", f)
		}
	}
}

func TestDemoConfigPrintsDigestOnceThenNothing(t *testing.T) {
	dir := t.TempDir()
	demo, err := os.ReadFile(filepath.Join("..", "..", "examples", "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "examples", "demo.yaml"), string(demo))
	abs, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err := os.Symlink(abs, filepath.Join(dir, "testdata")); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "examples", "demo.yaml")
	out, stderr, err := runCmd(t, "once", "-config", cfg)
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	for _, want := range []string{"#itsec_jp", "JVN iPedia", "IPA"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	// Forced, so every feed is read again: nothing is new, nothing is printed.
	out, _, err = runCmd(t, "once", "-force", "-config", cfg)
	if err != nil || strings.TrimSpace(out) != "" {
		t.Errorf("second demo run printed %q (err %v), want nothing", out, err)
	}
}

func TestExitCodes(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, bad, "feeds:\n  - name: a\n    url: https://a.example/\n    intervl: 1m\n")
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"check", "-config", bad}, 2, `config.yaml:4:5: feeds[0].intervl: unknown field "intervl" (did you mean "interval"?)`},
		{[]string{"once", "-config", bad}, 2, "unknown field"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"once", "-nope"}, 2, "flag provided but not defined"},
		{[]string{"items", "-config", filepath.Join(t.TempDir(), "missing.yaml")}, 2, "missing.yaml: cannot read config: no such file"},
		{[]string{"version"}, 0, ""},
	}
	for _, tt := range tests {
		_, _, err := runCmd(t, tt.args...)
		var msg bytes.Buffer
		if code := exitCode(err, &msg); code != tt.code || !strings.Contains(msg.String(), tt.msg) {
			t.Errorf("%v: exit %d %q, want %d containing %q", tt.args, code, msg.String(), tt.code, tt.msg)
		}
	}
}

func TestCheckReportsMissingCredentials(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfgPath, "feeds:\n  - {name: A, url: https://a.example/feed}\nposters:\n  - type: mastodon\n    server: https://m.example\n    access_token: ${UNSET_TOKEN_FOR_TEST}\n")
	out, _, err := runCmd(t, "check", "-config", cfgPath)
	if err != nil || !strings.Contains(out, "ok: feeds 1 (1 enabled), posters 1") || !strings.Contains(out, `poster "mastodon" has no credentials`) {
		t.Errorf("check = %q, %v", out, err)
	}
}

func TestDryRunSendsNothingAndMarksNothing(t *testing.T) {
	feed := serveFixture(t, "ipa-alert-rss10.rdf")
	masto := mastodontest.NewServer(t)
	t.Setenv("TEST_MASTODON_TOKEN", masto.Token)
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfgPath, fmt.Sprintf("max_age: \"0\"\nbackfill: 2\nfeeds:\n  - {name: IPA, url: %s}\nposters:\n  - type: mastodon\n    server: %s\n    access_token: ${TEST_MASTODON_TOKEN}\n", feed.URL, masto.URL))

	out, stderr, err := runCmd(t, "once", "-dry-run", "-config", cfgPath)
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "#itsec_jp") || !strings.Contains(out, "「FileZen」におけるOSコマンドインジェクションの脆弱性について") {
		t.Errorf("dry run did not print the posts:\n%s", out)
	}
	if n := len(masto.Statuses()); n != 0 {
		t.Fatalf("dry run sent %d statuses", n)
	}
	// The real run posts what the dry run only printed.
	if _, stderr, err := runCmd(t, "once", "-force", "-config", cfgPath); err != nil {
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	if len(masto.Statuses()) == 0 {
		t.Fatal("items printed by the dry run were lost: nothing posted afterwards")
	}
}

func TestSecondRunOnSameDatabaseIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bot.db")
	unlock, err := lockDatabase(db)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if _, err := lockDatabase(db); err == nil || !strings.Contains(err.Error(), "another itsecbot is running") {
		t.Errorf("second lock: %v, want refusal", err)
	}
}

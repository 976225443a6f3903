package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/x/xtest"
)

// TestXPoster runs the command against the X fake: check -online shows
// the account, and the x poster's default daily cap holds across runs.
func TestXPoster(t *testing.T) {
	srv := xtest.NewServer(t)
	creds := xtest.DefaultCredentials
	t.Setenv("TEST_X_CONSUMER_KEY", creds.ConsumerKey)
	t.Setenv("TEST_X_CONSUMER_SECRET", creds.ConsumerSecret)
	t.Setenv("TEST_X_ACCESS_TOKEN", creds.AccessToken)
	t.Setenv("TEST_X_ACCESS_TOKEN_SECRET", creds.AccessTokenSecret)
	feed, err := filepath.Abs(filepath.Join("..", "..", "testdata", "feeds", "jvn-rss10.rdf"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfg, fmt.Sprintf(`database: bot.db
max_age: "0"
backfill: 100
feeds:
  - name: JVN
    url: file://%s
posters:
  - type: x
    api_url: %s
    consumer_key: ${TEST_X_CONSUMER_KEY}
    consumer_secret: ${TEST_X_CONSUMER_SECRET}
    access_token: ${TEST_X_ACCESS_TOKEN}
    access_token_secret: ${TEST_X_ACCESS_TOKEN_SECRET}
`, feed, srv.URL))
	out, _, err := runCmd(t, "check", "-online", "-config", cfg)
	if err != nil || !strings.Contains(out, "poster x: ok: @itsecbot_jp https://x.com/itsecbot_jp; x limit 280") {
		t.Errorf("check -online = %v:\n%s", err, out)
	}
	japan := time.FixedZone("JST", 9*60*60)
	day := time.Now().In(japan).YearDay()
	for range 2 {
		if _, stderr, err := runCmd(t, "once", "-force", "-config", cfg); err != nil {
			t.Fatalf("once: %v\n%s", err, stderr)
		}
	}
	if time.Now().In(japan).YearDay() != day {
		t.Skip("the day changed between the runs")
	}
	if n := len(srv.Tweets()); n != 3 {
		t.Errorf("%d posts on X after two runs, want the default cap of 3", n)
	}
}

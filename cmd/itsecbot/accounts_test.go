package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
)

// Two accounts of one platform side by side, each with its own layout,
// hashtags and language, each posting every story once.
func TestTwoAccountsOfOnePlatform(t *testing.T) {
	ja, en := mastodontest.NewServer(t), mastodontest.NewServer(t, mastodontest.WithToken("other-token"))
	t.Setenv("TEST_JA_TOKEN", ja.Token)
	t.Setenv("TEST_EN_TOKEN", en.Token)
	feed, err := filepath.Abs(filepath.Join("..", "..", "testdata", "feeds", "jvndb-new-rss10.rdf"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfg, fmt.Sprintf(`database: bot.db
max_age: "0"
feeds:
  - {name: JVN iPedia, url: "file://%s", backfill: 3}
posters:
  - type: mastodon
    name: itsec-ja
    server: %s
    access_token: ${TEST_JA_TOKEN}
  - type: mastodon
    name: itsec-en
    server: %s
    access_token: ${TEST_EN_TOKEN}
    layout: each
    hashtags: ["#infosec"]
    language: en
    visibility: public
`, feed, ja.URL, en.URL))
	if _, stderr, err := runCmd(t, "once", "-config", cfg); err != nil {
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	jaPosts, enPosts := ja.Statuses(), en.Statuses()
	if len(jaPosts) != 1 || !strings.Contains(jaPosts[0].Text, "全3件") || !strings.Contains(jaPosts[0].Text, "#itsec_jp") {
		t.Errorf("itsec-ja got %d statuses, want one digest of 3 with #itsec_jp: %+v", len(jaPosts), jaPosts)
	}
	if len(enPosts) != 3 {
		t.Fatalf("itsec-en got %d statuses, want 3 (one per story)", len(enPosts))
	}
	for _, s := range enPosts {
		if s.Language != "en" || s.Visibility != "public" || !strings.Contains(s.Text, "#infosec") || strings.Contains(s.Text, "#itsec_jp") {
			t.Errorf("itsec-en status: language %q, visibility %q, text %q", s.Language, s.Visibility, s.Text)
		}
	}
	if _, _, err := runCmd(t, "once", "-force", "-config", cfg); err != nil {
		t.Fatal(err)
	}
	if len(ja.Statuses()) != 1 || len(en.Statuses()) != 3 {
		t.Errorf("a second run posted again: %d and %d statuses", len(ja.Statuses()), len(en.Statuses()))
	}
}

package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestPreviewShowsTheNextPostsAndChangesNothing(t *testing.T) {
	feed := serveFixture(t, "jvndb-new-rss10.rdf")
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	writeFile(t, cfgPath, fmt.Sprintf(`database: bot.db
max_age: "0"
digest: {layout: each}
feeds:
  - {name: JVN iPedia, url: %s, backfill: 3}
posters:
  - {type: stdout, name: demo, rule: x}
  - type: mastodon
    server: https://mastodon.example
    access_token: ${PREVIEW_TEST_UNSET_TOKEN}
`, feed.URL))
	if _, stderr, err := runCmd(t, "once", "-dry-run", "-config", cfgPath); err != nil {
		t.Fatalf("once -dry-run: %v\n%s", err, stderr)
	}
	db := filepath.Join(dir, "bot.db")
	before := fileSum(t, db)

	out, stderr, err := runCmd(t, "preview", "-config", cfgPath)
	if err != nil {
		t.Fatalf("preview: %v\n%s", err, stderr)
	}
	for _, want := range []string{
		"== demo (x default limit) ==\n",
		"== mastodon (mastodon limit 500, URLs count 23) ==\nno credentials (environment variable PREVIEW_TEST_UNSET_TOKEN is not set): previewed under the platform's fallback rule\n",
		"--- thread 1/3, post 1/1, length ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	if m := regexp.MustCompile(`length (\d+)/280\n`).FindAllStringSubmatch(out, -1); len(m) != 3 {
		t.Errorf("want three demo posts measured out of X's 280:\n%s", out)
	}
	if after := fileSum(t, db); after != before {
		t.Error("preview changed the database file")
	}

	only, _, err := runCmd(t, "preview", "-config", cfgPath, "-poster", "demo")
	if err != nil || strings.Contains(only, "== mastodon") || !strings.HasPrefix(only, "== demo") {
		t.Errorf("preview -poster demo = %v:\n%s", err, only)
	}
	sent, stderr, err := runCmd(t, "once", "-config", cfgPath)
	if err != nil {
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	for _, text := range previewTexts(only) {
		if !strings.Contains(sent, text) {
			t.Errorf("the cycle did not send the previewed post:\n%s\nit sent:\n%s", text, sent)
		}
	}
	if again, _, _ := runCmd(t, "preview", "-config", cfgPath, "-poster", "demo"); !strings.Contains(again, "nothing new to post") {
		t.Errorf("after the cycle sent them, preview shows:\n%s", again)
	}
}

// previewTexts cuts the posts out of a preview's output.
func previewTexts(out string) []string {
	var texts []string
	for _, part := range strings.Split(out, "--- ")[1:] {
		_, text, _ := strings.Cut(part, "\n")
		texts = append(texts, strings.TrimRight(text, "\n"))
	}
	return texts
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestPreviewNeedsADatabaseAndAKnownPoster(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	writeFile(t, cfgPath, "database: bot.db\nfeeds:\n  - {name: a, url: file:missing.xml}\nposters:\n  - {type: stdout, name: demo}\n")
	if _, _, err := runCmd(t, "preview", "-config", cfgPath); err == nil || !strings.Contains(err.Error(), "no database at") {
		t.Errorf("preview without a database: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bot.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("preview created the database: %v", err)
	}
	if _, stderr, err := runCmd(t, "once", "-config", cfgPath); err != nil {
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	var ue *usageError
	_, _, err := runCmd(t, "preview", "-config", cfgPath, "-poster", "nobody")
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), `no poster named "nobody" (posters: demo)`) {
		t.Errorf("preview -poster nobody: %v", err)
	}
}

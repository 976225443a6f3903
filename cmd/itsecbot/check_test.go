package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckOnlineFetchesEachFeedStoringNothing(t *testing.T) {
	ipa := serveFixture(t, "ipa-alert-rss10.rdf")
	sjis, err := filepath.Abs(filepath.Join("..", "..", "testdata", "feeds", "2ch-top10news-sjis-rss10.rdf"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	good := fmt.Sprintf("database: bot.db\nfeeds:\n  - {name: IPA, url: %s}\n  - {name: 2ch, url: \"file://%s\"}\nposters:\n  - {type: stdout}\n", ipa.URL, sjis)
	writeFile(t, cfg, good)
	out, _, err := runCmd(t, "check", "-online", "-config", cfg)
	if err != nil {
		t.Fatalf("check -online: %v\n%s", err, out)
	}
	for _, want := range []string{"FEED", "IPA", "200", "rss 1.0", "utf-8", "2ch", "file", "shift_jis", "schedule: poll @every 15m (the shortest feed interval)"} {
		if !strings.Contains(out, want) {
			t.Errorf("check -online output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bot.db")); err == nil {
		t.Error("check -online created the database")
	}

	writeFile(t, cfg, strings.Replace(good, "feeds:\n", fmt.Sprintf("feeds:\n  - {name: down, url: %s}\n", closedURL(t)), 1))
	out, _, err = runCmd(t, "check", "-online", "-config", cfg)
	if err == nil || exitCode(err, &strings.Builder{}) != 1 || !strings.Contains(out, "connection refused") {
		t.Errorf("check -online with a feed down: %v\n%s", err, out)
	}
}

func TestCheckReportsWhatARunWillNeed(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	writeFile(t, cfg, "database: state/bot.db\nfeeds:\n  - {name: a, url: \"file:feeds/a.rdf\"}\n")
	_, _, err := runCmd(t, "check", "-config", cfg)
	var msg strings.Builder
	if code := exitCode(err, &msg); code != 2 ||
		!strings.Contains(msg.String(), "config.yaml:1: database: the folder "+filepath.Join(dir, "state")+" does not exist") ||
		!strings.Contains(msg.String(), "config.yaml:3: feeds[0].url: cannot read") {
		t.Errorf("check = %d:\n%s", code, msg.String())
	}
}

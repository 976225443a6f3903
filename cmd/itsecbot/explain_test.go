package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/poster/postertest"
	"github.com/itsecbot/itsecbot/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// storyConfig is the one story told by four sources, with the KEV catalog.
func storyConfig(t *testing.T) string {
	t.Helper()
	abs := func(parts ...string) string {
		p, err := filepath.Abs(filepath.Join(append([]string{"..", "..", "testdata"}, parts...)...))
		if err != nil {
			t.Fatal(err)
		}
		return "file://" + p
	}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfg, fmt.Sprintf(`database: bot.db
max_age: "0"
backfill: 10
filter: {include: [脆弱性, vulnerability]}
feeds:
  - {name: JPCERT/CC, url: %s, weight: 2, trusted: true}
  - {name: IPA, url: %s, weight: 1}
  - {name: Cisco, url: %s}
  - {name: CISA KEV, url: %s, kind: kev}
`, abs("stories", "jpcert.rdf"), abs("stories", "ipa.rdf"), abs("stories", "cisco.xml"),
		abs("kev", "known_exploited_vulnerabilities.json")))
	return cfg
}

func TestExplainGolden(t *testing.T) {
	cfgPath := storyConfig(t)
	now := time.Date(2025, 9, 26, 3, 0, 0, 0, time.UTC)
	cfg, err := config.Load(cfgPath, func(string) (string, bool) { return "", false }, platforms())
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	rec := &postertest.Recorder{PosterName: "mastodon", Clock: func() time.Time { return now }}
	target := []pipeline.Target{{Poster: rec}}
	all := cfg.Feeds
	c := &pipeline.Cycle{Config: cfg, Store: st, Fetcher: feeds.NewFetcher(feeds.Options{}), Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	// The poster joins first; then the feeds are read one by one, so that
	// item ids do not depend on which fetch ends first; then it posts.
	for i := range len(all) + 2 {
		switch {
		case i == 0:
			c.Targets, cfg.Feeds = target, nil
		case i <= len(all):
			c.Targets, cfg.Feeds = nil, all[i-1:i]
		default:
			c.Targets, cfg.Feeds = target, all
		}
		if _, err := c.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	var out, errb bytes.Buffer
	if err := runExplain(context.Background(), []string{"-config", cfgPath, "cve-2025-20333"}, &out, &errb,
		func() time.Time { return now }); err != nil {
		t.Fatalf("explain: %v\n%s", err, errb.String())
	}
	got := out.String()
	golden := filepath.Join("testdata", "explain.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("explain output differs from %s (run with -update after checking):\n%s", golden, got)
	}
	if !strings.Contains(got, "JPCERT/CC / IPA / Cisco") || !strings.Contains(got, "kev") {
		t.Errorf("explain misses the sources or the KEV part:\n%s", got)
	}
}

func TestExplainNamesNothing(t *testing.T) {
	cfg := storyConfig(t)
	if _, _, err := runCmd(t, "once", "-config", cfg); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, "explain", "-config", cfg, "CVE-1999-0001")
	if err == nil || exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), "no stored item") {
		t.Errorf("explain of an unknown CVE = %v", err)
	}
}

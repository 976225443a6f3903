package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
)

// cronCommand is the command of deploy/crontab's entry, run from dir.
func cronCommand(t *testing.T, dir string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "crontab"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(raw)) {
		if f := strings.Fields(line); len(f) > 5 && !strings.HasPrefix(f[0], "#") {
			return strings.ReplaceAll(strings.Join(f[5:], " "), "/srv/itsecbot", dir)
		}
	}
	t.Fatal("deploy/crontab has no entry")
	return ""
}

// TestCrontabEntryPassesTheEnvironment runs deploy/crontab's command with
// /bin/sh and cron's bare environment, against an env file of VAR=value
// lines: the bot must see the credentials and post. The recipe the README
// gave before, `. ./env && ./itsecbot once`, serves as the control: it
// never exports them, and the bot only prints.
func TestCrontabEntryPassesTheEnvironment(t *testing.T) {
	bin := builtBinary(t)
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	masto := mastodontest.NewServer(t)
	dir := t.TempDir()
	feed, err := filepath.Abs(filepath.Join("..", "..", "testdata", "feeds", "ipa-alert-rss10.rdf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(bin, filepath.Join(dir, "itsecbot")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "config.yaml"), fmt.Sprintf(`max_age: "0"
backfill: 2
feeds:
  - {name: IPA, url: "file://%s"}
posters:
  - type: mastodon
    server: ${ITSECBOT_MASTODON_SERVER}
    access_token: ${ITSECBOT_MASTODON_TOKEN}
`, feed))
	writeFile(t, filepath.Join(dir, "env"), fmt.Sprintf("ITSECBOT_MASTODON_SERVER=%s\nITSECBOT_MASTODON_TOKEN=%s\n", masto.URL, masto.Token))
	cronEnv := []string{"PATH=/usr/bin:/bin", "SHELL=/bin/sh", "HOME=" + dir, "LOGNAME=bot"}
	sh := func(command string) {
		t.Helper()
		cmd := exec.Command("/bin/sh", "-c", command)
		cmd.Env = cronEnv
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", command, err, out)
		}
	}
	logFile := filepath.Join(dir, "itsecbot.log")

	sh(fmt.Sprintf("cd %s && . ./env && ./itsecbot once >>itsecbot.log 2>&1", dir))
	log, _ := os.ReadFile(logFile)
	if len(masto.Statuses()) != 0 || !strings.Contains(string(log), "poster has no credentials") {
		t.Fatalf("the unexported recipe: %d statuses, log:\n%s", len(masto.Statuses()), log)
	}

	line := cronCommand(t, dir)
	if !strings.Contains(line, dir) {
		t.Fatalf("the crontab entry does not run from its folder: %s", line)
	}
	sh(line)
	log, _ = os.ReadFile(logFile)
	if len(masto.Statuses()) == 0 {
		t.Fatalf("the crontab entry posted nothing; log:\n%s", log)
	}
}

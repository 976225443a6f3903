package faults

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// schemaV2 is the last commit whose store had two migrations: the third
// (stories across feeds) fills refs in for every stored item.
const schemaV2 = "9241ba3"

// oldBinary builds itsecbot as it was at commit, from this repository's
// history, or skips when the history or the build is not at hand.
func oldBinary(t *testing.T, commit string) string {
	t.Helper()
	if err := exec.Command("git", "-C", "..", "cat-file", "-e", commit+"^{commit}").Run(); err != nil {
		t.Skipf("commit %s is not in this clone: %v", commit, err)
	}
	src := t.TempDir()
	archive := exec.Command("sh", "-c", fmt.Sprintf("git -C .. archive %s | tar -x -C %s", commit, src))
	if out, err := archive.CombinedOutput(); err != nil {
		t.Skipf("export %s: %v %s", commit, err, out)
	}
	bin := filepath.Join(src, "itsecbot-old")
	build := exec.Command("go", "build", "-o", bin, "./cmd/itsecbot")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		t.Skipf("build itsecbot at %s: %v %s", commit, err, out)
	}
	return bin
}

// TestKilledDuringMigrationWithData: a database that an earlier release
// wrote (items, posts delivered) is migrated by this one, which is killed
// in the middle of the migration that computes every item's refs. The next
// run migrates it, posts what is new, and posts nothing again. It builds
// the earlier release (a whole compile on a cold cache), so it runs with
// -full; the default set kills migrations of a new database.
func TestKilledDuringMigrationWithData(t *testing.T) {
	t.Parallel()
	if !*full {
		t.Skip("builds an earlier release: run with -full")
	}
	binary(t)
	old := oldBinary(t, schemaV2)
	w := newWorld(t, []string{mastodonPoster})
	// A config the earlier release reads: no KEV feed, no digest keys.
	var b strings.Builder
	b.WriteString("database: bot.db\nmax_age: \"0\"\nbackfill: 100\nfeeds:\n")
	for _, name := range storyFeeds {
		fmt.Fprintf(&b, "  - {name: %s, url: %s}\n", name, w.feeds.url(name))
	}
	b.WriteString(w.plat.yaml(w.order))
	if err := os.WriteFile(w.cfg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	earlier := &runner{env: w.env}
	p := earlier.runBinary(t, old, "", "once", "-config", w.cfg)
	if p.err != nil || len(w.plat.posts(mastodonPoster)) == 0 {
		t.Fatalf("the earlier release: %v, %d posts\n%s", p.err, len(w.plat.posts(mastodonPoster)), p.stderr)
	}
	w.feeds.add(2, storyFeeds...)
	w.crash(t, "store.migrate.3")
	w.once(t, "-force") // the feeds are not due yet: the earlier release polled them
	w.settle(t, settleLimit)
	w.checkSound(t, 15)
}

package faults

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFullDisk fills the disk in the middle of a cycle that stores large
// items: the run stops with an error naming the database and what to do,
// the database stays sound, and once there is space again the next runs
// store the items and deliver every story once. The disk is a small
// tmpfs (root only), and then a file size limit (RLIMIT_FSIZE) on the
// run: Go ignores SIGXFSZ, so the write fails with EFBIG instead of
// killing the process.
func TestFullDisk(t *testing.T) {
	t.Parallel()
	binary(t)
	t.Run("tmpfs", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "disk")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
			t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("umount", dir).Run() })
		w := fillDisk(t, dir, nil)
		if out, err := exec.Command("mount", "-o", "remount,size=64m", dir).CombinedOutput(); err != nil {
			t.Fatalf("grow the tmpfs: %v %s", err, out)
		}
		w.once(t, "-force") // the feeds' next poll
		w.settle(t, settleLimit)
		w.checkSound(t, 9+60)
	})
	t.Run("file size limit", func(t *testing.T) {
		t.Parallel()
		if _, err := exec.LookPath("prlimit"); err != nil {
			t.Skip("no prlimit to set RLIMIT_FSIZE on the run")
		}
		w := fillDisk(t, t.TempDir(), []string{"prlimit", "--fsize=1048576"})
		w.wrap = nil
		w.once(t, "-force")
		w.settle(t, settleLimit)
		w.checkSound(t, 9+60)
	})
}

// fillDisk delivers a first few stories in dir, then makes runs (through
// wrap, from the second on) store 60 stories of 30 KB each, more than the
// disk holds, and checks how they fail.
func fillDisk(t *testing.T, dir string, wrap []string) *world {
	t.Helper()
	w := newWorldIn(t, dir, []string{mastodonPoster, webhookPoster}, 30)
	w.settle(t, settleLimit)
	w.wrap = wrap
	w.feeds.addSized(20, 30<<10, storyFeeds...)
	for run := range 2 {
		p := w.run(t, "", "once", "-force", "-config", w.cfg)
		full := strings.Contains(p.stderr, "the disk is full") || strings.Contains(p.stderr, "a write failed")
		if p.err == nil || p.killed || !strings.Contains(p.stderr, "database "+w.db()+": ") || !full {
			t.Fatalf("run %d on a full disk: %v (killed %v), want an error naming the database and the full disk:\n%s", run, p.err, p.killed, p.stderr)
		}
		if strings.Contains(p.stderr, "goroutine ") || strings.Contains(p.stderr, "panic") {
			t.Errorf("run %d: a crash, not an error:\n%s", run, p.stderr)
		}
		t.Logf("run %d: %s", run, lastLine(p.stderr))
	}
	return w
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

package faults

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// unprivileged is the user the bot runs as when the tests run as root,
// for whom file modes do not bite.
const unprivileged = 65534

// userWorld is a world whose bot runs as the unprivileged user (as this
// user when the tests do not run as root), in a folder that user owns.
func userWorld(t *testing.T, order []string) *world {
	t.Helper()
	base, err := os.MkdirTemp("", "itsecbot-user-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	dir := filepath.Join(base, "bot")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	w := newWorldIn(t, dir, order, 6)
	if os.Geteuid() == 0 {
		for _, p := range []string{base, dir, w.cfg} {
			if err := os.Chmod(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chown(dir, unprivileged, unprivileged); err != nil {
			t.Fatal(err)
		}
		w.cred = &syscall.Credential{Uid: unprivileged, Gid: unprivileged}
	}
	return w
}

// TestReadOnlyDatabaseRecovers: a run on a database its user cannot write
// says which file and what to do, and leaves nothing behind that outlives
// the fix: once the admin makes the file writable again, the next run
// delivers what the feeds listed meanwhile. A run of an earlier version
// left the database's -wal and -shm read-only, and every later run failed
// until someone deleted them by hand; such files are made writable again.
func TestReadOnlyDatabaseRecovers(t *testing.T) {
	t.Parallel()
	binary(t)
	w := userWorld(t, []string{mastodonPoster})
	w.settle(t, settleLimit)
	db := w.db()

	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	w.feeds.add(2, storyFeeds...)
	p := w.run(t, "", "once", "-force", "-config", w.cfg)
	if p.err == nil || !strings.Contains(p.stderr, "open database "+db+": the file is not writable by uid") ||
		!strings.Contains(p.stderr, "chmod u+w "+db) {
		t.Errorf("run on a read-only database: %v, want an error naming the file and the fix:\n%s", p.err, p.stderr)
	}
	for _, side := range []string{db + "-wal", db + "-shm"} {
		if info, err := os.Stat(side); err == nil && info.Mode().Perm()&0o200 == 0 {
			t.Errorf("the failed run left %s %v", side, info.Mode().Perm())
		}
	}

	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	w.settle(t, settleLimit)

	// Side files as an earlier version left them, read-only.
	for _, side := range []string{db + "-wal", db + "-shm"} {
		if err := os.WriteFile(side, nil, 0o444); err != nil {
			t.Fatal(err)
		}
		if w.cred != nil {
			if err := os.Chown(side, unprivileged, unprivileged); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(side, 0o444); err != nil {
			t.Fatal(err)
		}
	}
	w.feeds.add(2, storyFeeds...)
	w.once(t, "-force")
	w.settle(t, settleLimit)
	w.checkSound(t, 9+12)
}

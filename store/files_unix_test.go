//go:build unix

package store

import (
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// unprivileged is the user the child runs as when the tests run as root,
// for whom file modes do not bite.
const unprivileged = 65534

// TestOpenHelper opens the database named by STORE_OPEN_AS, writes to it,
// and prints "ok" or the error: the child of TestOpenWithUnwritableFiles.
func TestOpenHelper(t *testing.T) {
	path := os.Getenv("STORE_OPEN_AS")
	if path == "" {
		t.Skip("runs as the child of TestOpenWithUnwritableFiles")
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		os.Stdout.WriteString("error: " + err.Error() + "\n")
		return
	}
	defer s.Close()
	if _, err := s.RegisterPoster(context.Background(), "probe", time.Now()); err != nil {
		os.Stdout.WriteString("error: write: " + err.Error() + "\n")
		return
	}
	os.Stdout.WriteString("ok\n")
}

// openAs runs Open on path in a child process, as the unprivileged user
// when the test runs as root, and returns its verdict.
func openAs(t *testing.T, bin, path string) string {
	t.Helper()
	cmd := exec.Command(bin, "-test.run", "^TestOpenHelper$")
	cmd.Env = append(os.Environ(), "STORE_OPEN_AS="+path)
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: unprivileged, Gid: unprivileged}}
	}
	out, err := cmd.Output()
	for line := range strings.Lines(string(out)) {
		if line == "ok\n" || strings.HasPrefix(line, "error: ") {
			return strings.TrimSpace(line)
		}
	}
	t.Fatalf("child: %v\n%s", err, out)
	return ""
}

// sandbox returns a folder any user can enter, holding the test binary
// copied where the child's user can run it.
func sandbox(t *testing.T) (root, bin string) {
	t.Helper()
	root, err := os.MkdirTemp("", "store-open-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	bin = filepath.Join(root, "store.test")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	copyFile(t, self, bin, 0o755)
	mustDo(t, os.Chmod(root, 0o755))
	return root, bin
}

func copyFile(t *testing.T, from, to string, mode fs.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(out, in)
	mustDo(t, err, out.Close())
}

func chownUser(path string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	return os.Chown(path, unprivileged, unprivileged)
}

func mustDo(t *testing.T, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// newDatabase creates a migrated database at path, owned by the child's user.
func newDatabase(t *testing.T, path string) {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, s.Close(), chownUser(path))
}

// sideFile writes a -wal or -shm as a run that could not write would
// leave it: owned by uid, with mode.
func sideFile(t *testing.T, path string, size int, uid int, mode fs.FileMode) {
	t.Helper()
	mustDo(t, os.WriteFile(path, make([]byte, size), 0o644), os.Chown(path, uid, uid), os.Chmod(path, mode))
}

func modeOf(t *testing.T, path string) string {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		return "absent"
	}
	return info.Mode().Perm().String()
}

// TestOpenWithUnwritableFiles: a database that cannot be written is
// refused before SQLite leaves read-only -wal and -shm files beside it,
// and such files left by an earlier run are made writable again, so that
// the database works as soon as the admin fixes its mode.
func TestOpenWithUnwritableFiles(t *testing.T) {
	root := os.Geteuid() == 0
	uid := os.Geteuid()
	if root {
		uid = unprivileged
	}
	tests := []struct {
		name      string
		needsRoot bool
		setup     func(t *testing.T, db string) (cleanup func())
		want      []string // "ok", or parts of the error
		wal, shm  string   // their modes after the child ran
	}{
		{"read-only database", false, func(t *testing.T, db string) func() {
			mustDo(t, os.Chmod(db, 0o444))
			return nil
		}, []string{"the file is not writable by uid", "mode -r--r--r--", "chmod u+w "}, "absent", "absent"},
		{"read-only -wal and -shm left by a run on a read-only database", true, func(t *testing.T, db string) func() {
			sideFile(t, db+"-wal", 0, uid, 0o444)
			sideFile(t, db+"-shm", 32768, uid, 0o444)
			return nil
		}, []string{"ok"}, "absent", "absent"},
		{"-shm of another user", true, func(t *testing.T, db string) func() {
			sideFile(t, db+"-shm", 32768, 0, 0o644)
			return nil
		}, []string{"ok"}, "absent", "absent"},
		{"-shm of another user while the database is open", true, func(t *testing.T, db string) func() {
			s, err := Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Items(context.Background(), 1); err != nil {
				t.Fatal(err)
			}
			mustDo(t, os.Chown(db+"-shm", 0, 0))
			return func() { s.Close() }
		}, []string{"-shm is not writable by uid", "another process has the database open", "chown "}, "-rw-r--r--", "-rw-r--r--"},
		{"-wal of another user", true, func(t *testing.T, db string) func() {
			sideFile(t, db+"-wal", 0, 0, 0o644)
			return nil
		}, []string{"-wal is not writable by uid", "never removed", "chown "}, "-rw-r--r--", "absent"},
		{"read-only folder", false, func(t *testing.T, db string) func() {
			mustDo(t, os.Chmod(filepath.Dir(db), 0o555))
			return nil
		}, []string{"its folder", "is not writable by uid", "SQLite creates the database's -wal and -shm files there"}, "absent", "absent"},
	}
	base, bin := sandbox(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needsRoot && !root {
				t.Skip("needs root to give files to another user")
			}
			t.Parallel()                                // each child takes a while to start under -race
			dir := filepath.Join(base, strconv.Itoa(i)) // owned by the child's user
			mustDo(t, os.Mkdir(dir, 0o755), chownUser(dir))
			db := filepath.Join(dir, "bot.db")
			newDatabase(t, db)
			if cleanup := tt.setup(t, db); cleanup != nil {
				defer cleanup()
			}
			got := openAs(t, bin, db)
			for _, want := range tt.want {
				if !strings.Contains(got, want) {
					t.Errorf("Open = %q, want it to contain %q", got, want)
				}
			}
			if w, s := modeOf(t, db+"-wal"), modeOf(t, db+"-shm"); w != tt.wal || s != tt.shm {
				t.Errorf("after Open: -wal %s, -shm %s; want %s, %s", w, s, tt.wal, tt.shm)
			}
		})
	}
}

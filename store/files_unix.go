//go:build unix

package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// SQLite keeps two files next to a database in WAL mode: the log (-wal),
// which holds committed transactions not yet copied into the database, and
// the wal-index (-shm), which tells the connections where pages are in the
// log. It creates both with the database's mode and deletes both when the
// last connection closes, if that connection can write; a run on a
// read-only database leaves them behind, read-only, and SQLite then opens
// them read-only even once the database is writable again, so that every
// later run fails. prepareFiles refuses a database that cannot be written
// before SQLite creates anything, and makes side files that such a run
// left behind writable again.

// The unix VFS's lock bytes in the database file: each connection holds a
// read lock on the shared range from its first read until it closes, and
// takes it before it opens the -wal and -shm; the last connection to
// close takes a write lock on it before it deletes them.
const (
	pendingByte = 0x40000000
	sharedFirst = pendingByte + 2
	sharedSize  = 510
)

// prepareFiles checks that the database at path (when it exists), its
// folder and its -wal and -shm can be written, and repairs side files left
// unwritable. It must run before this process opens the database.
func prepareFiles(path string) error {
	db, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return writableDir(path)
	}
	if err != nil {
		return err
	}
	if err := writable(path); err != nil {
		return notWritable(path, "the file", db, err, "itsecbot writes to it at every run")
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := repairSide(path, path+suffix, db.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

// writable reports whether this process may write path, by its effective
// user and groups, without opening it: closing a descriptor of a database
// would drop the locks SQLite holds on it in this process.
func writable(path string) error {
	return unix.Faccessat(unix.AT_FDCWD, path, unix.W_OK, unix.AT_EACCESS)
}

// writableDir checks the folder in which SQLite creates the database, or
// its -wal and -shm.
func writableDir(path string) error {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if err := writable(dir); err != nil {
		return notWritable(dir, "its folder "+dir, info, err, "SQLite creates the database's -wal and -shm files there")
	}
	return nil
}

// repairSide makes a -wal or -shm that cannot be written writable again:
// it gets the database's mode back when this user owns it (SQLite would
// have created it so), and a -shm owned by another user is removed while
// no connection has the database open. A -wal is never removed: it may
// hold committed transactions.
func repairSide(dbPath, side string, mode fs.FileMode) error {
	info, err := os.Lstat(side)
	if errors.Is(err, fs.ErrNotExist) {
		return writableDir(dbPath)
	}
	if err != nil || !info.Mode().IsRegular() {
		return err // not a file: SQLite says what it makes of it
	}
	if writable(side) == nil {
		return nil
	}
	if ownerOf(info) == os.Geteuid() && os.Chmod(side, mode|0o200) == nil && writable(side) == nil {
		return nil
	}
	if strings.HasSuffix(side, "-shm") {
		return removeStaleIndex(dbPath, side, info)
	}
	return notWritable(side, side, info, writable(side), "it may hold transactions not yet in the database, so it is never removed")
}

// removeStaleIndex removes a -shm that cannot be written and belongs to
// another user. SQLite rebuilds the wal-index from the -wal whenever the
// first connection opens the database: it truncates a -shm on which no
// connection holds a lock. Removing it is as safe while no connection has
// the database open and none can open it: the write lock taken here on
// the shared range, as SQLite's last connection takes it, ensures both.
// The lock ends when the descriptor is closed.
func removeStaleIndex(dbPath, shm string, info fs.FileInfo) error {
	f, err := os.OpenFile(dbPath, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: io.SeekStart, Start: sharedFirst, Len: sharedSize}
	if err := unix.FcntlFlock(f.Fd(), unix.F_SETLK, &lk); err != nil {
		return notWritable(shm, shm, info, err, "another process has the database open, so it cannot be replaced now")
	}
	if err := os.Remove(shm); err != nil {
		return notWritable(shm, shm, info, err, "it cannot be removed either")
	}
	return nil
}

// notWritable says which file (path, called what) cannot be written, why
// it matters, and how to fix it.
func notWritable(path, what string, info fs.FileInfo, err error, why string) error {
	if errors.Is(err, syscall.EROFS) {
		return fmt.Errorf("%s is on a read-only file system: %s; mount it read-write or move the database (%w)", what, why, err)
	}
	uid, owner := os.Geteuid(), ownerOf(info)
	fix := "chmod u+w " + path
	if owner != uid {
		fix = fmt.Sprintf("chown %d %s", uid, path)
	}
	return fmt.Errorf("%s is not writable by uid %d (mode %v, owner uid %d): %s; make it writable: %s (%w)",
		what, uid, info.Mode().Perm(), owner, why, fix, err)
}

func ownerOf(info fs.FileInfo) int {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}

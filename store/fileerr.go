package store

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
)

// SQLite's primary result codes for a file that cannot be written.
const (
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// Annotate names the database file in err, and what to do, when SQLite
// failed because the file or the -wal beside it could not be written: a
// full disk, a file size limit, a file made read-only. SQLite rolls the
// transaction back, so nothing is half written. Other errors are
// returned as they are.
func (s *Store) Annotate(err error) error {
	if h := fileHint(err); h != err {
		return fmt.Errorf("database %s: %w", s.path, h)
	}
	return err
}

// fileHint adds what to do to a SQLite error about writing the files.
func fileHint(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqliteFull:
		return fmt.Errorf("%w: the disk is full; free space on its file system (the -wal beside it grows too) and run again: "+
			"the change was rolled back", err)
	case sqliteIOErr:
		return fmt.Errorf("%w: a write failed (a full disk, a file size limit, a failing disk); fix it and run again: "+
			"the change was rolled back", err)
	case sqliteReadOnly, sqliteCantOpen:
		return fmt.Errorf("%w: make it, its -wal and -shm and its folder writable by the user running itsecbot", err)
	}
	return err
}

// Package store keeps itsecbot's state in one SQLite file: feeds with their
// poll health, items with the filter's decision, and the outbox of posts
// with what each delivered. All SQL lives in this package.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go)
)

// Store is an open database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
}

// Open opens (creating if needed) the database at path and migrates it.
// A database, or a -wal or -shm beside it, that cannot be written is an
// error naming the file and the fix; side files an earlier run left
// unwritable are made writable again (see prepareFiles, which relies on
// SQLite's file locks, blind to connections of this same process: open a
// database once per process).
func Open(ctx context.Context, path string) (*Store, error) {
	if err := prepareFiles(path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// One connection: the bot's writes are small and sequential, and a single
	// writer can never meet SQLITE_BUSY from itself.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path}
	if err := s.check(ctx, path); err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database %s: %w", path, fileHint(err))
	}
	return s, nil
}

// check fails early, with the path, when the file is not a usable database
// or WAL could not be enabled.
func (s *Store) check(ctx context.Context, path string) error {
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("open database %s: %w", path, fileHint(err))
	}
	if mode != "wal" && mode != "memory" {
		return fmt.Errorf("open database %s: journal_mode is %q, want wal", path, mode)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// inTx runs fn in a transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadOnlyStoreNeverWaitsForTheWriterAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	rw, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if _, err := rw.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf"); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()

	// The writer holds its lock in the middle of a transaction.
	tx, err := rw.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO feeds(name, url) VALUES ('IPA', 'https://www.ipa.go.jp/')`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	feeds, err := ro.Feeds(ctx)
	if took := time.Since(start); err != nil || len(feeds) != 1 || took > time.Second {
		t.Fatalf("read during a write: %d feeds, %v, took %s; want the committed feed at once", len(feeds), err, took)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if feeds, err := ro.Feeds(ctx); err != nil || len(feeds) != 2 {
		t.Errorf("after the commit: %d feeds, %v", len(feeds), err)
	}

	if err := ro.RecordCycle(ctx, CycleRun{Started: t0, Ended: t0}); err == nil {
		t.Error("a write through the read-only store succeeded")
	}
	if _, err := ro.EnsureFeed(ctx, "new", "https://new.example/"); err == nil {
		t.Error("EnsureFeed through the read-only store succeeded")
	}
	if last, _, err := rw.LastCycles(ctx); err != nil || !last.Ended.IsZero() {
		t.Errorf("the refused write left a cycle: %+v, %v", last, err)
	}
}

func TestOpenReadOnlyRefusesWhatItCannotRead(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 512)), 0o600); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	s, err := Open(ctx, newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, path := range []string{filepath.Join(dir, "missing.db"), garbage, newer} {
		if st, err := OpenReadOnly(ctx, path); err == nil {
			st.Close()
			t.Errorf("OpenReadOnly(%s) succeeded", filepath.Base(path))
		} else if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name the file", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Errorf("OpenReadOnly created the missing database: %v", err)
	}
}

// A database of an older schema (a daemon of an earlier release still uses
// it) is neither migrated nor misread: the error says how to migrate it.
func TestOpenReadOnlyLeavesAnOlderSchemaAlone(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "older.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	older := len(migrations) - 1
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", older)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	st, err := OpenReadOnly(ctx, path)
	if err == nil {
		st.Close()
		t.Fatal("OpenReadOnly read an older schema")
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "itsecbot once") {
		t.Errorf("error %q does not name the file and how to migrate it", err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil || version != older {
		t.Errorf("schema version after the refusal = %d (%v), want %d untouched", version, err, older)
	}
}

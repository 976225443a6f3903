package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order, each in its own transaction; the schema
// version is PRAGMA user_version. Append only: never edit a released entry.
var migrations = []string{
	// 1: feeds, items, posters, outbox, deliveries.
	`CREATE TABLE feeds (
		id                   INTEGER PRIMARY KEY,
		name                 TEXT NOT NULL UNIQUE,
		url                  TEXT NOT NULL,
		etag                 TEXT NOT NULL DEFAULT '',
		last_modified        TEXT NOT NULL DEFAULT '',
		last_status          INTEGER NOT NULL DEFAULT 0,
		last_error           TEXT NOT NULL DEFAULT '',
		last_polled_at       TEXT NOT NULL DEFAULT '',
		last_ok_at           TEXT NOT NULL DEFAULT '',
		consecutive_failures INTEGER NOT NULL DEFAULT 0,
		next_due_at          TEXT NOT NULL DEFAULT '',
		seeded               INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE items (
		id            INTEGER PRIMARY KEY,
		feed_id       INTEGER NOT NULL REFERENCES feeds(id),
		key           TEXT NOT NULL,
		title         TEXT NOT NULL,
		link          TEXT NOT NULL,
		summary       TEXT NOT NULL DEFAULT '',
		published_at  TEXT NOT NULL,
		first_seen_at TEXT NOT NULL,
		identifier    TEXT NOT NULL DEFAULT '',
		cves          TEXT NOT NULL DEFAULT '[]',
		cvss_score    REAL NOT NULL DEFAULT 0,
		cvss_severity TEXT NOT NULL DEFAULT '',
		cvss_vector   TEXT NOT NULL DEFAULT '',
		state         TEXT NOT NULL CHECK (state IN ('accepted', 'rejected', 'seen')),
		reason        TEXT NOT NULL,
		UNIQUE (feed_id, key)
	);
	CREATE INDEX items_published ON items(published_at);
	CREATE INDEX items_state ON items(state);
	CREATE TABLE posts (
		id         INTEGER PRIMARY KEY,
		poster     TEXT NOT NULL,
		thread     TEXT NOT NULL,
		seq        INTEGER NOT NULL,
		text       TEXT NOT NULL,
		state      TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
		remote_id  TEXT NOT NULL DEFAULT '',
		remote_url TEXT NOT NULL DEFAULT '',
		error      TEXT NOT NULL DEFAULT '',
		attempts   INTEGER NOT NULL DEFAULT 0,
		-- sends whose outcome is unknown: counted before each send and taken
		-- back when the platform surely did not post, so a crash mid-send counts
		unknown_attempts INTEGER NOT NULL DEFAULT 0,
		first_unknown_at TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL,
		sent_at    TEXT NOT NULL DEFAULT '',
		UNIQUE (poster, thread, seq)
	);
	CREATE INDEX posts_state ON posts(poster, state);
	CREATE TABLE posters (
		name          TEXT PRIMARY KEY,
		registered_at TEXT NOT NULL
	);
	CREATE TABLE deliveries (
		item_id INTEGER NOT NULL REFERENCES items(id),
		poster  TEXT NOT NULL,
		post_id INTEGER REFERENCES posts(id), -- NULL when skipped
		skipped TEXT NOT NULL DEFAULT '',     -- why the poster will not post it
		PRIMARY KEY (item_id, poster)
	);
	CREATE INDEX deliveries_post ON deliveries(post_id);`,
}

// migrate brings the schema to len(migrations), refusing a newer schema.
func migrate(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this itsecbot knows (%d): upgrade itsecbot", version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		if err := applyMigration(ctx, db, v); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, v int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d: %w", v+1, err)
	}
	defer tx.Rollback() //nolint:errcheck
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return fmt.Errorf("migration %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return fmt.Errorf("migration %d: set version: %w", v+1, err)
	}
	return tx.Commit()
}

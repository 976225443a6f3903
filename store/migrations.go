package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/itsecbot/itsecbot/internal/crashpoint"
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

	// 2: posts can be replaced (their stories composed again) and wait
	// until a time; posters keep state (learned limits, sessions); stories
	// a platform refused are counted.
	`CREATE TABLE posts_new (
		id         INTEGER PRIMARY KEY,
		poster     TEXT NOT NULL,
		thread     TEXT NOT NULL,
		seq        INTEGER NOT NULL,
		text       TEXT NOT NULL,
		-- replaced: refused, or cut from a thread whose earlier post failed;
		-- its stories were given back to be composed again
		state      TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'replaced')),
		remote_id  TEXT NOT NULL DEFAULT '',
		remote_url TEXT NOT NULL DEFAULT '',
		error      TEXT NOT NULL DEFAULT '',
		attempts   INTEGER NOT NULL DEFAULT 0,
		unknown_attempts INTEGER NOT NULL DEFAULT 0,
		first_unknown_at TEXT NOT NULL DEFAULT '',
		last_attempt_at  TEXT NOT NULL DEFAULT '',
		next_attempt_at  TEXT NOT NULL DEFAULT '', -- not before (rate limits)
		created_at TEXT NOT NULL,
		sent_at    TEXT NOT NULL DEFAULT '',
		UNIQUE (poster, thread, seq)
	);
	INSERT INTO posts_new(id, poster, thread, seq, text, state, remote_id, remote_url, error, attempts,
		unknown_attempts, first_unknown_at, created_at, sent_at)
	SELECT id, poster, thread, seq, text, state, remote_id, remote_url, error, attempts,
		unknown_attempts, first_unknown_at, created_at, sent_at FROM posts;
	DROP TABLE posts;
	ALTER TABLE posts_new RENAME TO posts;
	CREATE INDEX posts_state ON posts(poster, state);
	CREATE INDEX posts_sent ON posts(poster, sent_at) WHERE state = 'sent';
	CREATE TABLE poster_state (
		poster     TEXT NOT NULL,
		key        TEXT NOT NULL,
		value      TEXT NOT NULL,
		updated_at TEXT NOT NULL,
		PRIMARY KEY (poster, key)
	);
	CREATE TABLE refusals (
		item_id INTEGER NOT NULL REFERENCES items(id),
		poster  TEXT NOT NULL,
		count   INTEGER NOT NULL,
		error   TEXT NOT NULL,
		PRIMARY KEY (item_id, poster)
	);`,

	// 3: stories across feeds (items sharing a canonical URL, CVE or JVN
	// id), scores, when each item was last listed by its feed (retention),
	// and CISA's catalog of known exploited vulnerabilities. Existing items'
	// refs are computed in Go (fillRefs).
	`ALTER TABLE items ADD COLUMN story_id INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE items ADD COLUMN score REAL NOT NULL DEFAULT 0;
	ALTER TABLE items ADD COLUMN listed_at TEXT NOT NULL DEFAULT '';
	UPDATE items SET story_id = id, listed_at = first_seen_at;
	CREATE INDEX items_story ON items(story_id);
	DROP INDEX items_state; -- items_candidates starts with state
	CREATE INDEX items_candidates ON items(state, feed_id, score);
	CREATE INDEX items_first_seen ON items(first_seen_at);
	ALTER TABLE feeds ADD COLUMN listed_at TEXT NOT NULL DEFAULT '';
	CREATE TABLE refs (
		ref     TEXT NOT NULL,
		item_id INTEGER NOT NULL REFERENCES items(id),
		PRIMARY KEY (ref, item_id)
	) WITHOUT ROWID;
	CREATE INDEX refs_item ON refs(item_id);
	CREATE TABLE kev (
		cve     TEXT PRIMARY KEY,
		added   TEXT NOT NULL,
		vendor  TEXT NOT NULL,
		product TEXT NOT NULL,
		name    TEXT NOT NULL
	);
	-- pending: the accepted items a poster has not yet carried or skipped,
	-- kept by triggers, so that choosing what to post reads what waits,
	-- not the whole history.
	CREATE TABLE pending (
		poster  TEXT NOT NULL,
		item_id INTEGER NOT NULL REFERENCES items(id),
		PRIMARY KEY (poster, item_id)
	) WITHOUT ROWID;
	CREATE INDEX pending_item ON pending(item_id);
	INSERT INTO pending(poster, item_id)
		SELECT p.name, i.id FROM items i JOIN posters p ON i.first_seen_at >= p.registered_at
		WHERE i.state = 'accepted'
			AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.item_id = i.id AND d.poster = p.name);
	CREATE TRIGGER items_pending AFTER INSERT ON items WHEN NEW.state = 'accepted'
	BEGIN
		INSERT INTO pending(poster, item_id) SELECT name, NEW.id FROM posters WHERE registered_at <= NEW.first_seen_at;
	END;
	CREATE TRIGGER deliveries_taken AFTER INSERT ON deliveries
	BEGIN
		DELETE FROM pending WHERE poster = NEW.poster AND item_id = NEW.item_id;
	END;
	CREATE TRIGGER deliveries_given_back AFTER DELETE ON deliveries
	BEGIN
		INSERT OR IGNORE INTO pending(poster, item_id)
			SELECT OLD.poster, i.id FROM items i WHERE i.id = OLD.item_id AND i.state = 'accepted';
	END;`,

	// 4: cycles: each cycle's end and outcome, for `health`. feeds.failing_since:
	// when the current run of failures began, kept by a trigger from
	// consecutive_failures so that no poll code changes; rows failing now
	// start from their last success, the best time known. Two partial
	// indexes on posts, which are never pruned: the status page's latest
	// posts and days, and each cycle's count of posts still queued.
	`CREATE TABLE cycles (
		id         INTEGER PRIMARY KEY,
		started_at TEXT NOT NULL,
		ended_at   TEXT NOT NULL,
		ok         INTEGER NOT NULL,
		error      TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX cycles_ended ON cycles(ended_at);
	ALTER TABLE feeds ADD COLUMN failing_since TEXT NOT NULL DEFAULT '';
	UPDATE feeds SET failing_since = CASE WHEN last_ok_at != '' THEN last_ok_at ELSE last_polled_at END
		WHERE consecutive_failures > 0;
	CREATE TRIGGER feeds_failing_since AFTER UPDATE OF consecutive_failures ON feeds
	WHEN (NEW.consecutive_failures = 0) != (NEW.failing_since = '')
	BEGIN
		UPDATE feeds SET failing_since = CASE WHEN NEW.consecutive_failures = 0 THEN '' ELSE NEW.last_polled_at END
		WHERE id = NEW.id;
	END;
	CREATE INDEX posts_sent_at ON posts(sent_at) WHERE state = 'sent';
	CREATE INDEX posts_queued ON posts(poster) WHERE state = 'pending';`,
}

// refsMigration is the 1-based number of the migration after which
// existing items get their refs.
const refsMigration = 3

// migrate brings the schema to len(migrations), refusing a newer schema.
// Foreign keys are off while migrating, so that a migration can rebuild a
// table others refer to (SQLite cannot alter a CHECK), and are checked
// before they are turned back on. The store has one connection, so the
// pragma applies to every statement here.
func migrate(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this itsecbot knows (%d): upgrade itsecbot", version, len(migrations))
	}
	if version == len(migrations) {
		return nil
	}
	if _, err := db.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return fmt.Errorf("disable foreign keys: %w", err)
	}
	for v := version; v < len(migrations); v++ {
		if err := applyMigration(ctx, db, v); err != nil {
			return err
		}
	}
	var broken int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&broken); err != nil {
		return fmt.Errorf("check foreign keys: %w", err)
	}
	if broken > 0 {
		return fmt.Errorf("check foreign keys: %d rows refer to missing rows", broken)
	}
	if _, err := db.ExecContext(ctx, "PRAGMA foreign_keys = ON"); err != nil {
		return fmt.Errorf("enable foreign keys: %w", err)
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
	if v+1 == refsMigration {
		if err := fillRefs(ctx, tx); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
	}
	crashpoint.Hit(fmt.Sprintf("store.migrate.%d", v+1))
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return fmt.Errorf("migration %d: set version: %w", v+1, err)
	}
	return tx.Commit()
}

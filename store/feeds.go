package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Feed is a feed's stored poll state and health.
type Feed struct {
	ID                  int64
	Name                string
	URL                 string
	ETag                string
	LastModified        string
	LastStatus          int
	LastError           string
	LastPolled          time.Time
	LastOK              time.Time
	ConsecutiveFailures int
	NextDue             time.Time // zero: due now
	Seeded              bool      // its first successful poll is done
	Items               int       // items stored for it
}

// Poll is the outcome of one poll, to record on the feed.
type Poll struct {
	At           time.Time
	Status       int    // HTTP status; 0 for file:// or when no answer came
	Error        string // "" on success
	ETag         string // replaces the stored validators on success
	LastModified string
	NextDue      time.Time
}

// EnsureFeed returns the feed named name, creating it or updating its URL.
// A changed URL drops the old validators, which belong to the old URL, and
// makes the next poll a first poll again, so that the new address's
// archive is recorded as seen instead of posted.
func (s *Store) EnsureFeed(ctx context.Context, name, url string) (Feed, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO feeds(name, url) VALUES (?, ?)
			ON CONFLICT(name) DO UPDATE SET url = excluded.url, etag = '', last_modified = '', seeded = 0
			WHERE feeds.url != excluded.url`, name, url)
		return err
	})
	if err != nil {
		return Feed{}, fmt.Errorf("ensure feed %q: %w", name, err)
	}
	f, err := s.feedByName(ctx, name)
	if err != nil {
		return Feed{}, fmt.Errorf("ensure feed %q: %w", name, err)
	}
	return f, nil
}

// feedColumns are a feed's columns, then its item count: counting reads
// every item of the feed, which a cycle must not pay for (feedByName
// gives 0 instead); `feeds` and the status page list the counts.
const (
	feedColumns = `f.id, f.name, f.url, f.etag, f.last_modified, f.last_status, f.last_error,
	f.last_polled_at, f.last_ok_at, f.consecutive_failures, f.next_due_at, f.seeded`
	feedCount = `(SELECT count(*) FROM items i WHERE i.feed_id = f.id)`
)

func scanFeed(row interface{ Scan(...any) error }) (Feed, error) {
	var f Feed
	var polled, ok, due string
	err := row.Scan(&f.ID, &f.Name, &f.URL, &f.ETag, &f.LastModified, &f.LastStatus, &f.LastError,
		&polled, &ok, &f.ConsecutiveFailures, &due, &f.Seeded, &f.Items)
	f.LastPolled, f.LastOK, f.NextDue = parseTime(polled), parseTime(ok), parseTime(due)
	return f, err
}

func (s *Store) feedByName(ctx context.Context, name string) (Feed, error) {
	return scanFeed(s.db.QueryRowContext(ctx, `SELECT `+feedColumns+`, 0 FROM feeds f WHERE f.name = ?`, name))
}

// FeedFailures returns each feed's consecutive failures, by name: what
// /metrics needs, without counting items.
func (s *Store) FeedFailures(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, consecutive_failures FROM feeds`)
	if err != nil {
		return nil, fmt.Errorf("feed failures: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, fmt.Errorf("feed failures: %w", err)
		}
		out[name] = n
	}
	return out, rows.Err()
}

// Feeds returns every stored feed, by name.
func (s *Store) Feeds(ctx context.Context) ([]Feed, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+feedColumns+`, `+feedCount+` FROM feeds f ORDER BY f.name`)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	defer rows.Close()
	var out []Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, fmt.Errorf("list feeds: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// RecordPoll stores a poll's outcome: on success the validators, the
// last-ok time and a reset failure count; on failure the error and one
// more consecutive failure.
func (s *Store) RecordPoll(ctx context.Context, feedID int64, p Poll) error {
	var err error
	if p.Error == "" {
		_, err = s.db.ExecContext(ctx, `
			UPDATE feeds SET last_status = ?, last_error = '', last_polled_at = ?, last_ok_at = ?,
				consecutive_failures = 0, next_due_at = ?, etag = ?, last_modified = ?
			WHERE id = ?`,
			p.Status, formatTime(p.At), formatTime(p.At), formatTime(p.NextDue), p.ETag, p.LastModified, feedID)
	} else {
		_, err = s.db.ExecContext(ctx, `
			UPDATE feeds SET last_status = ?, last_error = ?, last_polled_at = ?,
				consecutive_failures = consecutive_failures + 1, next_due_at = ?
			WHERE id = ?`,
			p.Status, p.Error, formatTime(p.At), formatTime(p.NextDue), feedID)
	}
	if err != nil {
		return fmt.Errorf("record poll: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// cycleHistory is how long cycle records are kept.
const cycleHistory = 30 * 24 * time.Hour

// CycleRun is one recorded cycle.
type CycleRun struct {
	Started, Ended time.Time
	Error          string // "" when it succeeded
}

// RecordCycle stores a cycle's outcome (cycleErr "" for success) and
// forgets cycles older than a month.
func (s *Store) RecordCycle(ctx context.Context, run CycleRun) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cycles(started_at, ended_at, ok, error) VALUES (?, ?, ?, ?)`,
			formatTime(run.Started), formatTime(run.Ended), run.Error == "", run.Error); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM cycles WHERE ended_at < ?`, formatTime(run.Ended.Add(-cycleHistory)))
		return err
	})
	if err != nil {
		return fmt.Errorf("record cycle: %w", err)
	}
	return nil
}

// LastCycles returns the latest cycle and the end of the latest that
// succeeded; zero values when there is none.
func (s *Store) LastCycles(ctx context.Context) (last CycleRun, lastOK time.Time, err error) {
	var started, ended, ok string
	err = s.db.QueryRowContext(ctx, `SELECT started_at, ended_at, error FROM cycles ORDER BY ended_at DESC, id DESC LIMIT 1`).
		Scan(&started, &ended, &last.Error)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return last, lastOK, fmt.Errorf("last cycle: %w", err)
	}
	last.Started, last.Ended = parseTime(started), parseTime(ended)
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(ended_at), '') FROM cycles WHERE ok`).Scan(&ok); err != nil {
		return last, lastOK, fmt.Errorf("last good cycle: %w", err)
	}
	return last, parseTime(ok), nil
}

// FailingFeed is a feed whose polls fail, since when, and its last error.
type FailingFeed struct {
	Name     string
	Since    time.Time
	Failures int
	Error    string
}

// FailingFeeds returns the feeds whose last poll failed.
func (s *Store) FailingFeeds(ctx context.Context) ([]FailingFeed, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, failing_since, consecutive_failures, last_error FROM feeds
		WHERE consecutive_failures > 0 ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("failing feeds: %w", err)
	}
	defer rows.Close()
	var out []FailingFeed
	for rows.Next() {
		var f FailingFeed
		var since string
		if err := rows.Scan(&f.Name, &since, &f.Failures, &f.Error); err != nil {
			return nil, fmt.Errorf("failing feeds: %w", err)
		}
		f.Since = parseTime(since)
		out = append(out, f)
	}
	return out, rows.Err()
}

// CaughtUp is the reason CatchUp records.
const CaughtUp = "caught up"

// CatchUp records every item pending for the poster as skipped, "caught
// up", so it is never posted; it returns how many. Posts already queued
// are left alone.
func (s *Store) CatchUp(ctx context.Context, poster string) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			WITH waiting AS MATERIALIZED (SELECT item_id FROM pending WHERE poster = ?) -- before the trigger changes pending
			INSERT INTO deliveries(item_id, poster, skipped) SELECT item_id, ?, ? FROM waiting`, poster, poster, CaughtUp)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("catch up %s: %w", poster, err)
	}
	return int(n), nil
}

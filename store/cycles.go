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

// RecordCycle stores a cycle's outcome and forgets cycles older than a
// month.
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

package store

import (
	"context"
	"fmt"
)

// IntegrityCheck runs SQLite's integrity check and foreign key check over
// the whole database and returns the problems found, none when it is sound.
func (s *Store) IntegrityCheck(ctx context.Context) ([]string, error) {
	var problems []string
	rows, err := s.db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			rows.Close()
			return nil, fmt.Errorf("integrity check: %w", err)
		}
		if msg != "ok" {
			problems = append(problems, msg)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	var broken int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check`).Scan(&broken); err != nil {
		return nil, fmt.Errorf("foreign key check: %w", err)
	}
	if broken > 0 {
		problems = append(problems, fmt.Sprintf("%d rows refer to missing rows", broken))
	}
	return problems, nil
}

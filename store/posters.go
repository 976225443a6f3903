package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RegisterPoster records the first time a poster takes part in a cycle and
// returns that time. A poster is only given items first seen from then on,
// so adding or renaming a poster does not post the whole history again.
func (s *Store) RegisterPoster(ctx context.Context, name string, at time.Time) (time.Time, error) {
	var registered string
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO posters(name, registered_at) VALUES (?, ?)
		ON CONFLICT(name) DO UPDATE SET name = name
		RETURNING registered_at`, name, formatTime(at)).Scan(&registered)
	if err != nil {
		return time.Time{}, fmt.Errorf("register poster %s: %w", name, err)
	}
	return parseTime(registered), nil
}

// Skip records that the poster will not post these items, and why (too
// old by the time they would go out, or too long for the platform). They
// are no longer pending for it; `items` shows the reason.
func (s *Store) Skip(ctx context.Context, poster string, itemIDs []int64, reason string) error {
	if len(itemIDs) == 0 {
		return nil
	}
	args := []any{}
	for _, id := range itemIDs {
		args = append(args, id, poster, reason)
	}
	q := `INSERT INTO deliveries(item_id, poster, skipped) VALUES (?, ?, ?)` + strings.Repeat(", (?, ?, ?)", len(itemIDs)-1)
	if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("skip items for %s: %w", poster, err)
	}
	return nil
}

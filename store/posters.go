package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/itsecbot/itsecbot/internal/crashpoint"
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
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO deliveries(item_id, poster, skipped) VALUES (?, ?, ?)
			ON CONFLICT(item_id, poster) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, id := range itemIDs {
			if _, err := stmt.ExecContext(ctx, id, poster, reason); err != nil {
				return fmt.Errorf("item %d: %w", id, err)
			}
		}
		crashpoint.Hit("store.skip")
		return nil
	})
	if err != nil {
		return fmt.Errorf("skip items for %s: %w", poster, err)
	}
	return nil
}

// PosterState is one poster's key-value state in the database; it
// satisfies poster.State.
type PosterState struct {
	s    *Store
	name string
}

// StateOf returns the state of the poster named name.
func (s *Store) StateOf(name string) PosterState { return PosterState{s: s, name: name} }

// Load returns the value of key, "" when unset.
func (ps PosterState) Load(ctx context.Context, key string) (string, error) {
	var v string
	err := ps.s.db.QueryRowContext(ctx, `SELECT value FROM poster_state WHERE poster = ? AND key = ?`, ps.name, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("load %s state %s: %w", ps.name, key, err)
	}
	return v, nil
}

// Save sets key to value.
func (ps PosterState) Save(ctx context.Context, key, value string) error {
	_, err := ps.s.db.ExecContext(ctx, `INSERT INTO poster_state(poster, key, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(poster, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		ps.name, key, value, formatTime(time.Now()))
	if err != nil {
		return fmt.Errorf("save %s state %s: %w", ps.name, key, err)
	}
	return nil
}

// RecordRefusals counts one more refusal of each item by the poster's
// platform, with its message.
func (s *Store) RecordRefusals(ctx context.Context, poster string, itemIDs []int64, msg string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range itemIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO refusals(item_id, poster, count, error) VALUES (?, ?, 1, ?)
				ON CONFLICT(item_id, poster) DO UPDATE SET count = count + 1, error = excluded.error`, id, poster, msg); err != nil {
				return fmt.Errorf("item %d: %w", id, err)
			}
		}
		crashpoint.Hit("store.refusals")
		return nil
	})
	if err != nil {
		return fmt.Errorf("record refusals for %s: %w", poster, err)
	}
	return nil
}

// Refusal is how often a poster's platform refused an item, and why.
type Refusal struct {
	Count int
	Error string
}

// Refusals returns the poster's refusals of the given items.
func (s *Store) Refusals(ctx context.Context, poster string, itemIDs []int64) (map[int64]Refusal, error) {
	out := map[int64]Refusal{}
	if len(itemIDs) == 0 {
		return out, nil
	}
	ids, err := json.Marshal(itemIDs)
	if err != nil {
		return nil, fmt.Errorf("refusals for %s: %w", poster, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT item_id, count, error FROM refusals
		WHERE poster = ? AND item_id IN (SELECT value FROM json_each(?))`, poster, string(ids))
	if err != nil {
		return nil, fmt.Errorf("refusals for %s: %w", poster, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r Refusal
		if err := rows.Scan(&id, &r.Count, &r.Error); err != nil {
			return nil, fmt.Errorf("refusals for %s: %w", poster, err)
		}
		out[id] = r
	}
	return out, rows.Err()
}

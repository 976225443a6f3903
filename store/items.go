package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/internal/crashpoint"
)

// Item states.
const (
	Accepted = "accepted" // passed the filter: to be posted
	Rejected = "rejected" // the filter said no
	Seen     = "seen"     // recorded but never posted (first poll, too old)
)

// Item is one stored feed item with the decision taken on it.
type Item struct {
	ID           int64
	FeedID       int64
	Feed         string // the feed's name
	Key          string // dedupe key, unique per feed
	Title        string
	Link         string
	Summary      string
	Published    time.Time // UTC; the first-seen time when the feed gave none
	FirstSeen    time.Time
	Identifier   string
	CVEs         []string
	CVSSScore    float64
	CVSSSeverity string
	CVSSVector   string
	State        string
	Reason       string
	StoryID      int64             // the story it belongs to: the ID of its first item
	Score        float64           // the selection score when it was stored
	Refs         []string          // what ties it to a story (set before AddItems)
	PostedTo     []string          // posters that delivered it (filled by Items)
	NotPostedBy  map[string]string // poster -> why it will not deliver it (filled by Items)
	Queued       map[string]Queued // poster -> the post waiting to carry it (filled by Items)
	Sources      []string          // feeds whose accepted items tell its story (filled by Items)
}

// Queued is a pending post that carries an item.
type Queued struct {
	PostID int64     `json:"post_id"`
	Since  time.Time `json:"since"`
	Error  string    `json:"error,omitempty"` // why the last send did not go through
}

// AddItems stores the items that are new to the feed (by key) and returns
// those, with their IDs set (their stories are in the database). Items already stored are left
// untouched, decision and all, so that an edited or re-dated entry is
// never posted twice; every item given counts as listed by the feed at
// at, which keeps it from retention. A new item joins the earliest story
// of another feed that shares a ref with it. With markSeeded the feed is
// marked as past its first poll in the same transaction.
func (s *Store) AddItems(ctx context.Context, feedID int64, items []Item, markSeeded bool, at time.Time) ([]Item, error) {
	var added []Item
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if added, err = insertItems(ctx, tx, feedID, items); err != nil {
			return err
		}
		crashpoint.Hit("store.add-items.inserted")
		if err := insertRefs(ctx, tx, added); err != nil {
			return err
		}
		ids := make([]int64, len(added))
		for i := range added {
			ids[i] = added[i].ID
		}
		if err := joinStories(ctx, tx, ids); err != nil {
			return err
		}
		crashpoint.Hit("store.add-items.joined")
		return markListed(ctx, tx, feedID, items, at, markSeeded)
	})
	if err != nil {
		return nil, fmt.Errorf("store items: %w", err)
	}
	return added, nil
}

func insertItems(ctx context.Context, tx *sql.Tx, feedID int64, items []Item) ([]Item, error) {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO items(feed_id, key, title, link, summary, published_at, first_seen_at,
			identifier, cves, cvss_score, cvss_severity, cvss_vector, state, reason, score, listed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(feed_id, key) DO NOTHING RETURNING id`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	var added []Item
	for _, it := range items {
		err := stmt.QueryRowContext(ctx, feedID, it.Key, it.Title, it.Link, it.Summary,
			formatTime(it.Published), formatTime(it.FirstSeen), it.Identifier, jsonList(it.CVEs),
			it.CVSSScore, it.CVSSSeverity, it.CVSSVector, it.State, it.Reason, it.Score, formatTime(it.FirstSeen)).Scan(&it.ID)
		if errors.Is(err, sql.ErrNoRows) {
			continue // already stored
		}
		if err != nil {
			return nil, fmt.Errorf("item %q: %w", it.Key, err)
		}
		it.FeedID = feedID
		added = append(added, it)
	}
	return added, nil
}

// markListed records that the feed lists these items now.
func markListed(ctx context.Context, tx *sql.Tx, feedID int64, items []Item, at time.Time, seeded bool) error {
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.Key
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE items SET listed_at = ?
		WHERE feed_id = ? AND key IN (SELECT value FROM json_each(?))`, formatTime(at), feedID, string(list)); err != nil {
		return fmt.Errorf("mark listed: %w", err)
	}
	q := `UPDATE feeds SET listed_at = ? WHERE id = ?`
	if seeded {
		q = `UPDATE feeds SET listed_at = ?, seeded = 1 WHERE id = ?`
	}
	_, err = tx.ExecContext(ctx, q, formatTime(at), feedID)
	return err
}

const itemColumns = `i.id, i.feed_id, f.name, i.key, i.title, i.link, i.summary, i.published_at,
	i.first_seen_at, i.identifier, i.cves, i.cvss_score, i.cvss_severity, i.cvss_vector, i.state, i.reason,
	i.story_id, i.score`

// scanItem reads itemColumns, then any extra columns into extra.
func scanItem(rows *sql.Rows, extra ...any) (Item, error) {
	var it Item
	var pub, seen, cves string
	dest := []any{&it.ID, &it.FeedID, &it.Feed, &it.Key, &it.Title, &it.Link, &it.Summary, &pub, &seen,
		&it.Identifier, &cves, &it.CVSSScore, &it.CVSSSeverity, &it.CVSSVector, &it.State, &it.Reason,
		&it.StoryID, &it.Score}
	if err := rows.Scan(append(dest, extra...)...); err != nil {
		return it, err
	}
	it.Published, it.FirstSeen = parseTime(pub), parseTime(seen)
	if err := json.Unmarshal([]byte(cves), &it.CVEs); err != nil {
		return it, fmt.Errorf("item %d cves: %w", it.ID, err)
	}
	return it, nil
}

// Items returns stored items newest first (by published time), at most
// limit (0: all), each with the posters that delivered it.
func (s *Store) Items(ctx context.Context, limit int) ([]Item, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+itemColumns+`,
			coalesce((SELECT group_concat(d.poster, char(10)) FROM deliveries d JOIN posts p ON p.id = d.post_id
				WHERE d.item_id = i.id AND p.state = 'sent'), ''),
			coalesce((SELECT json_group_object(d.poster, CASE WHEN d.skipped != '' THEN d.skipped
					ELSE 'post given up: ' || p.error END)
				FROM deliveries d LEFT JOIN posts p ON p.id = d.post_id
				WHERE d.item_id = i.id AND (d.skipped != '' OR p.state = 'failed')), '{}'),
			coalesce((SELECT json_group_object(d.poster, json_object('post_id', p.id, 'since', p.created_at, 'error', p.error))
				FROM deliveries d JOIN posts p ON p.id = d.post_id
				WHERE d.item_id = i.id AND p.state = 'pending'), '{}'),
			(SELECT json_group_array(DISTINCT f2.name) FROM items i2 JOIN feeds f2 ON f2.id = i2.feed_id
				WHERE i2.story_id = i.story_id AND i2.state = 'accepted')
		FROM items i JOIN feeds f ON f.id = i.feed_id
		ORDER BY i.published_at DESC, i.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var posted, notPosted, queued, sources string
		it, err := scanItem(rows, &posted, &notPosted, &queued, &sources)
		if err != nil {
			return nil, fmt.Errorf("list items: %w", err)
		}
		if err := json.Unmarshal([]byte(notPosted), &it.NotPostedBy); err != nil {
			return nil, fmt.Errorf("list items: item %d: %w", it.ID, err)
		}
		if it.Queued, err = decodeQueued(queued); err != nil {
			return nil, fmt.Errorf("list items: item %d: %w", it.ID, err)
		}
		if err := json.Unmarshal([]byte(sources), &it.Sources); err != nil {
			return nil, fmt.Errorf("list items: item %d: %w", it.ID, err)
		}
		it.PostedTo = []string{}
		if posted != "" {
			it.PostedTo = strings.Split(posted, "\n")
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

func decodeQueued(s string) (map[string]Queued, error) {
	var raw map[string]struct {
		PostID int64  `json:"post_id"`
		Since  string `json:"since"`
		Error  string `json:"error"`
	}
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, err
	}
	out := make(map[string]Queued, len(raw))
	for name, q := range raw {
		out[name] = Queued{PostID: q.PostID, Since: parseTime(q.Since), Error: q.Error}
	}
	return out, nil
}

// queryItems runs a query selecting itemColumns.
func (s *Store) queryItems(ctx context.Context, query string, args ...any) ([]Item, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

func jsonList(xs []string) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs) // a []string always marshals
	return string(b)
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/itsecbot/itsecbot/internal/crashpoint"
	"github.com/itsecbot/itsecbot/refs"
)

// Candidates returns the items the poster could post now: accepted, first
// seen since the poster was registered, published at or after since, not
// yet carried, skipped or queued for it (the pending table, which triggers
// keep, so the cost follows what waits, not the history). Each feed gives at most perFeed,
// its highest scored and newest first, so that a feed listing thousands of
// new items costs one bounded query and cannot crowd out the others.
func (s *Store) Candidates(ctx context.Context, poster string, perFeed int, since time.Time) ([]Item, error) {
	items, err := s.queryItems(ctx, `
		WITH cand AS (
			SELECT i.id, row_number() OVER (PARTITION BY i.feed_id ORDER BY i.score DESC, i.published_at DESC, i.id DESC) AS rank
			FROM pending p CROSS JOIN items i ON i.id = p.item_id
			WHERE p.poster = ? AND i.published_at >= ?)
		SELECT `+itemColumns+` FROM cand JOIN items i ON i.id = cand.id JOIN feeds f ON f.id = i.feed_id
		WHERE cand.rank <= ? ORDER BY i.id`, poster, formatTime(since), perFeed)
	if err != nil {
		return nil, fmt.Errorf("candidates for %s: %w", poster, err)
	}
	return items, nil
}

// StoryItems returns every item of the given stories, oldest first.
func (s *Store) StoryItems(ctx context.Context, storyIDs []int64) ([]Item, error) {
	if len(storyIDs) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(storyIDs)
	if err != nil {
		return nil, err
	}
	items, err := s.queryItems(ctx, `SELECT `+itemColumns+` FROM items i JOIN feeds f ON f.id = i.feed_id
		WHERE i.story_id IN (SELECT value FROM json_each(?)) ORDER BY i.id`, string(list))
	if err != nil {
		return nil, fmt.Errorf("items of stories: %w", err)
	}
	return items, nil
}

// Carried is how a poster already dealt with a story: the post that
// carries one of its items, or why it skipped one.
type Carried struct {
	ItemID  int64
	PostID  int64  // 0 when skipped
	State   string // the post's state
	Skipped string
}

// StoriesCarried returns, for those of the stories of which the poster
// already carries, queued or skipped an item, how.
func (s *Store) StoriesCarried(ctx context.Context, poster string, storyIDs []int64) (map[int64]Carried, error) {
	out := map[int64]Carried{}
	if len(storyIDs) == 0 {
		return out, nil
	}
	list, err := json.Marshal(storyIDs)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT i.story_id, d.item_id, coalesce(d.post_id, 0), coalesce(p.state, ''), d.skipped
		FROM items i CROSS JOIN deliveries d ON d.item_id = i.id AND d.poster = ? LEFT JOIN posts p ON p.id = d.post_id
		WHERE i.story_id IN (SELECT value FROM json_each(?)) ORDER BY d.post_id IS NULL, d.item_id`,
		poster, string(list))
	if err != nil {
		return nil, fmt.Errorf("stories carried by %s: %w", poster, err)
	}
	defer rows.Close()
	for rows.Next() {
		var story int64
		var c Carried
		if err := rows.Scan(&story, &c.ItemID, &c.PostID, &c.State, &c.Skipped); err != nil {
			return nil, fmt.Errorf("stories carried by %s: %w", poster, err)
		}
		if _, seen := out[story]; !seen {
			out[story] = c // a post wins over a skip
		}
	}
	return out, rows.Err()
}

// KEVEntry is one CVE of CISA's Known Exploited Vulnerabilities catalog.
type KEVEntry struct {
	CVE     string
	Added   string // YYYY-MM-DD
	Vendor  string
	Product string
	Name    string
}

// ReplaceKEV stores the catalog, replacing the one stored before.
func (s *Store) ReplaceKEV(ctx context.Context, entries []KEVEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM kev`); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO kev(cve, added, vendor, product, name) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(cve) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, e := range entries {
			if _, err := stmt.ExecContext(ctx, e.CVE, e.Added, e.Vendor, e.Product, e.Name); err != nil {
				return fmt.Errorf("%s: %w", e.CVE, err)
			}
		}
		crashpoint.Hit("store.kev")
		return nil
	})
	if err != nil {
		return fmt.Errorf("store the KEV catalog: %w", err)
	}
	return nil
}

// KEV returns the catalog entries of those of cves that are listed.
func (s *Store) KEV(ctx context.Context, cves []string) (map[string]KEVEntry, error) {
	out := map[string]KEVEntry{}
	if len(cves) == 0 {
		return out, nil
	}
	list, err := json.Marshal(cves)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT cve, added, vendor, product, name FROM kev
		WHERE cve IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("look up KEV: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e KEVEntry
		if err := rows.Scan(&e.CVE, &e.Added, &e.Vendor, &e.Product, &e.Name); err != nil {
			return nil, fmt.Errorf("look up KEV: %w", err)
		}
		out[e.CVE] = e
	}
	return out, rows.Err()
}

// Prune deletes items first seen before before that their feed no longer
// lists, with what refers to them; posts keep their text. An item its feed
// still lists is kept however old, so a feed that lists old items again
// cannot make them new. It returns how many items went.
func (s *Store) Prune(ctx context.Context, before time.Time) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS pruned(id INTEGER PRIMARY KEY)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM pruned`); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO pruned(id)
			SELECT i.id FROM items i JOIN feeds f ON f.id = i.feed_id
			WHERE i.first_seen_at < ? AND i.listed_at < f.listed_at`, formatTime(before))
		if err != nil {
			return err
		}
		m, _ := res.RowsAffected()
		n = int(m)
		for _, q := range []string{
			`DELETE FROM deliveries WHERE item_id IN (SELECT id FROM pruned)`,
			`DELETE FROM pending WHERE item_id IN (SELECT id FROM pruned)`, // after deliveries: its trigger gives items back
			`DELETE FROM refusals WHERE item_id IN (SELECT id FROM pruned)`,
			`DELETE FROM refs WHERE item_id IN (SELECT id FROM pruned)`,
			`DELETE FROM items WHERE id IN (SELECT id FROM pruned)`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		crashpoint.Hit("store.prune")
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune items: %w", err)
	}
	return n, nil
}

// Expire records, for the poster, every pending item published before its
// feed's cutoff (feed name -> time) as skipped with reason, in one
// statement however many items wait.
func (s *Store) Expire(ctx context.Context, poster string, cutoffs map[string]time.Time, reason string) (int, error) {
	if len(cutoffs) == 0 {
		return 0, nil
	}
	pairs := make([][2]string, 0, len(cutoffs))
	for feed, t := range cutoffs {
		pairs = append(pairs, [2]string{feed, formatTime(t)})
	}
	list, err := json.Marshal(pairs)
	if err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, `
		WITH cut(feed_id, before) AS (
			SELECT f.id, json_extract(c.value, '$[1]') FROM json_each(?) c JOIN feeds f ON f.name = json_extract(c.value, '$[0]'))
		, old AS MATERIALIZED ( -- read before the trigger on deliveries changes pending
			SELECT i.id FROM pending p CROSS JOIN items i ON i.id = p.item_id JOIN cut ON cut.feed_id = i.feed_id
			WHERE p.poster = ? AND i.published_at < cut.before)
		INSERT INTO deliveries(item_id, poster, skipped) SELECT id, ?, ? FROM old`,
		string(list), poster, poster, reason)
	if err != nil {
		return 0, fmt.Errorf("expire items for %s: %w", poster, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Find returns the items a maintainer names: by key, by link (compared in
// canonical form), or by a CVE or JVN id; oldest first.
func (s *Store) Find(ctx context.Context, query string) ([]Item, error) {
	refList := refs.Of(query, refs.CVEs(query), query)
	list, err := json.Marshal(refList)
	if err != nil {
		return nil, err
	}
	items, err := s.queryItems(ctx, `SELECT `+itemColumns+` FROM items i JOIN feeds f ON f.id = i.feed_id
		WHERE i.key = ? OR i.id IN (SELECT item_id FROM refs WHERE ref IN (SELECT value FROM json_each(?)))
		ORDER BY i.id`, query, string(list))
	if err != nil {
		return nil, fmt.Errorf("find %q: %w", query, err)
	}
	return items, nil
}

// Delivery is what one poster did with one item.
type Delivery struct {
	ItemID  int64
	Poster  string
	Skipped string // why it will not post it; "" when a post carries it
	Post    Post   // the post carrying it (zero when skipped)
}

// Deliveries returns what every poster did with the given items.
func (s *Store) Deliveries(ctx context.Context, itemIDs []int64) ([]Delivery, error) {
	list, err := json.Marshal(itemIDs)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT d.item_id, d.poster, d.skipped, coalesce(d.post_id, 0)
		FROM deliveries d WHERE d.item_id IN (SELECT value FROM json_each(?)) ORDER BY d.poster, d.item_id`, string(list))
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var postID int64
		if err := rows.Scan(&d.ItemID, &d.Poster, &d.Skipped, &postID); err != nil {
			rows.Close()
			return nil, fmt.Errorf("deliveries: %w", err)
		}
		d.Post.ID = postID
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Post.ID == 0 {
			continue
		}
		p, err := s.PostByID(ctx, out[i].Post.ID)
		if err != nil {
			return nil, err
		}
		out[i].Post = p
	}
	return out, nil
}

// Posters returns the registered posters and when each joined.
func (s *Store) Posters(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, registered_at FROM posters`)
	if err != nil {
		return nil, fmt.Errorf("list posters: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var name, at string
		if err := rows.Scan(&name, &at); err != nil {
			return nil, fmt.Errorf("list posters: %w", err)
		}
		out[name] = parseTime(at)
	}
	return out, rows.Err()
}

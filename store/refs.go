package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/itsecbot/itsecbot/refs"
)

// RefsOf returns the refs that tie an item to a story: its canonical link,
// its CVE ids (which the feed parser gathered from references, title and
// summary), and the JVN ids of its title, summary and identifier.
func RefsOf(it Item) []string {
	return refs.Of(it.Link, it.CVEs, it.Title, it.Summary, it.Identifier)
}

// fillRefs computes the refs of the items stored before refs existed, and
// groups them into stories as new items are.
func fillRefs(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, feed_id, link, title, summary, identifier, cves FROM items ORDER BY id`)
	if err != nil {
		return fmt.Errorf("read items: %w", err)
	}
	var items []Item
	for rows.Next() {
		var it Item
		var cves string
		if err := rows.Scan(&it.ID, &it.FeedID, &it.Link, &it.Title, &it.Summary, &it.Identifier, &cves); err != nil {
			rows.Close()
			return fmt.Errorf("read items: %w", err)
		}
		if err := json.Unmarshal([]byte(cves), &it.CVEs); err != nil {
			rows.Close()
			return fmt.Errorf("item %d cves: %w", it.ID, err)
		}
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ids := make([]int64, len(items))
	for i := range items {
		items[i].Refs = RefsOf(items[i])
		ids[i] = items[i].ID
	}
	if err := insertRefs(ctx, tx, items); err != nil {
		return err
	}
	return joinStories(ctx, tx, ids)
}

// insertRefs stores the refs of items whose IDs are set.
func insertRefs(ctx context.Context, tx *sql.Tx, items []Item) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO refs(ref, item_id) VALUES (?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, it := range items {
		for _, r := range it.Refs {
			if _, err := stmt.ExecContext(ctx, r, it.ID); err != nil {
				return fmt.Errorf("refs of item %d: %w", it.ID, err)
			}
		}
	}
	return nil
}

// joinStories puts each of the given items into the story of the earliest
// item of another feed that shares a ref with it; an item with none is a
// story of its own. Items of one feed never join each other's stories: a
// feed that lists an update of its own advisory means a new post. For
// each ref only the first earlier item of another feed is read (the refs
// index is ordered by item), so a ref that thousands of items share costs
// no more than one shared by two.
func joinStories(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		UPDATE items SET story_id = coalesce((
			SELECT min((SELECT o.story_id FROM refs r2 JOIN items o ON o.id = r2.item_id
				WHERE r2.ref = r.ref AND r2.item_id < items.id AND o.feed_id != items.feed_id
				ORDER BY r2.item_id LIMIT 1))
			FROM refs r WHERE r.item_id = items.id), items.id)
		WHERE id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return fmt.Errorf("join stories: %w", err)
	}
	return nil
}

// Matches returns, for those of the given refs that items of other feeds
// than feedID carry, the name of the earliest such feed.
func (s *Store) Matches(ctx context.Context, feedID int64, refList []string) (map[string]string, error) {
	found := map[string]string{}
	if len(refList) == 0 {
		return found, nil
	}
	list, err := json.Marshal(refList)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.ref, f.name FROM refs r JOIN items i ON i.id = r.item_id
		JOIN feeds f ON f.id = i.feed_id
		WHERE r.ref IN (SELECT value FROM json_each(?)) AND i.feed_id != ? ORDER BY i.id DESC`, string(list), feedID)
	if err != nil {
		return nil, fmt.Errorf("match refs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref, name string
		if err := rows.Scan(&ref, &name); err != nil {
			return nil, fmt.Errorf("match refs: %w", err)
		}
		found[ref] = name // ordered newest first: the earliest wins
	}
	return found, rows.Err()
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// RecentPosts returns the latest posts sent, newest first, at most limit.
func (s *Store) RecentPosts(ctx context.Context, limit int) ([]Post, error) {
	posts, err := s.queryPosts(ctx, `SELECT `+postColumns+` FROM posts p
		WHERE p.state = 'sent' ORDER BY p.sent_at DESC, p.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("recent posts: %w", err)
	}
	return posts, nil
}

// DayCount is what happened in one day.
type DayCount struct {
	Start    time.Time // the day's first instant
	Items    int       // items first seen
	Accepted int       // of those, accepted by the filter
	Rejected int       // of those, rejected by the filter
	Posts    int       // posts sent
}

// DailyCounts counts items first seen and posts sent between consecutive
// bounds (ascending instants: len(bounds)-1 days, each [bounds[i],
// bounds[i+1])). The caller computes the bounds in its time zone, so days
// follow local midnights, daylight saving included. One indexed range
// count per day and series, however many items there are.
func (s *Store) DailyCounts(ctx context.Context, bounds []time.Time) ([]DayCount, error) {
	if len(bounds) < 2 {
		return nil, nil
	}
	pairs := make([][2]string, len(bounds)-1)
	for i := range pairs {
		pairs[i] = [2]string{formatTime(bounds[i]), formatTime(bounds[i+1])}
	}
	list, err := json.Marshal(pairs)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `
		WITH days(n, lo, hi) AS (
			SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
		SELECT d.n,
			(SELECT count(*) FROM items i WHERE i.first_seen_at >= d.lo AND i.first_seen_at < d.hi),
			(SELECT count(*) FROM items i WHERE i.first_seen_at >= d.lo AND i.first_seen_at < d.hi AND i.state = 'accepted'),
			(SELECT count(*) FROM items i WHERE i.first_seen_at >= d.lo AND i.first_seen_at < d.hi AND i.state = 'rejected'),
			(SELECT count(*) FROM posts p WHERE p.state = 'sent' AND p.sent_at >= d.lo AND p.sent_at < d.hi)
		FROM days d ORDER BY d.n`, string(list))
	if err != nil {
		return nil, fmt.Errorf("daily counts: %w", err)
	}
	defer rows.Close()
	out := make([]DayCount, len(pairs))
	for rows.Next() {
		var n int
		var c DayCount
		if err := rows.Scan(&n, &c.Items, &c.Accepted, &c.Rejected, &c.Posts); err != nil {
			return nil, fmt.Errorf("daily counts: %w", err)
		}
		c.Start = bounds[n]
		out[n] = c
	}
	return out, rows.Err()
}

// OutboxCount is how many of a poster's posts wait and how many were given
// up.
type OutboxCount struct {
	Pending int
	Failed  int
}

// OutboxCounts counts pending and failed posts per poster; posters with
// neither are absent.
func (s *Store) OutboxCounts(ctx context.Context) (map[string]OutboxCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT poster, sum(state = 'pending'), sum(state = 'failed') FROM posts
		WHERE state IN ('pending', 'failed') GROUP BY poster`)
	if err != nil {
		return nil, fmt.Errorf("count the outbox: %w", err)
	}
	defer rows.Close()
	out := map[string]OutboxCount{}
	for rows.Next() {
		var name string
		var c OutboxCount
		if err := rows.Scan(&name, &c.Pending, &c.Failed); err != nil {
			return nil, fmt.Errorf("count the outbox: %w", err)
		}
		out[name] = c
	}
	return out, rows.Err()
}

// AcceptedStories returns the accepted items of the limit stories with an
// accepted item that were published last (a story by its earliest accepted
// item), oldest item first.
func (s *Store) AcceptedStories(ctx context.Context, limit int) ([]Item, error) {
	items, err := s.queryItems(ctx, `
		WITH latest AS (
			SELECT story_id FROM items WHERE state = 'accepted'
			GROUP BY story_id ORDER BY min(published_at) DESC, story_id DESC LIMIT ?)
		SELECT `+itemColumns+` FROM items i JOIN feeds f ON f.id = i.feed_id
		WHERE i.state = 'accepted' AND i.story_id IN (SELECT story_id FROM latest) ORDER BY i.id`, limit)
	if err != nil {
		return nil, fmt.Errorf("accepted stories: %w", err)
	}
	return items, nil
}

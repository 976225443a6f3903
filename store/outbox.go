package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Post states in the outbox.
const (
	PostPending = "pending" // written before sending; sent or retried later
	PostSent    = "sent"
	PostFailed  = "failed" // the platform refused it; not retried
)

// Post is one outbox entry: a post for one poster, part of a thread.
type Post struct {
	ID        int64
	Poster    string
	Thread    string // stable key of the thread it belongs to
	Seq       int    // position in the thread, from 0
	Text      string
	State     string
	RemoteID  string
	RemoteURL string
	Error     string
	Attempts  int
	// UnknownAttempts counts sends that may have published it: timeouts
	// after sending, and sends a crash interrupted.
	UnknownAttempts int
	// FirstUnknown is when the first of those began (zero if none).
	FirstUnknown time.Time
	CreatedAt    time.Time
	SentAt       time.Time
	// ReplyTo is the remote ID of the latest sent earlier post of the
	// thread ("" when none is sent). A post the platform refused is skipped
	// over, so the rest of its thread still goes out.
	ReplyTo string
	// PrevPending is true while an earlier post of the thread is pending:
	// this one must wait for it.
	PrevPending bool
}

// NewPost is a composed post to enqueue with the items it carries.
type NewPost struct {
	Text  string
	Items []int64
}

// NewThread is a composed thread; Key must be stable for the same content.
type NewThread struct {
	Key   string
	Posts []NewPost
}

// Enqueue writes threads to the outbox as pending posts and records, in
// the same transaction, which items each post delivers. From then on the
// items are no longer pending for that poster, whatever happens to sending.
func (s *Store) Enqueue(ctx context.Context, poster string, threads []NewThread, at time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, th := range threads {
			for seq, p := range th.Posts {
				var id int64
				err := tx.QueryRowContext(ctx, `
					INSERT INTO posts(poster, thread, seq, text, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)
					RETURNING id`, poster, th.Key, seq, p.Text, formatTime(at)).Scan(&id)
				if err != nil {
					return fmt.Errorf("thread %s post %d: %w", th.Key, seq, err)
				}
				for _, item := range p.Items {
					if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries(item_id, poster, post_id) VALUES (?, ?, ?)`,
						item, poster, id); err != nil {
						return fmt.Errorf("thread %s post %d item %d: %w", th.Key, seq, item, err)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("enqueue posts for %s: %w", poster, err)
	}
	return nil
}

// Unsent returns the poster's pending posts in the order they must go out.
func (s *Store) Unsent(ctx context.Context, poster string) ([]Post, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT p.id, p.poster, p.thread, p.seq, p.text, p.state, p.remote_id, p.remote_url, p.error,
			p.attempts, p.unknown_attempts, p.first_unknown_at, p.created_at, p.sent_at,
			coalesce((SELECT q.remote_id FROM posts q WHERE q.poster = p.poster AND q.thread = p.thread
				AND q.seq < p.seq AND q.state = 'sent' ORDER BY q.seq DESC LIMIT 1), ''),
			EXISTS (SELECT 1 FROM posts q WHERE q.poster = p.poster AND q.thread = p.thread
				AND q.seq < p.seq AND q.state = 'pending')
		FROM posts p
		WHERE p.poster = ? AND p.state = 'pending'
		ORDER BY p.id`, poster)
	if err != nil {
		return nil, fmt.Errorf("unsent posts for %s: %w", poster, err)
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		var p Post
		var first, created, sent string
		if err := rows.Scan(&p.ID, &p.Poster, &p.Thread, &p.Seq, &p.Text, &p.State, &p.RemoteID, &p.RemoteURL,
			&p.Error, &p.Attempts, &p.UnknownAttempts, &first, &created, &sent, &p.ReplyTo, &p.PrevPending); err != nil {
			return nil, fmt.Errorf("unsent posts for %s: %w", poster, err)
		}
		p.FirstUnknown, p.CreatedAt, p.SentAt = parseTime(first), parseTime(created), parseTime(sent)
		out = append(out, p)
	}
	return out, rows.Err()
}

// MarkSent records that the post is published.
func (s *Store) MarkSent(ctx context.Context, id int64, remoteID, remoteURL string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		UPDATE posts SET state = 'sent', remote_id = ?, remote_url = ?, sent_at = ?, error = '', attempts = attempts + 1
		WHERE id = ?`, remoteID, remoteURL, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("mark post %d sent: %w", id, err)
	}
	return nil
}

// BeginSend records, before the network call, that a send of the post
// starts at at. Until the outcome is known it counts as an attempt that
// may have published, so a crash during the call is not forgotten.
func (s *Store) BeginSend(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		UPDATE posts SET unknown_attempts = unknown_attempts + 1,
			first_unknown_at = CASE WHEN first_unknown_at = '' THEN ? ELSE first_unknown_at END
		WHERE id = ?`, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("begin send of post %d: %w", id, err)
	}
	return nil
}

// MarkNotDelivered records a send that surely published nothing: the
// BeginSend is taken back and the post stays pending.
func (s *Store) MarkNotDelivered(ctx context.Context, id int64, msg string) error {
	_, err := s.db.ExecContext(ctx, `
		UPDATE posts SET error = ?, attempts = attempts + 1,
			unknown_attempts = max(unknown_attempts - 1, 0),
			first_unknown_at = CASE WHEN unknown_attempts <= 1 THEN '' ELSE first_unknown_at END
		WHERE id = ?`, msg, id)
	if err != nil {
		return fmt.Errorf("mark post %d not delivered: %w", id, err)
	}
	return nil
}

// MarkUnknown records a send whose outcome is unknown; the post stays
// pending and its BeginSend keeps counting.
func (s *Store) MarkUnknown(ctx context.Context, id int64, msg string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE posts SET error = ?, attempts = attempts + 1 WHERE id = ?`, msg, id)
	if err != nil {
		return fmt.Errorf("mark post %d unknown: %w", id, err)
	}
	return nil
}

// MarkFailed gives the post up: the platform refused it, or retrying an
// unknown outcome could post it twice.
func (s *Store) MarkFailed(ctx context.Context, id int64, msg string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE posts SET state = 'failed', error = ?, attempts = attempts + 1 WHERE id = ?`, msg, id)
	if err != nil {
		return fmt.Errorf("mark post %d failed: %w", id, err)
	}
	return nil
}

// UnsentByPoster counts pending posts per poster name.
func (s *Store) UnsentByPoster(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT poster, count(*) FROM posts WHERE state = 'pending' GROUP BY poster`)
	if err != nil {
		return nil, fmt.Errorf("count unsent posts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, fmt.Errorf("count unsent posts: %w", err)
		}
		out[name] = n
	}
	return out, rows.Err()
}

// PostItems returns the items a post carries.
func (s *Store) PostItems(ctx context.Context, postID int64) ([]Item, error) {
	items, err := s.queryItems(ctx, `
		SELECT `+itemColumns+` FROM items i JOIN feeds f ON f.id = i.feed_id
		JOIN deliveries d ON d.item_id = i.id WHERE d.post_id = ? ORDER BY i.id`, postID)
	if err != nil {
		return nil, fmt.Errorf("items of post %d: %w", postID, err)
	}
	return items, nil
}

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
	// FirstAttempt is when sending was first tried and failed (zero if never).
	FirstAttempt time.Time
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
			p.attempts, p.first_attempt_at, p.created_at, p.sent_at,
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
			&p.Error, &p.Attempts, &first, &created, &sent, &p.ReplyTo, &p.PrevPending); err != nil {
			return nil, fmt.Errorf("unsent posts for %s: %w", poster, err)
		}
		p.FirstAttempt, p.CreatedAt, p.SentAt = parseTime(first), parseTime(created), parseTime(sent)
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

// MarkAttempt records a failed attempt at time at. With final the post is
// given up; otherwise it stays pending for the next cycle.
func (s *Store) MarkAttempt(ctx context.Context, id int64, msg string, final bool, at time.Time) error {
	state := PostPending
	if final {
		state = PostFailed
	}
	_, err := s.db.ExecContext(ctx, `
		UPDATE posts SET state = ?, error = ?, attempts = attempts + 1,
			first_attempt_at = CASE WHEN first_attempt_at = '' THEN ? ELSE first_attempt_at END
		WHERE id = ?`, state, msg, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("mark post %d attempt: %w", id, err)
	}
	return nil
}

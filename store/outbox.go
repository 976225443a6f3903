package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/itsecbot/itsecbot/internal/crashpoint"
)

// Post states in the outbox.
const (
	PostPending  = "pending" // written before sending; sent or retried later
	PostSent     = "sent"
	PostFailed   = "failed"   // given up; `retry` puts it back
	PostReplaced = "replaced" // refused or cut from its thread; its stories were composed again
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
	LastAttempt  time.Time // when the last send began
	NextAttempt  time.Time // not to be sent before (zero: now)
	CreatedAt    time.Time
	SentAt       time.Time
	// ReplyTo is the remote ID of the post before it in the thread, once
	// that one is sent ("" for the first post).
	ReplyTo string
	// PrevPending is true while the post before it in the thread is still
	// pending: this one must wait for it.
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
// items are no longer pending for that poster, unless the post is replaced.
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
				crashpoint.Hit("store.enqueue")
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("enqueue posts for %s: %w", poster, err)
	}
	return nil
}

const postColumns = `p.id, p.poster, p.thread, p.seq, p.text, p.state, p.remote_id, p.remote_url, p.error,
	p.attempts, p.unknown_attempts, p.first_unknown_at, p.last_attempt_at, p.next_attempt_at, p.created_at, p.sent_at,
	coalesce((SELECT q.remote_id FROM posts q WHERE q.poster = p.poster AND q.thread = p.thread
		AND q.seq = p.seq - 1 AND q.state = 'sent'), ''),
	EXISTS (SELECT 1 FROM posts q WHERE q.poster = p.poster AND q.thread = p.thread
		AND q.seq < p.seq AND q.state = 'pending')`

func scanPost(row interface{ Scan(...any) error }) (Post, error) {
	var p Post
	var first, last, next, created, sent string
	err := row.Scan(&p.ID, &p.Poster, &p.Thread, &p.Seq, &p.Text, &p.State, &p.RemoteID, &p.RemoteURL,
		&p.Error, &p.Attempts, &p.UnknownAttempts, &first, &last, &next, &created, &sent, &p.ReplyTo, &p.PrevPending)
	p.FirstUnknown, p.LastAttempt, p.NextAttempt = parseTime(first), parseTime(last), parseTime(next)
	p.CreatedAt, p.SentAt = parseTime(created), parseTime(sent)
	return p, err
}

func (s *Store) queryPosts(ctx context.Context, query string, args ...any) ([]Post, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Unsent returns the poster's pending posts in the order they must go out.
func (s *Store) Unsent(ctx context.Context, poster string) ([]Post, error) {
	posts, err := s.queryPosts(ctx, `SELECT `+postColumns+` FROM posts p
		WHERE p.poster = ? AND p.state = 'pending' ORDER BY p.id`, poster)
	if err != nil {
		return nil, fmt.Errorf("unsent posts for %s: %w", poster, err)
	}
	return posts, nil
}

// PostByID returns one post.
func (s *Store) PostByID(ctx context.Context, id int64) (Post, error) {
	p, err := scanPost(s.db.QueryRowContext(ctx, `SELECT `+postColumns+` FROM posts p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Post{}, fmt.Errorf("post %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Post{}, fmt.Errorf("post %d: %w", id, err)
	}
	return p, nil
}

// ErrNotFound reports a post or item that does not exist.
var ErrNotFound = errors.New("not found")

// MarkSent records that the post is published.
func (s *Store) MarkSent(ctx context.Context, id int64, remoteID, remoteURL string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		UPDATE posts SET state = 'sent', remote_id = ?, remote_url = ?, sent_at = ?, error = '',
			next_attempt_at = '', attempts = attempts + 1
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
		UPDATE posts SET unknown_attempts = unknown_attempts + 1, last_attempt_at = ?,
			first_unknown_at = CASE WHEN first_unknown_at = '' THEN ? ELSE first_unknown_at END
		WHERE id = ?`, formatTime(at), formatTime(at), id)
	if err != nil {
		return fmt.Errorf("begin send of post %d: %w", id, err)
	}
	return nil
}

// MarkNotDelivered records a send that surely published nothing: the
// BeginSend is taken back and the post stays pending, not to be tried
// before next (zero: the next cycle).
func (s *Store) MarkNotDelivered(ctx context.Context, id int64, msg string, next time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		UPDATE posts SET error = ?, attempts = attempts + 1, next_attempt_at = ?,
			unknown_attempts = max(unknown_attempts - 1, 0),
			first_unknown_at = CASE WHEN unknown_attempts <= 1 THEN '' ELSE first_unknown_at END
		WHERE id = ?`, msg, formatTime(next), id)
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

// Wait keeps a pending post waiting, with why, without counting an
// attempt: its earlier outcome could not be checked yet.
func (s *Store) Wait(ctx context.Context, id int64, msg string, next time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE posts SET error = ?, next_attempt_at = ? WHERE id = ?`, msg, formatTime(next), id)
	if err != nil {
		return fmt.Errorf("keep post %d waiting: %w", id, err)
	}
	return nil
}

// ClearUnknown records that the platform surely does not hold the post:
// its earlier sends published nothing, so it may be sent again.
func (s *Store) ClearUnknown(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE posts SET unknown_attempts = 0, first_unknown_at = '' WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("clear unknown sends of post %d: %w", id, err)
	}
	return nil
}

// MarkFailed gives the post up: it is not retried unless requeued.
func (s *Store) MarkFailed(ctx context.Context, id int64, msg string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE posts SET state = 'failed', error = ?, attempts = attempts + 1 WHERE id = ?`, msg, id)
	if err != nil {
		return fmt.Errorf("mark post %d failed: %w", id, err)
	}
	return nil
}

// Requeue puts a failed post back in the queue, as if never tried.
func (s *Store) Requeue(ctx context.Context, id int64) (Post, error) {
	p, err := s.PostByID(ctx, id)
	if err != nil {
		return Post{}, err
	}
	if p.State != PostFailed {
		return p, fmt.Errorf("post %d is %s, not failed: only failed posts can be retried", id, p.State)
	}
	_, err = s.db.ExecContext(ctx, `UPDATE posts SET state = 'pending', error = '', unknown_attempts = 0,
		first_unknown_at = '', next_attempt_at = '' WHERE id = ?`, id)
	if err != nil {
		return p, fmt.Errorf("requeue post %d: %w", id, err)
	}
	p.State = PostPending
	return p, nil
}

// Replace marks the pending posts of a thread from seq on as replaced and
// gives their items back, so they are composed again; it returns those
// items. One transaction: the items are never both carried and pending.
func (s *Store) Replace(ctx context.Context, poster, thread string, fromSeq int, reason string) ([]int64, error) {
	var items []int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT d.item_id FROM deliveries d JOIN posts p ON p.id = d.post_id
			WHERE p.poster = ? AND p.thread = ? AND p.seq >= ? AND p.state = 'pending' ORDER BY d.item_id`,
			poster, thread, fromSeq)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			items = append(items, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM deliveries WHERE poster = ? AND post_id IN
			(SELECT id FROM posts WHERE poster = ? AND thread = ? AND seq >= ? AND state = 'pending')`,
			poster, poster, thread, fromSeq); err != nil {
			return err
		}
		crashpoint.Hit("store.replace")
		_, err = tx.ExecContext(ctx, `UPDATE posts SET state = 'replaced', error = ?
			WHERE poster = ? AND thread = ? AND seq >= ? AND state = 'pending'`, reason, poster, thread, fromSeq)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("replace thread %s of %s: %w", thread, poster, err)
	}
	return items, nil
}

// UnsentByPoster counts pending posts per poster name.
func (s *Store) UnsentByPoster(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT poster, count(*) FROM posts INDEXED BY posts_queued WHERE state = 'pending' GROUP BY poster`)
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

// SentSince counts the poster's posts sent at or after since.
func (s *Store) SentSince(ctx context.Context, poster string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM posts WHERE poster = ? AND state = 'sent' AND sent_at >= ?`,
		poster, formatTime(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count posts of %s: %w", poster, err)
	}
	return n, nil
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

// OutboxPost is a post waiting or given up, with the titles it carries.
type OutboxPost struct {
	Post
	Stories []string
}

// Outbox returns the pending and failed posts of every poster, by poster
// and then in sending order.
func (s *Store) Outbox(ctx context.Context) ([]OutboxPost, error) {
	posts, err := s.queryPosts(ctx, `SELECT `+postColumns+` FROM posts p
		WHERE p.state IN ('pending', 'failed') ORDER BY p.poster, p.state DESC, p.id`)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	out := make([]OutboxPost, len(posts))
	for i, p := range posts {
		items, err := s.PostItems(ctx, p.ID)
		if err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
		out[i].Post = p
		for _, it := range items {
			out[i].Stories = append(out[i].Stories, it.Title)
		}
	}
	return out, nil
}

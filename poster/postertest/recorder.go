// Package postertest provides a contract test that every poster.Poster must
// pass, and Recorder, an in-memory Poster for testing code that posts.
package postertest

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// Published is one post as it reached the platform.
type Published struct {
	ID             string
	Text           string
	InReplyTo      string
	IdempotencyKey string
}

// Recorder is an in-memory poster.Poster. Like Mastodon it answers a repeated
// idempotency key with the original receipt instead of publishing again, and
// it refuses posts that do not fit its rule. Set the fields before first use;
// the methods are safe for concurrent use.
type Recorder struct {
	PosterName string       // default "recorder"
	LengthRule textlen.Rule // default textlen.Mastodon(500, 23)
	// Fault, when set, runs before each post. A non-nil err is returned
	// instead of a receipt; published reports whether the post was recorded
	// anyway (a failure after publishing, as behind a timeout).
	Fault func(p poster.Post) (published bool, err error)

	mu     sync.Mutex
	posts  []Published
	byKey  map[string]poster.Receipt
	nextID int
}

var _ poster.Poster = (*Recorder)(nil)

// Name returns PosterName or "recorder".
func (r *Recorder) Name() string {
	if r.PosterName == "" {
		return "recorder"
	}
	return r.PosterName
}

// Rule returns LengthRule or textlen.Mastodon(500, 23).
func (r *Recorder) Rule(context.Context) (textlen.Rule, error) { return r.rule(), nil }

func (r *Recorder) rule() textlen.Rule {
	if r.LengthRule == nil {
		return textlen.Mastodon(500, 23)
	}
	return r.LengthRule
}

// Post records p and returns a receipt with a sequential ID ("1", "2", ...).
func (r *Recorder) Post(ctx context.Context, p poster.Post) (poster.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return poster.Receipt{}, &poster.Error{Poster: r.Name(), Delivered: poster.NotDelivered, Err: err}
	}
	if rule := r.rule(); !rule.Fits(p.Text) {
		msg := fmt.Sprintf("text does not fit: length %d, limit %d", rule.Length(p.Text), rule.Limit())
		return poster.Receipt{}, &poster.Error{Poster: r.Name(), Delivered: poster.Rejected, Message: msg}
	}
	if r.Fault != nil {
		if published, err := r.Fault(p); err != nil {
			if published {
				r.record(p)
			}
			return poster.Receipt{}, err
		}
	}
	return r.record(p), nil
}

func (r *Recorder) record(p poster.Post) poster.Receipt {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rc, ok := r.byKey[p.IdempotencyKey]; ok && p.IdempotencyKey != "" {
		return rc
	}
	r.nextID++
	rc := poster.Receipt{ID: strconv.Itoa(r.nextID)}
	r.posts = append(r.posts, Published{ID: rc.ID, Text: p.Text, InReplyTo: p.InReplyTo, IdempotencyKey: p.IdempotencyKey})
	if p.IdempotencyKey != "" {
		if r.byKey == nil {
			r.byKey = make(map[string]poster.Receipt)
		}
		r.byKey[p.IdempotencyKey] = rc
	}
	return rc
}

// Posts returns a copy of everything published so far, in order.
func (r *Recorder) Posts() []Published {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Published(nil), r.posts...)
}

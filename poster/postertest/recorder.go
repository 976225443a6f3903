// Package postertest provides the contract suite that every poster.Poster
// must pass, and Recorder, an in-memory Poster for testing code that posts.
package postertest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

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

// Recorder is an in-memory poster.Poster that can read back what it
// published. Like Mastodon it answers a repeated idempotency key with the
// original receipt, unless IgnoreKeys (as many compatible servers do), and
// it refuses posts that do not fit its rule. Set the fields before first
// use; the methods are safe for concurrent use.
type Recorder struct {
	PosterName string       // default "recorder"
	Spec       textlen.Spec // default Mastodon 500/23
	// Caps overrides the declared capabilities (default: threads,
	// read-back, idempotency keys, fixed rule).
	Caps *poster.Capabilities
	// IgnoreKeys publishes again on a repeated idempotency key.
	IgnoreKeys bool
	// Fault, when set, runs before each post. A non-nil err is returned
	// instead of a receipt; published reports whether the post was recorded
	// anyway (a failure after publishing, as behind a timeout).
	Fault func(p poster.Post) (published bool, err error)
	// ReadFault, when set, makes Recent fail with its error.
	ReadFault func() error
	// ReadBackLimit, when positive, is how many posts Recent reads at most,
	// as a platform's bounded pages: more after since is ErrReadBackShort.
	ReadBackLimit int
	// Clock stamps published posts; default time.Now.
	Clock func() time.Time

	mu     sync.Mutex
	posts  []Published
	times  []time.Time
	byKey  map[string]poster.Receipt
	nextID int
}

var (
	_ poster.Poster = (*Recorder)(nil)
	_ poster.Reader = (*Recorder)(nil)
)

// Name returns PosterName or "recorder".
func (r *Recorder) Name() string {
	if r.PosterName == "" {
		return "recorder"
	}
	return r.PosterName
}

// Capabilities returns Caps or every capability.
func (r *Recorder) Capabilities() poster.Capabilities {
	if r.Caps != nil {
		return *r.Caps
	}
	return poster.Capabilities{Threads: true, ReadBack: true, IdempotencyKeys: true, Rule: poster.RuleFixed}
}

// Limits returns Spec or Mastodon's 500/23.
func (r *Recorder) Limits(context.Context) (textlen.Spec, error) { return r.spec(), nil }

func (r *Recorder) spec() textlen.Spec {
	if r.Spec.Platform == "" {
		return textlen.Spec{Platform: textlen.PlatformMastodon, Limit: 500, URLChars: 23}
	}
	return r.Spec
}

// Post records p and returns a receipt with a sequential ID ("1", "2", ...).
func (r *Recorder) Post(ctx context.Context, p poster.Post) (poster.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return poster.Receipt{}, &poster.Error{Poster: r.Name(), Delivered: poster.NotDelivered, Err: err}
	}
	rule, err := r.spec().Rule()
	if err != nil {
		return poster.Receipt{}, &poster.Error{Poster: r.Name(), Delivered: poster.NotDelivered, Err: err}
	}
	if !rule.Fits(p.Text) {
		msg := fmt.Sprintf("text does not fit: length %d, limit %d", rule.Length(p.Text), rule.Limit())
		return poster.Receipt{}, &poster.Error{Poster: r.Name(), Delivered: poster.Rejected, Cause: poster.CauseTooLong, Message: msg}
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
	if rc, ok := r.byKey[p.IdempotencyKey]; ok && p.IdempotencyKey != "" && !r.IgnoreKeys {
		return rc
	}
	r.nextID++
	rc := poster.Receipt{ID: strconv.Itoa(r.nextID), URL: "https://recorder.example/" + strconv.Itoa(r.nextID)}
	r.posts = append(r.posts, Published{ID: rc.ID, Text: p.Text, InReplyTo: p.InReplyTo, IdempotencyKey: p.IdempotencyKey})
	r.times = append(r.times, r.now())
	if p.IdempotencyKey != "" {
		if r.byKey == nil {
			r.byKey = make(map[string]poster.Receipt)
		}
		r.byKey[p.IdempotencyKey] = rc
	}
	return rc
}

func (r *Recorder) now() time.Time {
	if r.Clock != nil {
		return r.Clock()
	}
	return time.Now()
}

// Recent returns what was published at or after since, newest first.
func (r *Recorder) Recent(ctx context.Context, since time.Time) ([]poster.Remote, error) {
	if r.ReadFault != nil {
		if err := r.ReadFault(); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []poster.Remote
	for i, p := range r.posts {
		if !r.times[i].Before(since) {
			out = append(out, poster.Remote{ID: p.ID, URL: "https://recorder.example/" + p.ID, Text: p.Text,
				InReplyTo: p.InReplyTo, Created: r.times[i]})
		}
	}
	slices.Reverse(out)
	if r.ReadBackLimit > 0 && len(out) > r.ReadBackLimit {
		return out[:r.ReadBackLimit], poster.ReadBackShort(r.ReadBackLimit, since)
	}
	return out, nil
}

// Posts returns a copy of everything published so far, in order.
func (r *Recorder) Posts() []Published {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Published(nil), r.posts...)
}

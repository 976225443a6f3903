// Package poster defines how composed messages are published: the Poster
// interface every platform implements, the classified Error it returns, and
// the Stdout and DryRun posters that print instead of publishing.
package poster

import (
	"context"

	"github.com/itsecbot/itsecbot/textlen"
)

// Post is one message to publish. Threads are built by the caller: InReplyTo
// is the remote ID of the previous post.
type Post struct {
	Text string
	// IdempotencyKey is stable per (poster, post); it is sent as
	// Idempotency-Key where the platform supports it, so a retry after an
	// unknown outcome does not publish twice.
	IdempotencyKey string
	InReplyTo      string
}

// Receipt identifies a published post on its platform.
type Receipt struct {
	ID  string // remote ID, usable as Post.InReplyTo
	URL string // public URL; may be empty when the platform has none
}

// Poster publishes posts to one account on one platform.
type Poster interface {
	// Name is the configured name, unique per config, e.g. "mastodon".
	Name() string
	// Rule returns the platform's length rule. It may query the server but
	// falls back to a default instead of failing on a lookup error.
	Rule(ctx context.Context) (textlen.Rule, error)
	// Post publishes p. Errors are *Error, classified by Delivered.
	Post(ctx context.Context, p Post) (Receipt, error)
}

// Package poster is the seam between the pipeline and the platforms it
// posts to: the Poster interface every platform implements, what a poster
// declares it can do (Capabilities), the optional Reader and Verifier, the
// classified Error, and the Platform interface through which each platform
// package decodes its own block of the config.
//
// Each platform lives in its own package (poster/mastodon, poster/stdout,
// ...) and is named in one explicit table in cmd/itsecbot.
package poster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/itsecbot/itsecbot/textlen"
)

// Post is one message to publish. Threads are built by the caller: InReplyTo
// is the remote ID of the previous post.
type Post struct {
	Text string
	// IdempotencyKey is stable per (poster, post); it is sent where the
	// platform takes one. Many servers ignore it, so it is never relied on
	// alone: an unknown outcome is looked up with Reader first.
	IdempotencyKey string
	InReplyTo      string
	// Stories are the stories the text carries, for platforms that send
	// fields as well as text (a webhook's JSON, a chat card).
	Stories []Story
}

// Story is one story of a post, as data.
type Story struct {
	Title      string    `json:"title"`
	Link       string    `json:"link"`
	Sources    []string  `json:"sources"` // feed names, e.g. ["JVN", "JPCERT/CC"]
	Identifier string    `json:"identifier,omitempty"`
	CVEs       []string  `json:"cves,omitempty"`
	CVSSScore  float64   `json:"cvss_score,omitempty"`
	Severity   string    `json:"severity,omitempty"` // Critical, High, Medium, Low
	Published  time.Time `json:"published"`
}

// Receipt identifies a published post on its platform.
type Receipt struct {
	ID  string // remote ID, usable as Post.InReplyTo
	URL string // public URL; may be empty when the platform has none
}

// RuleSource says where a poster's length rule comes from.
type RuleSource string

// The rule sources a poster can declare.
const (
	RuleFromServer RuleSource = "server" // asked from the server (Mastodon's instance, Misskey's meta)
	RuleFixed      RuleSource = "fixed"  // a platform constant (X, Bluesky)
	RuleFromConfig RuleSource = "config" // set in the config (stdout)
)

// Capabilities is what a poster declares it can do. The pipeline relies on
// it, and the contract suite (postertest) checks every declared capability.
type Capabilities struct {
	// Threads: a Post with InReplyTo is published as a reply to that post,
	// so a long digest goes out as one thread.
	Threads bool
	// ReadBack: the poster implements Reader, so a post whose outcome is
	// unknown is looked up on the platform before it is ever sent again.
	ReadBack bool
	// IdempotencyKeys: Post.IdempotencyKey is sent to the platform.
	IdempotencyKeys bool
	// RefusesDuplicates: the platform refuses a repeat of a text it
	// published recently (CauseDuplicate), so a post whose outcome is
	// unknown may be sent again: a repeat is refused, not published.
	RefusesDuplicates bool
	// Rule says where Limits gets the length rule.
	Rule RuleSource
}

// Poster publishes posts to one account on one platform.
type Poster interface {
	// Name is the configured name, unique per config, e.g. "mastodon".
	Name() string
	// Capabilities declares what the poster can do.
	Capabilities() Capabilities
	// Limits returns the platform's length rule. When it had to ask the
	// server and could not, it returns the platform's default with a
	// non-nil error, so the caller can prefer a rule it stored earlier.
	Limits(ctx context.Context) (textlen.Spec, error)
	// Post publishes p. Errors are *Error.
	Post(ctx context.Context, p Post) (Receipt, error)
}

// Remote is one post as read back from the platform.
type Remote struct {
	ID        string
	URL       string
	Text      string // plain text: markup the platform added is removed
	InReplyTo string
	Created   time.Time
}

// Reader is implemented by posters that can read back their account's own
// recent posts (Capabilities.ReadBack).
type Reader interface {
	// Recent returns the account's own posts created at or after since,
	// newest first. It reads a bounded number of pages: when they end
	// before since, it returns what it read with an error wrapping
	// ErrReadBackShort, since the post asked about may be further back.
	Recent(ctx context.Context, since time.Time) ([]Remote, error)
}

// ErrReadBackShort says that Recent read as many pages as it may without
// reaching back to the time asked for.
var ErrReadBackShort = errors.New("the recent posts read back do not reach that far")

// ReadBackShort is the error a Reader returns with the n posts it read
// when they do not reach back to since.
func ReadBackShort(n int, since time.Time) error {
	return fmt.Errorf("%w: %d posts read, all after %s", ErrReadBackShort, n, since.UTC().Format(time.RFC3339))
}

// Account describes the account a poster posts as.
type Account struct {
	Name string // e.g. @itsecbot@mastodon.example
	URL  string
}

// Verifier is implemented by posters that can check their credentials
// without posting (check -online).
type Verifier interface {
	Verify(ctx context.Context) (Account, error)
}

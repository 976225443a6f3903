// Package stdout is the poster that prints posts instead of publishing
// them, and the dry-run wrapper that prints what another poster would
// publish.
package stdout

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// Stdout prints each post to a writer instead of publishing it. Each post is
// a separator line naming the poster, the synthetic ID, the reply target and
// the idempotency key, followed by the text. It is safe for concurrent use.
type Stdout struct {
	name string
	spec textlen.Spec
	rule textlen.Rule
	p    *printer
}

var _ poster.Poster = (*Stdout)(nil)

// New returns a poster named name printing to w under the length rule
// spec; a zero spec means Mastodon's 500 characters. Posts that do not fit
// are refused with a Rejected *poster.Error, as the platform would.
func New(name string, w io.Writer, spec textlen.Spec) (*Stdout, error) {
	if spec.Platform == "" {
		spec.Platform = textlen.PlatformMastodon
	}
	rule, err := spec.Rule()
	if err != nil {
		return nil, fmt.Errorf("stdout poster %s: %w", name, err)
	}
	return &Stdout{name: name, spec: spec, rule: rule, p: &printer{w: w, label: name, idPrefix: name + "-"}}, nil
}

// Name returns the configured name.
func (s *Stdout) Name() string { return s.name }

// Capabilities: threads are printed with their reply targets; nothing can
// be read back.
func (s *Stdout) Capabilities() poster.Capabilities {
	return poster.Capabilities{Threads: true, IdempotencyKeys: true, Rule: poster.RuleFromConfig}
}

// Limits returns the configured rule.
func (s *Stdout) Limits(context.Context) (textlen.Spec, error) { return s.spec, nil }

// Post prints p and returns a receipt with a synthetic ID.
func (s *Stdout) Post(ctx context.Context, p poster.Post) (poster.Receipt, error) {
	return s.p.print(ctx, s.name, s.rule, p)
}

// printer writes posts as a transcript and numbers them.
type printer struct {
	w        io.Writer
	label    string // first word(s) of the separator line
	idPrefix string // synthetic IDs are idPrefix + sequence number

	mu   sync.Mutex // serialises writes and numbering
	next int
}

func (pr *printer) print(ctx context.Context, name string, rule textlen.Rule, p poster.Post) (poster.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return poster.Receipt{}, &poster.Error{Poster: name, Delivered: poster.NotDelivered, Err: err}
	}
	if !rule.Fits(p.Text) {
		msg := fmt.Sprintf("text does not fit %s rule: length %d, limit %d",
			rule.Platform(), rule.Length(p.Text), rule.Limit())
		return poster.Receipt{}, &poster.Error{Poster: name, Delivered: poster.Rejected, Cause: poster.CauseTooLong,
			Limit: rule.Limit(), Message: msg}
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.next++
	id := fmt.Sprintf("%s%d", pr.idPrefix, pr.next)
	n, err := io.WriteString(pr.w, transcriptEntry(pr.label, id, p))
	if err != nil {
		pr.next-- // the ID was never shown; reuse it
		d := poster.Unknown
		if n == 0 {
			d = poster.NotDelivered
		}
		return poster.Receipt{}, &poster.Error{Poster: name, Delivered: d, Err: fmt.Errorf("write post: %w", err)}
	}
	return poster.Receipt{ID: id}, nil
}

// transcriptEntry renders one post: a separator line, then the text ending in
// a newline. Everything goes out in one Write so concurrent transcripts
// sharing a writer do not interleave within a post.
func transcriptEntry(label, id string, p poster.Post) string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s id=%s", label, id)
	if p.InReplyTo != "" {
		fmt.Fprintf(&b, " reply-to=%s", p.InReplyTo)
	}
	if p.IdempotencyKey != "" {
		fmt.Fprintf(&b, " key=%s", p.IdempotencyKey)
	}
	b.WriteString(" ---\n")
	b.WriteString(p.Text)
	if !strings.HasSuffix(p.Text, "\n") {
		b.WriteByte('\n')
	}
	return b.String()
}

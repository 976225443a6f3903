package poster

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/itsecbot/itsecbot/textlen"
)

// Stdout prints each post to a writer instead of publishing it. Each post is
// a separator line naming the poster, the synthetic ID, the reply target and
// the idempotency key, followed by the text. It is safe for concurrent use.
type Stdout struct {
	name string
	rule textlen.Rule
	p    *printer
}

var _ Poster = (*Stdout)(nil)

// NewStdout returns a poster named name printing to w. A nil rule means
// textlen.Mastodon(500, 23). Posts that do not fit the rule are refused with
// a Rejected *Error, as the platform would.
func NewStdout(name string, w io.Writer, rule textlen.Rule) *Stdout {
	if rule == nil {
		rule = textlen.Mastodon(500, 23)
	}
	return &Stdout{name: name, rule: rule, p: &printer{w: w, label: name, idPrefix: name + "-"}}
}

// Name returns the configured name.
func (s *Stdout) Name() string { return s.name }

// Rule returns the configured length rule.
func (s *Stdout) Rule(context.Context) (textlen.Rule, error) { return s.rule, nil }

// Post prints p and returns a receipt with a synthetic ID.
func (s *Stdout) Post(ctx context.Context, p Post) (Receipt, error) {
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

func (pr *printer) print(ctx context.Context, name string, rule textlen.Rule, p Post) (Receipt, error) {
	if err := ctx.Err(); err != nil {
		return Receipt{}, &Error{Poster: name, Delivered: NotDelivered, Err: err}
	}
	if !rule.Fits(p.Text) {
		msg := fmt.Sprintf("text does not fit %s rule: length %d, limit %d",
			rule.Platform(), rule.Length(p.Text), rule.Limit())
		return Receipt{}, &Error{Poster: name, Delivered: Rejected, Message: msg}
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.next++
	id := fmt.Sprintf("%s%d", pr.idPrefix, pr.next)
	n, err := io.WriteString(pr.w, transcriptEntry(pr.label, id, p))
	if err != nil {
		pr.next-- // the ID was never shown; reuse it
		d := Unknown
		if n == 0 {
			d = NotDelivered
		}
		return Receipt{}, &Error{Poster: name, Delivered: d, Err: fmt.Errorf("write post: %w", err)}
	}
	return Receipt{ID: id}, nil
}

// transcriptEntry renders one post: a separator line, then the text ending in
// a newline. Everything goes out in one Write so concurrent transcripts
// sharing a writer do not interleave within a post.
func transcriptEntry(label, id string, p Post) string {
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

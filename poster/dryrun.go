package poster

import (
	"context"
	"io"

	"github.com/itsecbot/itsecbot/textlen"
)

// dryRun prints what its inner poster would publish, with the inner poster's
// real length rule, and never calls the inner Post.
type dryRun struct {
	inner Poster
	p     *printer
}

// NewDryRun wraps inner: Name and Rule delegate to it, Post prints like
// Stdout (separator "NAME dry-run") and returns synthetic IDs
// "NAME-dry-run-N". A post that does not fit inner's rule is Rejected, so a
// dry run reports what the platform would refuse. Safe for concurrent use if
// inner's Rule is.
func NewDryRun(inner Poster, w io.Writer) Poster {
	name := inner.Name()
	return &dryRun{inner: inner, p: &printer{w: w, label: name + " dry-run", idPrefix: name + "-dry-run-"}}
}

func (d *dryRun) Name() string { return d.inner.Name() }

func (d *dryRun) Rule(ctx context.Context) (textlen.Rule, error) { return d.inner.Rule(ctx) }

func (d *dryRun) Post(ctx context.Context, p Post) (Receipt, error) {
	rule, err := d.inner.Rule(ctx)
	if err != nil {
		return Receipt{}, &Error{Poster: d.Name(), Delivered: NotDelivered, Err: err}
	}
	return d.p.print(ctx, d.Name(), rule, p)
}

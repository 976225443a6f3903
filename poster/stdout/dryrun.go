package stdout

import (
	"context"
	"io"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// dryRun prints what its inner poster would publish, with the inner poster's
// real length rule, and never calls the inner Post.
type dryRun struct {
	inner poster.Poster
	p     *printer
}

// DryRun wraps inner: Name, Capabilities and Limits delegate to it, Post
// prints like Stdout (separator "NAME dry-run") and returns synthetic IDs
// "NAME-dry-run-N". A post that does not fit inner's rule is Rejected, so a
// dry run reports what the platform would refuse. Safe for concurrent use
// if inner's Limits is.
func DryRun(inner poster.Poster, w io.Writer) poster.Poster {
	name := inner.Name()
	return &dryRun{inner: inner, p: &printer{w: w, label: name + " dry-run", idPrefix: name + "-dry-run-"}}
}

func (d *dryRun) Name() string { return d.inner.Name() }

func (d *dryRun) Capabilities() poster.Capabilities {
	c := d.inner.Capabilities()
	c.ReadBack = false // nothing it prints can be read back
	c.IdempotencyKeys = true
	return c
}

func (d *dryRun) Limits(ctx context.Context) (textlen.Spec, error) { return d.inner.Limits(ctx) }

func (d *dryRun) Post(ctx context.Context, p poster.Post) (poster.Receipt, error) {
	spec, _ := d.inner.Limits(ctx) // on a lookup failure the default is the best guess
	rule, err := spec.Rule()
	if err != nil {
		return poster.Receipt{}, &poster.Error{Poster: d.Name(), Delivered: poster.NotDelivered, Err: err}
	}
	return d.p.print(ctx, d.Name(), rule, p)
}

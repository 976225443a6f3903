package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/itsecbot/itsecbot/digest"
	"github.com/itsecbot/itsecbot/store"
	"github.com/itsecbot/itsecbot/textlen"
)

// Preview is what one poster would send if a cycle ran now.
type Preview struct {
	Poster string
	// Rule is the length rule its posts are composed under; nil while the
	// platform's limits are unknown (Waits says so).
	Rule textlen.Rule
	Spec textlen.Spec
	// Queued are the posts already in the outbox, sent first, in order.
	Queued []store.Post
	// Threads are the posts that would be composed now, in sending order.
	Threads []digest.Thread
	// Waits says why nothing new would be composed, "" when it would.
	Waits string
}

// Preview selects and composes each target's next posts as a cycle would
// now, through the same selection and composition, and sends, stores and
// polls nothing: it runs on a read-only store. The daily cap counts the
// posts already queued as if they went out first.
func (c *Cycle) Preview(ctx context.Context) ([]Preview, error) {
	out := make([]Preview, 0, len(c.Targets))
	for _, t := range c.Targets {
		pv, err := c.preview(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("preview %s: %w", t.Poster.Name(), err)
		}
		out = append(out, pv)
	}
	return out, nil
}

func (c *Cycle) preview(ctx context.Context, t Target) (Preview, error) {
	name := t.Poster.Name()
	d := &delivery{c: c, t: t, log: c.Logger.With("poster", name), now: c.Now(), rep: &Report{}}
	pv := Preview{Poster: name}
	var err error
	if pv.Queued, err = c.Store.Unsent(ctx, name); err != nil {
		return pv, err
	}
	d.rule, d.spec, _, err = c.ruleOf(ctx, t.Poster, d.log, false)
	if errors.Is(err, errLimitsUnknown) {
		pv.Waits = "composing waits until the platform's limits are known: " + err.Error()
		return pv, nil
	}
	if err != nil {
		return pv, err
	}
	pv.Rule, pv.Spec = d.rule, d.spec
	if t.Common.MaxPostsPerDay > 0 {
		sent, err := c.Store.SentSince(ctx, name, startOfDay(d.now, c.Config.Location))
		if err != nil {
			return pv, err
		}
		d.sentToday = sent + len(pv.Queued)
	}
	if d.quota() == 0 {
		pv.Waits = fmt.Sprintf("the daily post cap (%d) is reached; stories wait until tomorrow", t.Common.MaxPostsPerDay)
		return pv, nil
	}
	sel, err := d.selectStories(ctx)
	if err != nil {
		return pv, err
	}
	pv.Threads = d.plan(sel).threads
	return pv, nil
}

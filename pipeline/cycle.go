// Package pipeline runs one itsecbot cycle: poll the due feeds, store and
// filter their new items, compose posts for each poster and deliver them
// through the outbox.
package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/digest"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/store"
)

// Fetcher gets a feed document; *feeds.Fetcher in production.
type Fetcher interface {
	Fetch(ctx context.Context, url string, v feeds.Validators) (*feeds.Response, error)
}

// Target is a poster, its shared settings (layout, hashtags, caps; zero
// values take the digest's), and whether its posts are only printed. A
// dry target composes and prints but records nothing, so its items stay
// pending.
type Target struct {
	Poster poster.Poster
	Common poster.Common
	DryRun bool
	// Hold sends what is queued but composes nothing new this cycle:
	// between a scheduled poster's digest times.
	Hold bool
}

// Cycle holds what one cycle needs; build it with explicit dependencies.
type Cycle struct {
	Config  *config.Config
	Store   *store.Store
	Fetcher Fetcher
	Targets []Target
	Logger  *slog.Logger
	Now     func() time.Time // the cycle's clock; time.Now in production
	// Templates are the composer overrides; nil means built-in.
	Templates *digest.Templates
	// Force polls every feed, due or not.
	Force bool
	// Observer, when set, is told of fetches, stored items, sends and the
	// cycle's end as they happen (metrics).
	Observer Observer
}

// Report counts what a cycle did.
type Report struct {
	FeedsPolled     int
	FeedsSkipped    int // not due yet
	FeedsFailed     int
	NewItems        int
	Accepted        int // new items the filter accepted (and not seeded or too old)
	PostsSent       int
	PostsFailed     int // refused by a platform, given up, or left pending after an error
	PostsReplaced   int // threads cut after a refusal; their stories composed again
	PostsReconciled int // found on the platform after an unknown outcome
	PostsPrinted    int // printed by dry targets
	ItemsPruned     int // deleted by retention
}

// prune deletes items kept longer than the retention that their feed no
// longer lists.
func (c *Cycle) prune(ctx context.Context, now time.Time, rep *Report) error {
	if c.Config.RetentionDuration <= 0 {
		return nil
	}
	n, err := c.Store.Prune(ctx, now.Add(-c.Config.RetentionDuration))
	rep.ItemsPruned = n
	return err
}

// Run performs one cycle. It returns an error only when the cycle itself
// could not go on (the database failed, the context ended); a broken feed or
// a refusing platform is logged, stored and counted instead. A caller that
// must stop between steps runs them itself: Prepare, Poll, Deliver for
// each target, then LogReport and Done.
func (c *Cycle) Run(ctx context.Context) (rep Report, err error) {
	defer c.Done(time.Now(), &err)
	now := c.Now()
	if err := c.Prepare(ctx, now); err != nil {
		return rep, err
	}
	if err := c.Poll(ctx, now, &rep); err != nil {
		return rep, err
	}
	for _, t := range c.Targets {
		if err := c.Deliver(ctx, t, now, &rep); err != nil {
			return rep, err
		}
	}
	c.LogReport(rep)
	return rep, nil
}

// Prepare registers the targets' posters, before polling so that this
// cycle's new items are theirs, and warns of posts queued for posters no
// longer configured.
func (c *Cycle) Prepare(ctx context.Context, now time.Time) error {
	for _, t := range c.Targets {
		if _, err := c.Store.RegisterPoster(ctx, t.Poster.Name(), now); err != nil {
			return err
		}
	}
	return c.warnOrphanedPosts(ctx)
}

// Poll polls every due feed and stores and filters its new items, then
// deletes the items kept past the retention.
func (c *Cycle) Poll(ctx context.Context, now time.Time, rep *Report) error {
	if err := c.pollAll(ctx, now, rep); err != nil {
		return err
	}
	return c.prune(ctx, now, rep)
}

// Deliver sends the target's queue and composes and sends its new posts.
func (c *Cycle) Deliver(ctx context.Context, t Target, now time.Time, rep *Report) error {
	if err := c.deliver(ctx, t, now, rep); err != nil {
		return fmt.Errorf("deliver to %s: %w", t.Poster.Name(), err)
	}
	return nil
}

// Done tells the observer, if any, that the cycle begun at start ended
// with *err.
func (c *Cycle) Done(start time.Time, err *error) {
	if c.Observer != nil {
		c.Observer.CycleDone(time.Since(start), *err)
	}
}

// LogReport logs the cycle's summary line.
func (c *Cycle) LogReport(rep Report) {
	c.Logger.Info("cycle done",
		"feeds_polled", rep.FeedsPolled, "feeds_skipped", rep.FeedsSkipped, "feeds_failed", rep.FeedsFailed,
		"new_items", rep.NewItems, "accepted", rep.Accepted,
		"posts_sent", rep.PostsSent, "posts_failed", rep.PostsFailed, "posts_replaced", rep.PostsReplaced,
		"posts_reconciled", rep.PostsReconciled, "posts_printed", rep.PostsPrinted, "items_pruned", rep.ItemsPruned)
}

// warnOrphanedPosts tells the admin about queued posts of posters that are
// no longer configured (removed or renamed): they wait, unsent, until a
// poster of that name is configured again.
func (c *Cycle) warnOrphanedPosts(ctx context.Context) error {
	unsent, err := c.Store.UnsentByPoster(ctx)
	if err != nil {
		return err
	}
	for _, t := range c.Targets {
		delete(unsent, t.Poster.Name())
	}
	for name, n := range unsent {
		c.Logger.Warn("a poster no longer in the config has unsent posts; they wait until it is configured again",
			"poster", name, "posts", n)
	}
	return nil
}

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/filter"
	"github.com/itsecbot/itsecbot/internal/crashpoint"
	"github.com/itsecbot/itsecbot/store"
)

// pollAll polls every due feed. The fetcher bounds fetches in all and per
// host; the wider limit here bounds feeds in progress, so that feeds queued
// behind one slow host leave room for the others. It is twice the fetch
// concurrency because each feed in progress may hold a fetched body
// (up to fetch.max_body_mib) while it waits for the parse budget: with the
// defaults, 16 bodies of 10 MiB and a 64 MiB budget bound a cycle's feed
// memory. Only a store failure stops it; every other failure belongs to
// its feed.
func (c *Cycle) pollAll(ctx context.Context, now time.Time, rep *Report) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2 * c.Config.Fetch.Concurrency)
	budget := feeds.NewParseBudget(feeds.DefaultParseBudget)
	var mu sync.Mutex
	for i := range c.Config.Feeds {
		fc := &c.Config.Feeds[i]
		if fc.Disabled {
			continue
		}
		st, err := c.Store.EnsureFeed(ctx, fc.Name, fc.URL)
		if err != nil {
			return err
		}
		if !c.Force && !st.NextDue.IsZero() && now.Before(st.NextDue) {
			c.Logger.Debug("feed not due", "feed", fc.Name, "next_due", st.NextDue)
			rep.FeedsSkipped++
			continue
		}
		g.Go(func() error {
			var out pollOutcome
			var err error
			start := time.Now()
			if fc.Kind == "kev" {
				out, err = c.pollKEV(gctx, fc, st, now)
			} else {
				out, err = c.pollFeed(gctx, fc, st, now, budget)
			}
			c.observeFeed(fc.Name, out, err, time.Since(start))
			mu.Lock()
			defer mu.Unlock()
			rep.FeedsPolled++
			rep.NewItems += out.added
			rep.Accepted += out.accepted
			if out.failed {
				rep.FeedsFailed++
			}
			return err
		})
	}
	return g.Wait()
}

type pollOutcome struct {
	added, accepted, rejected int
	failed, notModified       bool
}

// pollFeed fetches, parses and stores one feed and records the poll.
func (c *Cycle) pollFeed(ctx context.Context, fc *config.Feed, st store.Feed, now time.Time, budget *feeds.ParseBudget) (out pollOutcome, err error) {
	log := c.Logger.With("feed", fc.Name, "feed_url", fc.URL)
	resp, parsed, ferr := c.fetchAndParse(ctx, fc, st, budget)
	if ferr != nil {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		out.failed = true
		log.Warn("feed failed", "error", ferr.Error(), "consecutive_failures", st.ConsecutiveFailures+1)
		return out, c.recordPoll(ctx, fc, st, store.Poll{
			At: now, Status: statusOf(resp, ferr), Error: ferr.Error(),
			NextDue: now.Add(retryDelay(fc.IntervalDuration, st.ConsecutiveFailures+1, ferr)),
		})
	}
	poll := store.Poll{At: now, Status: resp.Status, ETag: resp.Validators.ETag,
		LastModified: resp.Validators.LastModified, NextDue: now.Add(fc.IntervalDuration)}
	if resp.NotModified {
		poll.ETag, poll.LastModified = st.ETag, st.LastModified
		log.Debug("feed not modified")
		out.notModified = true
		return out, c.recordPoll(ctx, fc, st, poll)
	}
	crashpoint.Hit("poll.parsed")
	items, err := c.decide(ctx, fc, st, parsed.Items, now)
	if err != nil {
		return out, fmt.Errorf("feed %q: %w", fc.Name, err)
	}
	added, err := c.Store.AddItems(ctx, st.ID, items, !st.Seeded, now)
	if err != nil {
		return out, fmt.Errorf("feed %q: %w", fc.Name, err)
	}
	out.added = len(added)
	for _, it := range added {
		switch it.State {
		case store.Accepted:
			out.accepted++
		case store.Rejected:
			out.rejected++
		}
	}
	log.Debug("feed polled", "items", len(items), "new_items", len(added))
	crashpoint.Hit("poll.stored")
	return out, c.recordPoll(ctx, fc, st, poll)
}

// fetchAndParse never panics: a parser panic on hostile input becomes that
// feed's error. budget bounds the memory of the cycle's parses.
func (c *Cycle) fetchAndParse(ctx context.Context, fc *config.Feed, st store.Feed, budget *feeds.ParseBudget) (resp *feeds.Response, parsed *feeds.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			c.Logger.Debug("panic while reading feed", "feed", fc.Name, "stack", string(debug.Stack()))
			err = fmt.Errorf("parse %s: panic: %v", fc.URL, r)
		}
	}()
	v := feeds.Validators{ETag: st.ETag, LastModified: st.LastModified}
	if st.URL != fc.URL {
		v = feeds.Validators{}
	}
	resp, err = c.Fetcher.Fetch(ctx, fc.URL, v)
	if err != nil || resp.NotModified {
		return resp, nil, err
	}
	parsed, err = budget.Parse(ctx, resp.Body, feeds.ParseOptions{ContentType: resp.ContentType, Location: fc.Location})
	if err != nil {
		return resp, nil, fmt.Errorf("parse %s: %w", fc.URL, err)
	}
	return resp, parsed, nil
}

// recordPoll stores the poll's outcome on the feed; a failure names the
// feed, so that a full disk or a read-only database is traced to it.
func (c *Cycle) recordPoll(ctx context.Context, fc *config.Feed, st store.Feed, p store.Poll) error {
	if err := c.Store.RecordPoll(ctx, st.ID, p); err != nil {
		return fmt.Errorf("feed %q: %w", fc.Name, err)
	}
	return nil
}

func statusOf(resp *feeds.Response, err error) int {
	var se *feeds.StatusError
	if errors.As(err, &se) {
		return se.Status
	}
	if resp != nil {
		return resp.Status
	}
	return 0
}

// filterFor builds the feed's keyword filter from the global and feed rules.
func filterFor(cfg *config.Config, fc *config.Feed) *filter.Filter {
	global := filter.Rules{Include: cfg.Filter.Include, Exclude: cfg.Filter.Exclude}
	if fc.Filter == nil {
		return filter.New(global, nil)
	}
	return filter.New(global, &filter.Rules{Include: fc.Filter.Include, Exclude: fc.Filter.Exclude, Extend: fc.Filter.Mode == "extend"})
}

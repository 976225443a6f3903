package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/store"
)

// pollKEV fetches CISA's Known Exploited Vulnerabilities catalog, a feed
// of kind kev: it ranks stories and marks them [悪用確認], and is never
// posted itself.
func (c *Cycle) pollKEV(ctx context.Context, fc *config.Feed, st store.Feed, now time.Time) (pollOutcome, error) {
	var out pollOutcome
	log := c.Logger.With("feed", fc.Name, "feed_url", fc.URL)
	v := feeds.Validators{ETag: st.ETag, LastModified: st.LastModified}
	if st.URL != fc.URL {
		v = feeds.Validators{}
	}
	resp, err := c.Fetcher.Fetch(ctx, fc.URL, v)
	var entries []feeds.KEV
	if err == nil && !resp.NotModified {
		entries, err = feeds.ParseKEV(resp.Body)
	}
	if err != nil {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		out.failed = true
		log.Warn("feed failed", "error", err.Error(), "consecutive_failures", st.ConsecutiveFailures+1)
		return out, c.recordPoll(ctx, fc, st, store.Poll{
			At: now, Status: statusOf(resp, err), Error: err.Error(),
			NextDue: now.Add(retryDelay(fc.IntervalDuration, st.ConsecutiveFailures+1, err)),
		})
	}
	poll := store.Poll{At: now, Status: resp.Status, ETag: resp.Validators.ETag,
		LastModified: resp.Validators.LastModified, NextDue: now.Add(fc.IntervalDuration)}
	if resp.NotModified {
		poll.ETag, poll.LastModified = st.ETag, st.LastModified
		out.notModified = true
		return out, c.recordPoll(ctx, fc, st, poll)
	}
	kev := make([]store.KEVEntry, len(entries))
	for i, e := range entries {
		kev[i] = store.KEVEntry{CVE: e.CVE, Added: e.Added, Vendor: e.Vendor, Product: e.Product, Name: e.Name}
	}
	if err := c.Store.ReplaceKEV(ctx, kev); err != nil {
		return out, fmt.Errorf("feed %q: %w", fc.Name, err)
	}
	log.Info("KEV catalog read", "cves", len(kev))
	return out, c.recordPoll(ctx, fc, st, poll)
}

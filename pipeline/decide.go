package pipeline

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/filter"
	"github.com/itsecbot/itsecbot/selection"
	"github.com/itsecbot/itsecbot/store"
)

// decide turns parsed items into store items with a state, a reason, their
// refs and a first score. On a feed's first poll only the newest
// BackfillCount items are considered for posting; the rest are recorded as
// seen, so that adding a feed does not flood followers with its archive,
// and items another feed already stored (a renamed feed) are seen too.
func (c *Cycle) decide(ctx context.Context, fc *config.Feed, st store.Feed, parsed []feeds.Item, now time.Time) ([]store.Item, error) {
	items := make([]store.Item, len(parsed))
	for i, p := range parsed {
		items[i] = toStoreItem(p, now)
		items[i].Refs = store.RefsOf(items[i])
	}
	var elsewhere map[string]string
	if !st.Seeded {
		var err error
		if elsewhere, err = c.Store.Matches(ctx, st.ID, urlRefs(items)); err != nil {
			return nil, err
		}
	}
	backfill := map[int]bool{}
	if !st.Seeded {
		for _, i := range newestFirst(items) {
			if len(backfill) == fc.BackfillCount {
				break
			}
			if storedElsewhere(items[i], elsewhere) == "" {
				backfill[i] = true
			}
		}
	}
	f := filterFor(c.Config, fc)
	for i := range items {
		it := &items[i]
		switch other := storedElsewhere(*it, elsewhere); {
		case !st.Seeded && other != "":
			it.State, it.Reason = store.Seen, fmt.Sprintf("already stored from feed %q", other)
		case !st.Seeded && !backfill[i]:
			it.State, it.Reason = store.Seen, fmt.Sprintf("already listed when the feed was first polled (backfill %d)", fc.BackfillCount)
		case fc.MaxAgeDuration > 0 && it.Published.Before(now.Add(-fc.MaxAgeDuration)):
			it.State, it.Reason = store.Seen, fmt.Sprintf("older than max_age %s", formatAge(fc.MaxAgeDuration))
		case fc.Trusted:
			it.State, it.Reason = store.Accepted, "trusted feed: every item is accepted"
		default:
			d := f.Decide(filter.Fields{Title: it.Title, Summary: it.Summary, Categories: parsed[i].Categories})
			it.State, it.Reason = store.Rejected, d.Reason
			if d.Accepted {
				it.State = store.Accepted
			}
		}
	}
	return items, c.scoreItems(ctx, items)
}

// scoreItems gives each accepted item the score it would have as a story
// of its own, as published: the order in which a feed's items are
// considered. Other items are never candidates and keep 0.
func (c *Cycle) scoreItems(ctx context.Context, items []store.Item) error {
	var cves []string
	for _, it := range items {
		if it.State == store.Accepted {
			cves = append(cves, it.CVEs...)
		}
	}
	if len(cves) == 0 && !slices.ContainsFunc(items, func(it store.Item) bool { return it.State == store.Accepted }) {
		return nil
	}
	kev, err := c.kevSet(ctx, cves)
	if err != nil {
		return err
	}
	w := c.weights()
	for i := range items {
		if items[i].State != store.Accepted {
			continue
		}
		items[i].StoryID = -1 // a story of its own, for grouping here only
		s := selection.Group(items[i:i+1], c.feedWeight)[0]
		selection.Rate(s, w, selection.Signals{FeedWeight: c.feedWeight, KEV: kev}, items[i].Published)
		items[i].Score, items[i].StoryID = s.Score.Total, 0
	}
	return nil
}

func storedElsewhere(it store.Item, elsewhere map[string]string) string {
	for _, r := range it.Refs {
		if name := elsewhere[r]; name != "" && strings.HasPrefix(r, "url:") {
			return name
		}
	}
	return ""
}

// urlRefs returns the URL refs of items: on a first poll, a link another
// feed stored means a renamed or duplicated feed, not news.
func urlRefs(items []store.Item) []string {
	var out []string
	for _, it := range items {
		for _, r := range it.Refs {
			if strings.HasPrefix(r, "url:") {
				out = append(out, r)
			}
		}
	}
	return out
}

func toStoreItem(p feeds.Item, now time.Time) store.Item {
	it := store.Item{
		Key: p.Key, Title: p.Title, Link: p.Link, Summary: p.Summary,
		Published: p.Published, FirstSeen: now, Identifier: p.Identifier, CVEs: p.CVEs,
	}
	if it.Published.IsZero() {
		it.Published = now // the feed gave no usable date: first seen is the best we know
	}
	if p.CVSS != nil {
		it.CVSSScore, it.CVSSSeverity, it.CVSSVector = p.CVSS.Score, p.CVSS.Severity, p.CVSS.Vector
	}
	return it
}

// newestFirst returns item indices ordered by published time, newest
// first; feeds do not all list newest first.
func newestFirst(items []store.Item) []int {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return items[idx[a]].Published.After(items[idx[b]].Published) })
	return idx
}

func formatAge(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

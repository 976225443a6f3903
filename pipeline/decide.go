package pipeline

import (
	"fmt"
	"sort"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/store"
)

// decide turns parsed items into store items with a state and a reason.
// On a feed's first poll only the newest BackfillCount items are
// considered for posting; the rest are recorded as seen, so that adding a
// feed does not flood followers with its archive. elsewhere maps links
// another feed already stored to that feed's name: a renamed feed must not
// backfill what it posted under its old name.
func (c *Cycle) decide(fc *config.Feed, st store.Feed, parsed []feeds.Item, elsewhere map[string]string, now time.Time) []store.Item {
	items := make([]store.Item, len(parsed))
	for i, p := range parsed {
		items[i] = toStoreItem(p, now)
	}
	backfill := map[int]bool{}
	if !st.Seeded {
		for _, i := range newestFirst(items) {
			if len(backfill) == fc.BackfillCount {
				break
			}
			if _, dup := elsewhere[items[i].Link]; !dup {
				backfill[i] = true
			}
		}
	}
	f := filterFor(c.Config, fc)
	for i := range items {
		it := &items[i]
		switch {
		case !st.Seeded && elsewhere[it.Link] != "":
			it.State, it.Reason = store.Seen, fmt.Sprintf("already stored from feed %q", elsewhere[it.Link])
		case !st.Seeded && !backfill[i]:
			it.State, it.Reason = store.Seen, fmt.Sprintf("already listed when the feed was first polled (backfill %d)", fc.BackfillCount)
		case fc.MaxAgeDuration > 0 && it.Published.Before(now.Add(-fc.MaxAgeDuration)):
			it.State, it.Reason = store.Seen, fmt.Sprintf("older than max_age %s", formatAge(fc.MaxAgeDuration))
		default:
			d := f.Decide(append([]string{it.Title, it.Summary}, parsed[i].Categories...)...)
			it.State, it.Reason = store.Rejected, d.Reason
			if d.Accepted {
				it.State = store.Accepted
			}
		}
	}
	return items
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

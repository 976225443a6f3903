package pipeline

import (
	"cmp"
	"context"
	"slices"

	"github.com/itsecbot/itsecbot/selection"
)

// Curated returns the limit stories published last that the filter
// accepted, newest first: each grouped from its accepted items across
// feeds and rated as selection sees it now (sources, best link, CVEs, KEV,
// score). It changes nothing; the readers' feed is built from it.
func (c *Cycle) Curated(ctx context.Context, limit int) ([]*selection.Story, error) {
	items, err := c.Store.AcceptedStories(ctx, limit)
	if err != nil {
		return nil, err
	}
	stories := selection.Group(items, c.feedWeight)
	var cves []string
	for _, s := range stories {
		cves = append(cves, s.CVEs...)
	}
	kev, err := c.kevSet(ctx, cves)
	if err != nil {
		return nil, err
	}
	now := c.Now()
	for _, s := range stories {
		selection.Rate(s, c.weights(), selection.Signals{FeedWeight: c.feedWeight, KEV: kev}, now)
	}
	slices.SortStableFunc(stories, func(a, b *selection.Story) int {
		if t := b.Published().Compare(a.Published()); t != 0 {
			return t
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return stories, nil
}

package pipeline

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/itsecbot/itsecbot/selection"
	"github.com/itsecbot/itsecbot/store"
)

// weights are the configured ranking weights.
func (c *Cycle) weights() selection.Weights {
	r := c.Config.Rank
	return selection.Weights{Critical: r.Critical, High: r.High, Medium: r.Medium, Exploited: r.Exploited,
		KEV: r.KEV, PerSource: r.PerSource, PerDay: r.PerDay, Urgent: r.Urgent}
}

// feedWeight is a feed's configured weight; 0 for feeds no longer in the
// config.
func (c *Cycle) feedWeight(name string) float64 {
	for _, f := range c.Config.Feeds {
		if f.Name == name {
			return f.Weight
		}
	}
	return 0
}

func (c *Cycle) kevSet(ctx context.Context, cves []string) (map[string]bool, error) {
	entries, err := c.Store.KEV(ctx, cves)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(entries))
	for cve := range entries {
		set[cve] = true
	}
	return set, nil
}

// oldestWanted is the earliest publication time any feed's max_age still
// allows; zero when some feed has no max_age.
func (c *Cycle) oldestWanted(now time.Time) time.Time {
	longest := c.Config.MaxAgeDuration
	for _, f := range c.Config.Feeds {
		if f.MaxAgeDuration == 0 || longest == 0 {
			return time.Time{}
		}
		longest = max(longest, f.MaxAgeDuration)
	}
	if longest == 0 {
		return time.Time{}
	}
	return now.Add(-longest)
}

// selected is one poster's choice of stories for this cycle.
type selected struct {
	urgent  []*selection.Story // at or above the urgent score: each goes out alone, at once
	digest  []*selection.Story // the rest chosen, best first
	alone   []*selection.Story // refused once by the platform: sent alone to tell which fails
	refused []refusedStory     // given up: refused even alone
	stale   []int64            // items past max_age
	joined  map[string][]int64 // reason -> items of stories the poster already carries
}

// selectStories is the one selection step: pending items, grouped into
// stories, scored, ranked, and capped with each feed held to its share.
// Stories below the cap stay pending, in their place.
func (d *delivery) selectStories(ctx context.Context) (selected, error) {
	sel := selected{joined: map[string][]int64{}}
	name := d.t.Poster.Name()
	limit := d.maxStories()
	cands, err := d.c.Store.Candidates(ctx, name, limit, d.c.oldestWanted(d.now))
	if err != nil {
		return sel, err
	}
	var ids []int64
	for _, it := range cands {
		ids = append(ids, it.StoryID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	carried, err := d.c.Store.StoriesCarried(ctx, name, ids)
	if err != nil {
		return sel, err
	}
	for _, it := range cands {
		if cr, ok := carried[it.StoryID]; ok {
			why := joinedReason(cr)
			sel.joined[why] = append(sel.joined[why], it.ID)
		}
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { _, ok := carried[id]; return ok })
	items, err := d.c.Store.StoryItems(ctx, ids)
	if err != nil {
		return sel, err
	}
	stories, err := d.stories(ctx, items, &sel)
	if err != nil {
		return sel, err
	}
	return sel, d.arrange(ctx, stories, &sel)
}

func joinedReason(cr store.Carried) string {
	switch {
	case cr.Skipped != "":
		return fmt.Sprintf("same story as item %d, which was not posted: %s", cr.ItemID, cr.Skipped)
	case cr.State == store.PostSent:
		return fmt.Sprintf("same story as item %d, already posted (post %d)", cr.ItemID, cr.PostID)
	default:
		return fmt.Sprintf("same story as item %d, already in post %d (%s)", cr.ItemID, cr.PostID, cr.State)
	}
}

// stories groups the accepted, fresh items of the stories and rates them.
func (d *delivery) stories(ctx context.Context, items []store.Item, sel *selected) ([]*selection.Story, error) {
	var fresh []store.Item
	var cves []string
	for _, it := range items {
		switch {
		case it.State != store.Accepted:
		case d.c.isStale(it, d.now):
			sel.stale = append(sel.stale, it.ID)
		default:
			fresh = append(fresh, it)
			cves = append(cves, it.CVEs...)
		}
	}
	stories := selection.Group(fresh, d.c.feedWeight)
	for _, s := range stories {
		cves = append(cves, s.CVEs...)
	}
	kev, err := d.c.kevSet(ctx, cves)
	if err != nil {
		return nil, err
	}
	for _, s := range stories {
		selection.Rate(s, d.c.weights(), selection.Signals{FeedWeight: d.c.feedWeight, KEV: kev}, d.now)
	}
	selection.Rank(stories)
	return stories, nil
}

// arrange splits the ranked stories into urgent ones, the digest within
// the cap, and those the platform refused before.
func (d *delivery) arrange(ctx context.Context, stories []*selection.Story, sel *selected) error {
	var all []int64
	for _, s := range stories {
		all = append(all, s.ItemIDs()...)
	}
	refusals, err := d.c.Store.Refusals(ctx, d.t.Poster.Name(), all)
	if err != nil {
		return err
	}
	var rest []*selection.Story
	urgent := d.c.weights().Urgent
	for _, s := range stories {
		r := worstRefusal(s, refusals)
		switch {
		case r.Count >= 2:
			sel.refused = append(sel.refused, refusedStory{story: s, why: r.Error})
		case r.Count == 1:
			sel.alone = append(sel.alone, s)
		case urgent > 0 && s.Score.Total >= urgent:
			sel.urgent = append(sel.urgent, s)
		default:
			rest = append(rest, s)
		}
	}
	sel.digest, _ = selection.Pick(rest, d.maxStories()-len(sel.urgent)-len(sel.alone))
	return nil
}

type refusedStory struct {
	story *selection.Story
	why   string
}

func worstRefusal(s *selection.Story, refusals map[int64]store.Refusal) store.Refusal {
	var worst store.Refusal
	for _, it := range s.Items {
		if r := refusals[it.ID]; r.Count > worst.Count {
			worst = r
		}
	}
	return worst
}

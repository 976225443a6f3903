package pipeline

import (
	"context"
	"slices"

	"github.com/itsecbot/itsecbot/selection"
	"github.com/itsecbot/itsecbot/store"
)

// Explanation is what the bot knows and decided about one story.
type Explanation struct {
	// Story is the story as selection sees it now: its accepted items,
	// best link, sources, and score with its parts. Nil when no item of
	// it was accepted.
	Story *selection.Story
	// Items are every item of the story, whatever the filter decided.
	Items      []store.Item
	Deliveries []store.Delivery
	Urgent     float64 // the urgent threshold
}

// Explain finds the stories of the items query names (a key, a link, a CVE
// or JVN id) and explains each: which rules matched, its score and parts,
// its sources and its delivery per poster. It changes nothing.
func (c *Cycle) Explain(ctx context.Context, query string) ([]Explanation, error) {
	found, err := c.Store.Find(ctx, query)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, it := range found {
		ids = append(ids, it.StoryID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	items, err := c.Store.StoryItems(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []Explanation
	for _, id := range ids {
		e := Explanation{Urgent: c.weights().Urgent}
		var accepted []store.Item
		var cves []string
		for _, it := range items {
			if it.StoryID == id {
				e.Items = append(e.Items, it)
				cves = append(cves, it.CVEs...)
				if it.State == store.Accepted {
					accepted = append(accepted, it)
				}
			}
		}
		if len(accepted) > 0 {
			e.Story = selection.Group(accepted, c.feedWeight)[0]
			kev, err := c.kevSet(ctx, append(cves, e.Story.CVEs...))
			if err != nil {
				return nil, err
			}
			selection.Rate(e.Story, c.weights(), selection.Signals{FeedWeight: c.feedWeight, KEV: kev}, c.Now())
		}
		itemIDs := make([]int64, len(e.Items))
		for i, it := range e.Items {
			itemIDs[i] = it.ID
		}
		if e.Deliveries, err = c.Store.Deliveries(ctx, itemIDs); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

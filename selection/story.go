// Package selection chooses what the bot posts: it groups items of
// different feeds into stories, scores each story (source, severity,
// exploitation, CISA's KEV catalog, recency), and picks the best within a
// cap while no feed takes more than its share. It is pure: the caller
// loads items and signals and passes the time.
package selection

import (
	"slices"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/store"
)

// Story is one piece of news, told by one or more items of different
// feeds.
type Story struct {
	ID    int64        // the story's id: its first item's
	Items []store.Item // accepted items telling it, oldest first
	// Best is the item whose link and title the post shows: the one from
	// the most trusted source (highest feed weight), the earliest on ties.
	Best    store.Item
	Sources []string // feed names, Best's first
	CVEs    []string // every CVE the items name
	KEV     []string // those of CVEs in CISA's KEV catalog
	Score   Score
}

// Published is when the story was first published.
func (s *Story) Published() time.Time {
	t := s.Best.Published
	for _, it := range s.Items {
		if it.Published.Before(t) {
			t = it.Published
		}
	}
	return t
}

// Feed is the feed the story counts against for fairness: Best's.
func (s *Story) Feed() string { return s.Best.Feed }

// ItemIDs returns the IDs of the story's items.
func (s *Story) ItemIDs() []int64 {
	ids := make([]int64, len(s.Items))
	for i, it := range s.Items {
		ids[i] = it.ID
	}
	return ids
}

// Group gathers items into stories by StoryID, in order of first item.
// weight ranks feeds for the choice of the best item.
func Group(items []store.Item, weight func(feed string) float64) []*Story {
	byID := map[int64]*Story{}
	var out []*Story
	for _, it := range items {
		id := it.StoryID
		if id == 0 {
			id = it.ID
		}
		s, ok := byID[id]
		if !ok {
			s = &Story{ID: id}
			byID[id] = s
			out = append(out, s)
		}
		s.Items = append(s.Items, it)
	}
	for _, s := range out {
		s.finish(weight)
	}
	return out
}

func (s *Story) finish(weight func(string) float64) {
	slices.SortStableFunc(s.Items, func(a, b store.Item) int { return int(a.ID - b.ID) })
	s.Best = s.Items[0]
	for _, it := range s.Items[1:] {
		if weight(it.Feed) > weight(s.Best.Feed) {
			s.Best = it
		}
	}
	// Sources: the best first, then by weight, then by who told it first.
	byTime := slices.Clone(s.Items)
	slices.SortStableFunc(byTime, func(a, b store.Item) int { return a.Published.Compare(b.Published) })
	slices.SortStableFunc(byTime, func(a, b store.Item) int {
		wa, wb := weight(a.Feed), weight(b.Feed)
		switch {
		case a.ID == s.Best.ID:
			return -1
		case b.ID == s.Best.ID:
			return 1
		case wa > wb:
			return -1
		case wa < wb:
			return 1
		}
		return 0
	})
	s.Sources = nil
	var cves []string
	for _, it := range byTime {
		if !slices.Contains(s.Sources, it.Feed) {
			s.Sources = append(s.Sources, it.Feed)
		}
		cves = append(cves, it.CVEs...)
	}
	slices.Sort(cves)
	s.CVEs = slices.Compact(cves)
}

// SourceLine joins the sources as posts show them: "JVN / JPCERT/CC".
func (s *Story) SourceLine() string { return strings.Join(s.Sources, " / ") }

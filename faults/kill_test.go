package faults

import (
	"slices"
	"testing"
)

// killCase is one way for a run to die in the middle of a cycle.
type killCase struct {
	name  string
	point string // the crash point; "" when a fake kills the run
	first string // the poster in flight at a delivery point: first in the config
	fresh bool   // die in the first run, on a new database
	// setup prepares the deadly run: new feed entries, a platform fault.
	setup   func(t *testing.T, w *world)
	bounded bool // in the default subset
	slow    bool // the next runs wait out the delay before resending a post whose outcome is unknown
}

func killCases() []killCase {
	refuse := func(t *testing.T, w *world) { w.plat.inject(w.order[0], fault{refuse: true}) }
	return []killCase{
		{name: "migration 1", point: "store.migrate.1", fresh: true},
		{name: "migration 2", point: "store.migrate.2", fresh: true},
		{name: "migration 3 filling refs", point: "store.migrate.3", fresh: true, bounded: true},
		{name: "during a fetch", setup: func(t *testing.T, w *world) {
			w.feeds.setOnFetch(func(feed string) {
				if feed == "B" {
					w.kill()
				}
			})
		}, bounded: true},
		{name: "feed parsed, nothing stored", point: "poll.parsed"},
		{name: "items inserted, refs not", point: "store.add-items.inserted", bounded: true},
		{name: "items joined to stories, not committed", point: "store.add-items.joined"},
		{name: "items stored, poll not recorded", point: "poll.stored"},
		{name: "KEV catalog replaced, not committed", point: "store.kev", setup: func(t *testing.T, w *world) { w.feeds.bumpKEV() }, bounded: true},
		{name: "outbox enqueue", point: "store.enqueue", bounded: true},
		{name: "before the first post", point: "send.seq-0"},
		{name: "send begun, nothing sent, x", point: "send.begun", first: xPoster, bounded: true},
		{name: "send begun, nothing sent, webhook", point: "send.begun", first: webhookPoster},
		{name: "send begun, nothing sent, misskey", point: "send.begun", first: misskeyPoster, slow: true},
		{name: "posted, not recorded, mastodon", point: "send.posted", bounded: true},
		{name: "posted, not recorded, misskey", point: "send.posted", first: misskeyPoster},
		{name: "posted, not recorded, x", point: "send.posted", first: xPoster},
		{name: "posted, not recorded, webhook", point: "send.posted", first: webhookPoster},
		{name: "in the middle of a thread, mastodon", point: "send.seq-1", bounded: true},
		{name: "in the middle of a thread, x", point: "send.seq-1", first: xPoster},
		{name: "not delivered, not recorded, x", point: "send.not-delivered", first: xPoster,
			setup: func(t *testing.T, w *world) { w.plat.inject(xPoster, fault{status: 503}) }},
		{name: "outcome unknown, not recorded", point: "send.unknown",
			setup: func(t *testing.T, w *world) { w.plat.inject(mastodonPoster, fault{status: 502, publish: true}) }},
		{name: "found by read-back, not recorded", point: "reconcile.found", setup: func(t *testing.T, w *world) {
			w.plat.inject(mastodonPoster, fault{status: 502, publish: true})
			w.once(t, "-force")
		}, bounded: true},
		{name: "refusal counted, not committed, x", point: "store.refusals", first: xPoster, setup: refuse},
		{name: "thread given back, not committed, x", point: "store.replace", first: xPoster, setup: refuse, bounded: true},
		{name: "thread given back, not committed, mastodon", point: "store.replace", setup: refuse, slow: true},
		{name: "joined story skipped, not committed", point: "store.skip", setup: func(t *testing.T, w *world) {
			w.feeds.addLink("B", "別の報告: A-0 と同じ脆弱性", "https://news.example/A/0.html")
		}},
		{name: "prune", point: "store.prune"},
		{name: "platform holds the post, mastodon", setup: func(t *testing.T, w *world) {
			w.plat.inject(mastodonPoster, fault{publish: true, hang: w.kill})
		}},
		{name: "platform holds the post, misskey", first: misskeyPoster, setup: func(t *testing.T, w *world) {
			w.plat.inject(misskeyPoster, fault{publish: true, hang: w.kill})
		}},
		{name: "platform has not stored the post, mastodon", slow: true, setup: func(t *testing.T, w *world) {
			w.plat.inject(mastodonPoster, fault{hang: w.kill})
		}},
	}
}

// TestKilledRunsLoseAndDoubleNothing kills a run at each point and checks
// that the next runs deliver every accepted story to each of four posters
// exactly once, threads whole, and that the database is sound.
func TestKilledRunsLoseAndDoubleNothing(t *testing.T) {
	t.Parallel()
	binary(t)
	for _, tc := range killCases() {
		if !*full && !tc.bounded {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			order := append([]string(nil), allPosters...)
			if tc.first != "" {
				order = append([]string{tc.first}, without(allPosters, tc.first)...)
			}
			w := newWorld(t, order)
			if !tc.fresh {
				w.settle(t, settleLimit)
				w.feeds.add(2, storyFeeds...)
			}
			if tc.setup != nil {
				tc.setup(t, w)
			}
			w.crash(t, tc.point)
			w.feeds.setOnFetch(nil)
			limit := settleLimit
			if tc.slow {
				limit = 2 * settleLimit
			}
			w.settle(t, limit)
			w.checkSound(t, 9)
		})
	}
}

// without returns xs without the elements of drop.
func without(xs []string, drop ...string) []string {
	var out []string
	for _, v := range xs {
		if !slices.Contains(drop, v) {
			out = append(out, v)
		}
	}
	return out
}

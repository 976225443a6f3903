package faults

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/store"
)

// pairs of posters whose platforms fail together, while the other two
// carry on: one read back and one that is not, each time.
var pairs = [][]string{{mastodonPoster, xPoster}, {misskeyPoster, webhookPoster}}

// platformFault is a platform misbehaving for a while.
type platformFault struct {
	name  string
	start func(w *world, poster string)
	stop  func(w *world, poster string) // nil: the fault is used up by the posts it hits
	slow  bool                          // a read-back poster waits before it may resend
	// bounded is the pair of pairs it runs with by default; -full runs both.
	bounded int
}

func platformFaults() []platformFault {
	burst := func(publish bool) func(w *world, name string) {
		return func(w *world, name string) {
			for range 2 {
				w.plat.inject(name, fault{status: 500, publish: publish})
			}
		}
	}
	return []platformFault{
		{name: "500 burst after storing", start: burst(true), bounded: 0},
		{name: "500 burst before storing", start: burst(false), slow: true, bounded: -1},
		{name: "connection reset after storing", start: func(w *world, name string) {
			w.plat.inject(name, fault{drop: true, publish: true})
		}, bounded: 0},
		{name: "invalid JSON after storing", start: func(w *world, name string) {
			w.plat.proxy[name].garbleNext(2)
		}, bounded: 1},
		{name: "revoked token", start: func(w *world, name string) { w.plat.revoke(name, true) },
			stop: func(w *world, name string) { w.plat.revoke(name, false) }, bounded: 1},
	}
}

// TestPlatformFaultsLoseAndDoubleNothing makes two platforms fail at once
// while new stories come: the other posters deliver everything in the
// same run, and once the fault ends every story is on every platform
// exactly once.
func TestPlatformFaultsLoseAndDoubleNothing(t *testing.T) {
	t.Parallel()
	binary(t)
	for _, pf := range platformFaults() {
		for i, pair := range pairs {
			if !*full && pf.bounded != i {
				continue
			}
			t.Run(fmt.Sprintf("%s/%s", pf.name, strings.Join(pair, "+")), func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, allPosters)
				w.settle(t, settleLimit)
				w.feeds.add(2, storyFeeds...)
				for _, name := range pair {
					pf.start(w, name)
				}
				p := w.once(t, "-force")
				w.checkOthersCarryOn(t, pair)
				if pf.stop != nil {
					for _, name := range pair {
						if !strings.Contains(p.stderr, "level=ERROR") || !strings.Contains(p.stderr, "poster="+name) {
							t.Errorf("no ERROR naming poster %s:\n%s", name, p.stderr)
						}
					}
					w.once(t) // the fault lasts
					w.checkOthersCarryOn(t, pair)
					for _, name := range pair {
						pf.stop(w, name)
					}
				}
				limit := settleLimit
				if pf.slow {
					limit = 2 * settleLimit
				}
				w.settle(t, limit)
				w.checkSound(t, 15)
			})
		}
	}
}

// TestRateLimitStorm answers 429 with each platform's reset header, twice
// in a row (three times with -full): the limited posters try nothing before the reset, the
// others carry on, and everything is delivered once.
func TestRateLimitStorm(t *testing.T) {
	t.Parallel()
	binary(t)
	for i, pair := range pairs {
		if !*full && i > 0 {
			continue
		}
		t.Run(strings.Join(pair, "+"), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, allPosters)
			w.settle(t, settleLimit)
			w.feeds.add(2, storyFeeds...)
			// The reset leaves time for two runs on a loaded machine.
			const reset = 4 * time.Second
			rounds := 2
			if *full {
				rounds = 3
			}
			for round := range rounds {
				before := map[string]int{}
				var first, last time.Time
				for _, name := range pair {
					before[name] = w.plat.attempts(name)
					f, at := rateLimit(name, reset)
					w.plat.inject(name, f)
					if first.IsZero() || at.Before(first) {
						first = at
					}
					if at.After(last) {
						last = at
					}
				}
				args := []string{}
				if round == 0 {
					args = append(args, "-force")
				}
				w.once(t, args...)
				w.once(t, args...) // before the reset
				if time.Now().After(first) {
					t.Fatalf("round %d: the runs took longer than the %v until the reset", round, reset)
				}
				for _, name := range pair {
					if got := w.plat.attempts(name) - before[name]; got != 1 {
						t.Errorf("round %d: %s got %d posts before its reset, want the one refused", round, name, got)
					}
				}
				w.checkOthersCarryOn(t, pair)
				time.Sleep(time.Until(last) + 200*time.Millisecond)
			}
			w.settle(t, settleLimit)
			w.checkSound(t, 15)
		})
	}
}

// checkOthersCarryOn checks that the posters not in failing hold every
// accepted story once.
func (w *world) checkOthersCarryOn(t *testing.T, failing []string) {
	t.Helper()
	links := w.acceptedLinks(t)
	for _, name := range without(w.order, failing...) {
		if missing := w.countOnce(t, name, links); missing > 0 {
			t.Errorf("%s: %d stories missing while %v failed", name, missing, failing)
		}
	}
}

// acceptedLinks returns the links of the stored accepted stories.
func (w *world) acceptedLinks(t *testing.T) map[string]bool {
	t.Helper()
	st := w.open(t)
	defer st.Close()
	items, err := st.Items(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	links := map[string]bool{}
	for _, it := range items {
		if it.State == store.Accepted {
			links[it.Link] = true
		}
	}
	return links
}

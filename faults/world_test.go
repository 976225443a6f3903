package faults

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/store"
)

// settleLimit bounds how long the runs after a fault may take to deliver
// everything. A post whose outcome is unknown waits the poster's timeout
// (5s) and 30s more before it may be sent again, should it not be found on
// the platform: a timeout on a loaded machine costs that much.
const settleLimit = time.Minute

// storyFeeds are the fake feeds of a world, besides the KEV catalog.
var storyFeeds = []string{"A", "B", "C"}

// world is one bot with its own folder, config, feeds and platforms.
type world struct {
	dir, cfg string
	feeds    *feedServer
	plat     *platforms
	order    []string // the posters, in config order
	runner
}

// newWorld starts the fakes and writes a config that posts everything the
// three feeds list to the posters, in order, in digests of up to 6 stories
// (threads on every platform but the webhook).
func newWorld(t *testing.T, order []string) *world {
	t.Helper()
	return newWorldIn(t, t.TempDir(), order, 6)
}

// newWorldIn is newWorld in the folder dir, with maxStories per digest.
func newWorldIn(t *testing.T, dir string, order []string, maxStories int) *world {
	t.Helper()
	w := &world{dir: dir, feeds: newFeedServer(t, storyFeeds...), plat: newPlatforms(t), order: order}
	w.env = w.plat.env()
	w.cfg = filepath.Join(w.dir, "config.yaml")
	var b strings.Builder
	fmt.Fprintf(&b, "database: bot.db\nmax_age: \"0\"\nbackfill: 100\nlog: {level: debug}\ndigest: {max_stories: %d}\n", maxStories)
	b.WriteString("fetch: {timeout: 5s}\nfeeds:\n")
	for _, name := range storyFeeds {
		fmt.Fprintf(&b, "  - {name: %s, url: %s}\n", name, w.feeds.url(name))
	}
	fmt.Fprintf(&b, "  - {name: KEV, url: %s, kind: kev}\n", w.feeds.url("kev"))
	b.WriteString(w.plat.yaml(order))
	if err := os.WriteFile(w.cfg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	w.feeds.add(3, storyFeeds...)
	return w
}

func (w *world) db() string { return filepath.Join(w.dir, "bot.db") }

// once runs a cycle that must succeed.
func (w *world) once(t *testing.T, args ...string) proc {
	t.Helper()
	p := w.run(t, "", append([]string{"once", "-config", w.cfg}, args...)...)
	if p.err != nil {
		t.Fatalf("once %v: %v\n%s", args, p.err, p.stderr)
	}
	return p
}

// crash runs a forced cycle that must die at the crash point (or be
// killed by a fake when point is "").
func (w *world) crash(t *testing.T, point string) {
	t.Helper()
	p := w.run(t, point, "once", "-force", "-config", w.cfg)
	if !p.killed {
		t.Fatalf("the run was not killed at %q: %v\n%s", point, p.err, p.stderr)
	}
}

// settle runs cycles until every accepted story is on every platform and
// nothing waits in the outbox, sleeping while posts wait for a time (a
// rate limit's reset, or the delay before a post whose outcome is unknown
// may be resent). It fails at the first story posted twice.
func (w *world) settle(t *testing.T, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for runs := 1; ; runs++ {
		p := w.once(t)
		missing, next := w.progress(t)
		if t.Failed() {
			t.FailNow()
		}
		if missing == 0 && next.IsZero() {
			return
		}
		if time.Now().After(deadline) || runs > 40 {
			t.Fatalf("after %d runs, %d stories are missing on a platform; next attempt %v; the last run:\n%s", runs, missing, next, p.stderr)
		}
		if wait := time.Until(next); wait > 0 {
			time.Sleep(min(wait+100*time.Millisecond, time.Until(deadline)))
		}
	}
}

// progress counts the (story, poster) pairs not yet delivered, fails the
// test for any delivered twice, and returns the time at which the
// earliest pending post may be sent (the zero time when none is pending).
func (w *world) progress(t *testing.T) (missing int, next time.Time) {
	t.Helper()
	st := w.open(t)
	defer st.Close()
	ctx := context.Background()
	items, err := st.Items(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	outbox, err := st.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A poster's queue goes out in order: its first pending post says when
	// it can go on.
	head := map[string]bool{}
	for _, p := range outbox {
		if p.State == store.PostFailed {
			t.Errorf("post %d to %s was given up: %s", p.ID, p.Poster, p.Error)
			continue
		}
		if head[p.Poster] {
			continue
		}
		head[p.Poster] = true
		at := p.NextAttempt
		if now := time.Now(); at.Before(now) {
			at = now
		}
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	links := map[string]bool{}
	for _, it := range items {
		if it.State == store.Accepted {
			links[it.Link] = true
		}
	}
	for _, name := range w.order {
		missing += w.countOnce(t, name, links)
	}
	return missing, next
}

// countOnce checks that no link is on the poster's platform more than
// once and no reply answers a post that is not before it, and returns
// how many links are not there yet.
func (w *world) countOnce(t *testing.T, name string, links map[string]bool) (missing int) {
	t.Helper()
	posts := w.plat.posts(name)
	seen := map[string]bool{}
	for _, p := range posts {
		if p.replyTo != "" && !seen[p.replyTo] {
			t.Errorf("%s: post %s answers %s, which is not before it", name, p.id, p.replyTo)
		}
		seen[p.id] = true
	}
	for link := range links {
		n := 0
		for _, p := range posts {
			n += strings.Count(p.text, link)
		}
		switch {
		case n == 0:
			missing++
		case n > 1:
			t.Errorf("%s: %s is posted %d times", name, link, n)
		}
	}
	return missing
}

// open opens the world's database from the test.
func (w *world) open(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), w.db())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// checkSound checks the database with SQLite's integrity and foreign key
// checks, and that it holds at least want accepted stories.
func (w *world) checkSound(t *testing.T, want int) {
	t.Helper()
	st := w.open(t)
	defer st.Close()
	problems, err := st.IntegrityCheck(context.Background())
	if err != nil || len(problems) > 0 {
		t.Errorf("integrity check: %v %q", err, problems)
	}
	items, err := st.Items(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range items {
		if it.State == store.Accepted {
			n++
		}
	}
	if n < want {
		t.Errorf("%d accepted stories stored, want at least %d", n, want)
	}
}

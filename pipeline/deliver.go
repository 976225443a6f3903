package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/digest"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/selection"
	"github.com/itsecbot/itsecbot/store"
	"github.com/itsecbot/itsecbot/textlen"
)

// maxRounds bounds how often one cycle composes again after refusals, so
// that a platform refusing everything cannot hold the cycle.
const maxRounds = 5

// delivery is one poster's turn in a cycle.
type delivery struct {
	c   *Cycle
	t   Target
	log *slog.Logger
	now time.Time
	rep *Report

	rule       textlen.Rule // nil while the platform's limits are unknown
	spec, base textlen.Spec // the rule in use, and the one the platform states
	ruleErr    error

	sentToday int // for max_posts_per_day
}

// deliver sends what the poster already has queued, then composes its
// pending items into the outbox and sends those. A refused post gives its
// stories back, and they are composed again (under a stricter rule when
// the refusal taught one) in the same cycle, a bounded number of times.
// New posts wait while the queue holds posts that could not go out: the
// items stay pending meanwhile, so max_age and max_stories still apply to
// them when the poster works again, instead of a burst of stale posts. A
// dry target only prints.
func (c *Cycle) deliver(ctx context.Context, t Target, now time.Time, rep *Report) error {
	d := &delivery{c: c, t: t, log: c.Logger.With("poster", t.Poster.Name()), now: now, rep: rep}
	var err error
	d.rule, d.spec, d.base, err = c.ruleOf(ctx, t.Poster, d.log, true)
	if err != nil && !errors.Is(err, errLimitsUnknown) {
		return err
	}
	d.ruleErr = err
	if t.DryRun {
		return d.printOnly(ctx)
	}
	if t.Common.MaxPostsPerDay > 0 {
		if d.sentToday, err = c.Store.SentSince(ctx, t.Poster.Name(), startOfDay(now, c.Config.Location)); err != nil {
			return err
		}
	}
	for round := 0; ; round++ {
		out, err := d.sendQueue(ctx)
		if err != nil || out.blocked {
			return err
		}
		if round > 0 && !out.refused {
			return nil
		}
		if round == maxRounds {
			d.log.Warn("the platform kept refusing posts; the rest waits for the next cycle", "rounds", round)
			return nil
		}
		// Between digest times only urgent stories are composed; the rest
		// wait for the next digest.
		if n, err := d.composeNew(ctx, t.Hold); err != nil || n == 0 {
			return err
		}
	}
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, day := t.In(loc).Date()
	return time.Date(y, m, day, 0, 0, 0, 0, loc)
}

// quota is how many more posts may go out today; -1 means no cap.
func (d *delivery) quota() int {
	if d.t.Common.MaxPostsPerDay <= 0 {
		return -1
	}
	return max(d.t.Common.MaxPostsPerDay-d.sentToday, 0)
}

// composeNew selects the poster's stories, composes them into the outbox
// and returns how many posts it queued. With urgentOnly, only the stories
// scoring at least rank.urgent are composed, each alone.
func (d *delivery) composeNew(ctx context.Context, urgentOnly bool) (int, error) {
	name := d.t.Poster.Name()
	if d.rule == nil {
		d.log.Warn("composing waits until the platform's limits are known", "error", d.ruleErr.Error())
		return 0, nil
	}
	if d.quota() == 0 {
		d.log.Info("daily post cap reached; stories wait until tomorrow", "max_posts_per_day", d.t.Common.MaxPostsPerDay)
		return 0, nil
	}
	if err := d.expire(ctx); err != nil {
		return 0, err
	}
	sel, err := d.selectStories(ctx)
	if err != nil {
		return 0, err
	}
	if urgentOnly {
		sel = selected{urgent: sel.urgent, joined: sel.joined}
	}
	plan := d.plan(sel)
	if err := d.skipAll(ctx, sel, plan); err != nil {
		return 0, err
	}
	if len(plan.threads) == 0 {
		return 0, nil
	}
	nt := toNewThreads(name, plan.threads, plan.items, d.now)
	if err := d.c.Store.Enqueue(ctx, name, nt, d.now); err != nil {
		return 0, err
	}
	n := 0
	for _, th := range nt {
		n += len(th.Posts)
	}
	d.log.Info("digest composed", "stories", len(plan.items), "posts", n, "urgent", len(sel.urgent),
		"rule", d.spec.String())
	return n, nil
}

// expire gives up the poster's pending items that passed their feed's
// max_age while they waited (a poster that was down, a long backlog), so
// that a poster that comes back posts nothing stale; `items` says why.
func (d *delivery) expire(ctx context.Context) error {
	cutoffs := map[string]time.Time{}
	for _, f := range d.c.Config.Feeds {
		if f.MaxAgeDuration > 0 {
			cutoffs[f.Name] = d.now.Add(-f.MaxAgeDuration)
		}
	}
	n, err := d.c.Store.Expire(ctx, d.t.Poster.Name(), cutoffs, "older than the feed's max_age when it was to be posted")
	if n > 0 {
		d.log.Info("stories passed max_age while waiting; not posted", "items", n)
	}
	return err
}

// skipAll records what the poster will not post, and why.
func (d *delivery) skipAll(ctx context.Context, sel selected, plan composition) error {
	name := d.t.Poster.Name()
	if err := d.c.Store.Skip(ctx, name, sel.stale, "older than the feed's max_age when it was to be posted"); err != nil {
		return err
	}
	for why, ids := range sel.joined {
		if err := d.c.Store.Skip(ctx, name, ids, why); err != nil {
			return err
		}
	}
	for _, u := range plan.unfit {
		if err := d.c.Store.Skip(ctx, name, u.items, "does not fit a post on "+d.rule.Platform()+" even shortened"); err != nil {
			return err
		}
	}
	for _, r := range plan.refused {
		if err := d.c.Store.Skip(ctx, name, r.items, "refused by the platform even alone: "+r.why); err != nil {
			return err
		}
	}
	return nil
}

func (d *delivery) maxStories() int {
	if d.t.Common.MaxStories > 0 {
		return d.t.Common.MaxStories
	}
	return d.c.Config.Digest.MaxStories
}

// composition is what composeNew will queue and skip.
type composition struct {
	threads []digest.Thread
	items   map[int64][]int64 // story -> its items, for the outbox
	unfit   []skipped
	refused []skipped
}

type skipped struct {
	items []int64
	why   string
}

// plan composes the selection: urgent stories and stories the platform
// refused once go alone (a refusal then names its story), the rest as one
// digest in the poster's layout.
func (d *delivery) plan(sel selected) composition {
	out := composition{items: map[int64][]int64{}}
	byID := map[int64]*selection.Story{}
	for _, group := range [][]*selection.Story{sel.urgent, sel.alone, sel.digest} {
		for _, s := range group {
			byID[s.ID] = s
			out.items[s.ID] = s.ItemIDs()
		}
	}
	add := func(threads []digest.Thread, unfit []*digest.StoryError) {
		out.threads = append(out.threads, threads...)
		for _, u := range unfit {
			out.unfit = append(out.unfit, skipped{items: byID[u.ID].ItemIDs(), why: u.Error()})
		}
	}
	for _, s := range append(slices.Clone(sel.urgent), sel.alone...) {
		add(d.composeWithin([]*selection.Story{s}, digest.Each))
	}
	digestStories := sel.digest
	if d.layout() == digest.Each {
		// One post per story: keep the best within today's cap, then send
		// the best last, so that it is on top of the timeline.
		if q := d.quota(); q >= 0 {
			digestStories = digestStories[:min(len(digestStories), max(q-len(out.threads), 0))]
		}
		digestStories = slices.Clone(digestStories)
		slices.Reverse(digestStories)
	}
	add(d.composeWithin(digestStories, d.layout()))
	if q := d.quota(); q >= 0 {
		out.threads = capThreads(out.threads, q)
	}
	for _, r := range sel.refused {
		out.refused = append(out.refused, skipped{items: r.story.ItemIDs(), why: r.why})
	}
	return out
}

func (d *delivery) layout() digest.Layout {
	if d.t.Common.Layout != "" {
		return digest.Layout(d.t.Common.Layout)
	}
	return digest.Layout(d.c.Config.Digest.Layout)
}

// composeWithin composes stories; with a daily cap, a digest keeps the
// most stories (best first) whose thread fits in the posts left today, so
// a thread is never cut across days. The stories left out stay pending.
func (d *delivery) composeWithin(stories []*selection.Story, layout digest.Layout) ([]digest.Thread, []*digest.StoryError) {
	threads, unfit, err := d.compose(stories, layout)
	q := d.quota()
	if err == nil && (q < 0 || layout == digest.Each || len(threads) == 0 || len(threads[0].Posts) <= q) {
		return threads, unfit
	}
	if err != nil {
		d.log.Error("compose failed; the stories stay pending", "error", err.Error(), "stories", len(stories))
		return nil, unfit
	}
	// The longest prefix whose thread fits: a thread grows with its stories.
	lo, hi := 0, len(stories)-1 // prefix lengths: lo fits (or is empty), hi+1 does not
	var best []digest.Thread
	var bestUnfit []*digest.StoryError
	for lo < hi {
		mid := (lo + hi + 1) / 2
		th, un, err := d.compose(stories[:mid], layout)
		if err == nil && (len(th) == 0 || len(th[0].Posts) <= q) {
			lo, best, bestUnfit = mid, th, un
		} else {
			hi = mid - 1
		}
	}
	return best, bestUnfit
}

// capThreads keeps the first threads whose posts fit in quota.
func capThreads(threads []digest.Thread, quota int) []digest.Thread {
	n := 0
	for i, th := range threads {
		if n+len(th.Posts) > quota {
			return threads[:i]
		}
		n += len(th.Posts)
	}
	return threads
}

// splitStale separates items that have aged past their feed's max_age
// while waiting (a poster that was down, a long backlog) from the rest.
func (c *Cycle) splitStale(items []store.Item, now time.Time) (fresh []store.Item, stale []int64) {
	for _, it := range items {
		if c.isStale(it, now) {
			stale = append(stale, it.ID)
			continue
		}
		fresh = append(fresh, it)
	}
	return fresh, stale
}

// isStale reports whether the item is older than its feed's max_age; a
// feed no longer in the config (renamed, removed) uses the global one.
func (c *Cycle) isStale(it store.Item, now time.Time) bool {
	age := c.Config.MaxAgeDuration
	for _, f := range c.Config.Feeds {
		if f.Name == it.Feed {
			age = f.MaxAgeDuration
			break
		}
	}
	return age > 0 && it.Published.Before(now.Add(-age))
}

// compose turns stories into threads with the poster's layout and
// hashtags, setting aside those that cannot fit.
func (d *delivery) compose(stories []*selection.Story, layout digest.Layout) ([]digest.Thread, []*digest.StoryError, error) {
	if len(stories) == 0 {
		return nil, nil, nil
	}
	return d.c.compose(stories, d.rule, layout, d.hashtags(), d.now)
}

func (d *delivery) hashtags() []string {
	if d.t.Common.Hashtags != nil {
		return d.t.Common.Hashtags
	}
	return d.c.Config.Digest.Hashtags
}

// compose turns stories into threads: each story shows its best item's
// title and link, all its sources, the highest severity of its items, and
// [悪用確認] when a CVE of it is in CISA's KEV catalog.
func (c *Cycle) compose(stories []*selection.Story, rule digest.Rule, layout digest.Layout, hashtags []string, now time.Time) ([]digest.Thread, []*digest.StoryError, error) {
	tags := map[string][]string{}
	for _, f := range c.Config.Feeds {
		tags[f.Name] = f.Tags
	}
	out := make([]digest.Story, len(stories))
	for i, s := range stories {
		b := s.Best
		ds := digest.Story{
			ID: s.ID, Source: b.Feed, Sources: s.Sources, Title: b.Title, URL: b.Link, Identifier: b.Identifier,
			CVEs: s.CVEs, CVSSScore: b.CVSSScore, CVSSSeverity: b.CVSSSeverity, Published: s.Published(),
			Exploited: len(s.KEV) > 0,
		}
		for _, it := range s.Items {
			if it.CVSSScore > ds.CVSSScore {
				ds.CVSSScore, ds.CVSSSeverity = it.CVSSScore, it.CVSSSeverity
			}
		}
		for _, src := range s.Sources {
			ds.Tags = append(ds.Tags, tags[src]...)
		}
		out[i] = ds
	}
	return digest.ComposeFitting(out, rule, digest.Options{
		Layout:            layout,
		Hashtags:          hashtags,
		Slot:              now,
		Location:          c.Config.Location,
		Templates:         c.Templates,
		AllowFeedHashtags: c.Config.Digest.AllowFeedHashtags,
	})
}

// toNewThreads keys each thread by its poster, stories, texts and time: a
// thread composed again after a refusal carries the same stories in other
// words, and must not share the refused thread's key. Each post delivers
// every item of its stories.
func toNewThreads(posterName string, threads []digest.Thread, items map[int64][]int64, now time.Time) []store.NewThread {
	out := make([]store.NewThread, len(threads))
	for i, th := range threads {
		parts := []string{posterName, strconv.FormatInt(now.UnixNano(), 10)}
		nt := store.NewThread{}
		for _, p := range th.Posts {
			np := store.NewPost{Text: p.Text}
			parts = append(parts, p.Text)
			for _, id := range p.Stories {
				np.Items = append(np.Items, items[id]...)
				parts = append(parts, strconv.FormatInt(id, 10))
			}
			nt.Posts = append(nt.Posts, np)
		}
		nt.Key = hash(parts...)[:24]
		out[i] = nt
	}
	return out
}

func hash(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// printOnly prints what would be sent, touching nothing in the store.
func (d *delivery) printOnly(ctx context.Context) error {
	p := d.t.Poster
	unsent, err := d.c.Store.Unsent(ctx, p.Name())
	if err != nil {
		return err
	}
	for _, post := range unsent {
		if _, err := p.Post(ctx, poster.Post{Text: post.Text, IdempotencyKey: idempotencyKey(post)}); err != nil {
			return fmt.Errorf("print post %d: %w", post.ID, err)
		}
		d.rep.PostsPrinted++
	}
	if d.rule == nil {
		d.log.Warn("composing waits until the platform's limits are known", "error", d.ruleErr.Error())
		return nil
	}
	sel, err := d.selectStories(ctx)
	if err != nil {
		return err
	}
	for _, th := range d.plan(sel).threads {
		replyTo := ""
		for _, post := range th.Posts {
			rcpt, err := p.Post(ctx, poster.Post{Text: post.Text, InReplyTo: replyTo})
			if err != nil {
				return fmt.Errorf("print post: %w", err)
			}
			replyTo = rcpt.ID
			d.rep.PostsPrinted++
		}
	}
	return nil
}

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
	d.rule, d.spec, d.base, err = c.ruleOf(ctx, t.Poster, d.log)
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
		if t.Hold {
			return nil // between digest times: the stories wait for the next
		}
		if n, err := d.composeNew(ctx); err != nil || n == 0 {
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

// composeNew composes the poster's pending items into the outbox and
// returns how many posts it queued.
func (d *delivery) composeNew(ctx context.Context) (int, error) {
	name := d.t.Poster.Name()
	if d.rule == nil {
		d.log.Warn("composing waits until the platform's limits are known", "error", d.ruleErr.Error())
		return 0, nil
	}
	if d.quota() == 0 {
		d.log.Info("daily post cap reached; stories wait until tomorrow", "max_posts_per_day", d.t.Common.MaxPostsPerDay)
		return 0, nil
	}
	pending, err := d.c.Store.Pending(ctx, name, d.maxStories())
	if err != nil {
		return 0, err
	}
	pending, stale := d.c.splitStale(pending, d.now)
	plan, err := d.plan(ctx, pending)
	if err != nil {
		return 0, err
	}
	if err := d.c.Store.Skip(ctx, name, stale, "older than the feed's max_age when it was to be posted"); err != nil {
		return 0, err
	}
	if err := d.c.Store.Skip(ctx, name, plan.unfit, "does not fit a post on "+d.rule.Platform()+" even shortened"); err != nil {
		return 0, err
	}
	for id, why := range plan.refused {
		if err := d.c.Store.Skip(ctx, name, []int64{id}, "refused by the platform even alone: "+why); err != nil {
			return 0, err
		}
	}
	if len(plan.threads) == 0 {
		return 0, nil
	}
	nt := toNewThreads(name, plan.threads, d.now)
	if err := d.c.Store.Enqueue(ctx, name, nt, d.now); err != nil {
		return 0, err
	}
	n := 0
	for _, th := range nt {
		n += len(th.Posts)
	}
	return n, nil
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
	unfit   []int64          // cannot fit a post at all
	refused map[int64]string // refused by the platform even alone: why
}

// plan composes items: stories the platform refused once go alone, so a
// refusal names its story; a story refused alone is given up.
func (d *delivery) plan(ctx context.Context, items []store.Item) (composition, error) {
	out := composition{refused: map[int64]string{}}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	refusals, err := d.c.Store.Refusals(ctx, d.t.Poster.Name(), ids)
	if err != nil {
		return out, err
	}
	var grouped, alone []store.Item
	for _, it := range items {
		switch r := refusals[it.ID]; {
		case r.Count == 0:
			grouped = append(grouped, it)
		case r.Count == 1:
			alone = append(alone, it)
		default:
			out.refused[it.ID] = r.Error
		}
	}
	threads, unfit := d.composeWithin(grouped, d.layout())
	out.threads, out.unfit = threads, unfit
	for _, it := range alone {
		threads, unfit := d.composeWithin([]store.Item{it}, digest.Each)
		out.threads = append(out.threads, threads...)
		out.unfit = append(out.unfit, unfit...)
	}
	if q := d.quota(); q >= 0 {
		out.threads = capThreads(out.threads, q)
	}
	return out, nil
}

func (d *delivery) layout() digest.Layout {
	if d.t.Common.Layout != "" {
		return digest.Layout(d.t.Common.Layout)
	}
	return digest.Layout(d.c.Config.Digest.Layout)
}

// composeWithin composes items; with a daily cap it drops stories from
// the end of a digest until its thread fits in the posts left today, so a
// thread is never cut across days. Dropped stories stay pending.
func (d *delivery) composeWithin(items []store.Item, layout digest.Layout) ([]digest.Thread, []int64) {
	var unfit []int64
	for {
		threads, out, err := d.composeAround(items, layout)
		unfit = append(unfit, out...)
		if err != nil {
			d.log.Error("compose failed; the items stay pending", "error", err.Error(), "items", len(items))
			return nil, unfit
		}
		q := d.quota()
		if q < 0 || layout == digest.Each || len(threads) == 0 || len(threads[0].Posts) <= q || len(items) <= 1 {
			return threads, unfit
		}
		items = slices.DeleteFunc(items, func(it store.Item) bool { return slices.Contains(out, it.ID) })
		items = items[:len(items)*q/len(threads[0].Posts)]
		if len(items) == 0 {
			return nil, unfit
		}
	}
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

// composeAround composes the items, leaving out (and returning) any story
// that cannot fit a post at all, so that one bad title does not hold back
// the others.
func (d *delivery) composeAround(items []store.Item, layout digest.Layout) ([]digest.Thread, []int64, error) {
	var unfit []int64
	for {
		threads, err := d.compose(items, layout)
		var se *digest.StoryError
		if !errors.As(err, &se) {
			return threads, unfit, err
		}
		d.log.Error("story does not fit a post; skipping it for this poster", "item_id", se.ID, "error", se.Error())
		n := len(items)
		items = slices.DeleteFunc(items, func(it store.Item) bool { return it.ID == se.ID })
		if len(items) == n {
			return nil, unfit, err // not one of ours: never loop
		}
		unfit = append(unfit, se.ID)
	}
}

// compose turns items into threads with the poster's layout and hashtags.
func (d *delivery) compose(items []store.Item, layout digest.Layout) ([]digest.Thread, error) {
	if len(items) == 0 {
		return nil, nil
	}
	return d.c.compose(items, d.rule, layout, d.hashtags(), d.now)
}

func (d *delivery) hashtags() []string {
	if d.t.Common.Hashtags != nil {
		return d.t.Common.Hashtags
	}
	return d.c.Config.Digest.Hashtags
}

// compose turns items into threads.
func (c *Cycle) compose(items []store.Item, rule digest.Rule, layout digest.Layout, hashtags []string, now time.Time) ([]digest.Thread, error) {
	tags := map[string][]string{}
	for _, f := range c.Config.Feeds {
		tags[f.Name] = f.Tags
	}
	stories := make([]digest.Story, len(items))
	for i, it := range items {
		stories[i] = digest.Story{
			ID: it.ID, Source: it.Feed, Title: it.Title, URL: it.Link, Tags: tags[it.Feed],
			Identifier: it.Identifier, CVEs: it.CVEs, CVSSScore: it.CVSSScore, CVSSSeverity: it.CVSSSeverity,
			Published: it.Published,
		}
	}
	return digest.Compose(stories, rule, digest.Options{
		Layout:            layout,
		Hashtags:          hashtags,
		Slot:              now,
		Location:          c.Config.Location,
		Templates:         c.Templates,
		AllowFeedHashtags: c.Config.Digest.AllowFeedHashtags,
	})
}

// toNewThreads keys each thread by its poster, items, texts and time: a
// thread composed again after a refusal carries the same items in other
// words, and must not share the refused thread's key.
func toNewThreads(posterName string, threads []digest.Thread, now time.Time) []store.NewThread {
	out := make([]store.NewThread, len(threads))
	for i, th := range threads {
		parts := []string{posterName, strconv.FormatInt(now.UnixNano(), 10)}
		nt := store.NewThread{}
		for _, p := range th.Posts {
			nt.Posts = append(nt.Posts, store.NewPost{Text: p.Text, Items: p.Stories})
			parts = append(parts, p.Text)
			for _, id := range p.Stories {
				parts = append(parts, strconv.FormatInt(id, 10))
			}
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
	pending, err := d.c.Store.Pending(ctx, p.Name(), d.maxStories())
	if err != nil {
		return err
	}
	pending, _ = d.c.splitStale(pending, d.now)
	threads, _ := d.composeWithin(pending, d.layout())
	for _, th := range threads {
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

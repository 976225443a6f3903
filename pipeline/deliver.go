package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/digest"
	"github.com/itsecbot/itsecbot/store"
	"github.com/itsecbot/itsecbot/textlen"
)

// deliver sends what the poster already has queued, then composes its
// pending items into the outbox and sends those. New posts wait while the
// queue holds posts that could not go out: the items stay pending
// meanwhile, so max_age and max_stories still apply to them when the
// poster works again, instead of a burst of stale posts. A dry target only
// prints.
func (c *Cycle) deliver(ctx context.Context, t Target, now time.Time, rep *Report) error {
	p := t.Poster
	log := c.Logger.With("poster", p.Name())
	rule, err := p.Rule(ctx)
	if err != nil {
		log.Error("poster has no length rule; skipping it this cycle", "error", err.Error())
		return nil
	}
	if !t.DryRun {
		if drained, err := c.sendUnsent(ctx, p, log, rep); err != nil || !drained {
			return err
		}
	}
	pending, err := c.Store.Pending(ctx, p.Name(), c.Config.Digest.MaxStories)
	if err != nil {
		return err
	}
	pending, stale := c.splitStale(pending, now)
	threads, unfit, err := c.composeAround(pending, rule, now, log)
	if err != nil {
		log.Error("compose failed; the items stay pending", "error", err.Error(), "items", len(pending))
		threads = nil
	}
	if t.DryRun {
		return c.printOnly(ctx, p, threads, rep)
	}
	if err := c.Store.Skip(ctx, p.Name(), stale, "older than the feed's max_age when it was to be posted"); err != nil {
		return err
	}
	if err := c.Store.Skip(ctx, p.Name(), unfit, "does not fit a post on "+rule.Platform()+" even shortened"); err != nil {
		return err
	}
	if len(threads) == 0 {
		return nil
	}
	if err := c.Store.Enqueue(ctx, p.Name(), toNewThreads(p.Name(), threads), now); err != nil {
		return err
	}
	_, err = c.sendUnsent(ctx, p, log, rep)
	return err
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
func (c *Cycle) composeAround(items []store.Item, rule textlen.Rule, now time.Time, log *slog.Logger) ([]digest.Thread, []int64, error) {
	var unfit []int64
	for {
		threads, err := c.compose(items, rule, now)
		var se *digest.StoryError
		if !errors.As(err, &se) {
			return threads, unfit, err
		}
		log.Error("story does not fit a post; skipping it for this poster", "item_id", se.ID, "error", se.Error())
		n := len(items)
		items = slices.DeleteFunc(items, func(it store.Item) bool { return it.ID == se.ID })
		if len(items) == n {
			return nil, unfit, err // not one of ours: never loop
		}
		unfit = append(unfit, se.ID)
	}
}

// compose turns pending items into threads with the configured layout.
func (c *Cycle) compose(items []store.Item, rule digest.Rule, now time.Time) ([]digest.Thread, error) {
	if len(items) == 0 {
		return nil, nil
	}
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
		Layout:            digest.Layout(c.Config.Digest.Layout),
		Hashtags:          c.Config.Digest.Hashtags,
		Slot:              now,
		Location:          c.Config.Location,
		Templates:         c.Templates,
		AllowFeedHashtags: c.Config.Digest.AllowFeedHashtags,
	})
}

// toNewThreads keys each thread by its poster and items, so the same
// content always gets the same thread key and idempotency keys.
func toNewThreads(posterName string, threads []digest.Thread) []store.NewThread {
	out := make([]store.NewThread, len(threads))
	for i, th := range threads {
		var ids []string
		nt := store.NewThread{}
		for _, p := range th.Posts {
			nt.Posts = append(nt.Posts, store.NewPost{Text: p.Text, Items: p.Stories})
			for _, id := range p.Stories {
				ids = append(ids, strconv.FormatInt(id, 10))
			}
		}
		nt.Key = hash(posterName, strings.Join(ids, ","))[:24]
		out[i] = nt
	}
	return out
}

func hash(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

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

// deliver composes the poster's pending items into the outbox, then sends
// every unsent post in order. A dry target only prints.
func (c *Cycle) deliver(ctx context.Context, t Target, now time.Time, rep *Report) error {
	p := t.Poster
	log := c.Logger.With("poster", p.Name())
	rule, err := p.Rule(ctx)
	if err != nil {
		log.Error("poster has no length rule; skipping it this cycle", "error", err.Error())
		return nil
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
	if len(threads) > 0 {
		if err := c.Store.Enqueue(ctx, p.Name(), toNewThreads(p.Name(), threads), now); err != nil {
			return err
		}
	}
	return c.sendUnsent(ctx, p, log, rep)
}

// splitStale separates items that have aged past their feed's max_age
// while waiting (a poster that was down, a long backlog) from the rest.
func (c *Cycle) splitStale(items []store.Item, now time.Time) (fresh []store.Item, stale []int64) {
	maxAge := map[string]time.Duration{}
	for _, f := range c.Config.Feeds {
		maxAge[f.Name] = f.MaxAgeDuration
	}
	for _, it := range items {
		if age := maxAge[it.Feed]; age > 0 && it.Published.Before(now.Add(-age)) {
			stale = append(stale, it.ID)
			continue
		}
		fresh = append(fresh, it)
	}
	return fresh, stale
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

// idempotencyKey is stable for one post of one thread of one poster, so a
// retry after an unknown outcome is recognised by platforms that keep keys.
func idempotencyKey(p store.Post) string {
	return "itsecbot-" + hash(p.Poster, p.Thread, strconv.Itoa(p.Seq))[:32]
}

// sendUnsent sends the poster's pending posts in order. A refused post is
// marked failed and its thread goes on; any other error leaves the post
// pending and ends this poster's turn (the server is down or limiting us).
func (c *Cycle) sendUnsent(ctx context.Context, p poster.Poster, log *slog.Logger, rep *Report) error {
	posts, err := c.Store.Unsent(ctx, p.Name())
	if err != nil {
		return err
	}
	lastSent := map[string]string{} // thread -> remote ID sent in this run
	waiting := map[string]bool{}    // threads with an earlier post still pending
	for _, post := range posts {
		replyTo, sentNow := lastSent[post.Thread]
		if !sentNow {
			replyTo = post.ReplyTo
			if post.PrevPending || waiting[post.Thread] {
				waiting[post.Thread] = true
				continue
			}
		}
		rcpt, err := p.Post(ctx, poster.Post{Text: post.Text, IdempotencyKey: idempotencyKey(post), InReplyTo: replyTo})
		if err == nil {
			if err := c.Store.MarkSent(ctx, post.ID, rcpt.ID, rcpt.URL, c.Now()); err != nil {
				return err
			}
			lastSent[post.Thread] = rcpt.ID
			rep.PostsSent++
			log.Info("posted", "post_id", post.ID, "thread", post.Thread, "seq", post.Seq, "url", rcpt.URL)
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		final := giveUp(post, poster.DeliveryOf(err), c.Now())
		if err := c.Store.MarkAttempt(ctx, post.ID, err.Error(), final, c.Now()); err != nil {
			return err
		}
		rep.PostsFailed++
		if final {
			log.Error("giving the post up", "post_id", post.ID, "thread", post.Thread, "attempts", post.Attempts+1, "error", err.Error())
			continue
		}
		log.Warn("post not delivered; will retry next cycle", "post_id", post.ID, "thread", post.Thread, "error", err.Error())
		return nil
	}
	return nil
}

// Limits on retrying a post whose outcome is unknown: platforms keep an
// Idempotency-Key for about an hour, so later retries could post twice.
const (
	maxUnknownAttempts = 3
	unknownWindow      = 50 * time.Minute
)

// giveUp decides whether a failed post is final: refused by the platform,
// or of unknown outcome too often or for too long to retry safely. A post
// that surely was not delivered is always kept for the next cycle.
func giveUp(p store.Post, d poster.Delivery, now time.Time) bool {
	switch d {
	case poster.Rejected:
		return true
	case poster.Unknown:
		first := p.FirstAttempt
		if first.IsZero() {
			first = now
		}
		return p.Attempts+1 >= maxUnknownAttempts || now.Sub(first) >= unknownWindow
	}
	return false
}

// printOnly prints what would be sent, touching nothing in the store.
func (c *Cycle) printOnly(ctx context.Context, p poster.Poster, threads []digest.Thread, rep *Report) error {
	unsent, err := c.Store.Unsent(ctx, p.Name())
	if err != nil {
		return err
	}
	for _, post := range unsent {
		if _, err := p.Post(ctx, poster.Post{Text: post.Text, IdempotencyKey: idempotencyKey(post)}); err != nil {
			return fmt.Errorf("print post %d: %w", post.ID, err)
		}
		rep.PostsPrinted++
	}
	for _, th := range threads {
		replyTo := ""
		for _, post := range th.Posts {
			rcpt, err := p.Post(ctx, poster.Post{Text: post.Text, InReplyTo: replyTo})
			if err != nil {
				return fmt.Errorf("print post: %w", err)
			}
			replyTo = rcpt.ID
			rep.PostsPrinted++
		}
	}
	return nil
}

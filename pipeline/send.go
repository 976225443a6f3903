package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/itsecbot/itsecbot/digest"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/store"
)

// idempotencyKey is stable for one post of one thread of one poster, so a
// retry after an unknown outcome is recognised by platforms that keep keys.
func idempotencyKey(p store.Post) string {
	return "itsecbot-" + hash(p.Poster, p.Thread, strconv.Itoa(p.Seq))[:32]
}

// Limits on retrying a post whose outcome is unknown (a timeout after
// sending, a crash during the call): platforms keep an Idempotency-Key for
// about an hour, so a later retry could post it twice.
const (
	maxUnknownAttempts = 3
	unknownWindow      = 50 * time.Minute
)

// tooUncertain reports whether retrying p could publish it twice.
func tooUncertain(p store.Post, now time.Time) bool {
	return p.UnknownAttempts >= maxUnknownAttempts ||
		p.UnknownAttempts > 0 && now.Sub(p.FirstUnknown) >= unknownWindow
}

// sendUnsent sends the poster's pending posts in order and reports whether
// the queue is now empty. A refused post, or one retried too often with an
// unknown outcome, is given up and its thread goes on; a post that was not
// delivered ends this poster's turn (the server is down or limiting us).
func (c *Cycle) sendUnsent(ctx context.Context, p poster.Poster, log *slog.Logger, rep *Report) (drained bool, err error) {
	posts, err := c.Store.Unsent(ctx, p.Name())
	if err != nil {
		return false, err
	}
	drained = true
	lastSent := map[string]string{} // thread -> remote ID sent in this run
	waiting := map[string]bool{}    // threads with an earlier post still pending
	for _, post := range posts {
		replyTo, sentNow := lastSent[post.Thread]
		if !sentNow {
			replyTo = post.ReplyTo
			if post.PrevPending || waiting[post.Thread] {
				waiting[post.Thread], drained = true, false
				continue
			}
		}
		id, ok, err := c.sendOne(ctx, p, post, replyTo, log, rep)
		if err != nil || !ok {
			return false, err
		}
		if id != "" {
			lastSent[post.Thread] = id
		}
	}
	return drained, nil
}

// sendOne sends one post and records the outcome. It returns the remote ID
// ("" when the post was given up) and false when the poster's turn must end.
func (c *Cycle) sendOne(ctx context.Context, p poster.Poster, post store.Post, replyTo string, log *slog.Logger, rep *Report) (string, bool, error) {
	if reason, err := c.whyGiveUp(ctx, post); err != nil || reason != "" {
		if err != nil {
			return "", false, err
		}
		rep.PostsFailed++
		log.Error("giving the post up", "post_id", post.ID, "thread", post.Thread, "error", reason)
		return "", true, c.Store.MarkFailed(ctx, post.ID, reason)
	}
	if err := c.Store.BeginSend(ctx, post.ID, c.Now()); err != nil {
		return "", false, err
	}
	rcpt, err := p.Post(ctx, poster.Post{Text: post.Text, IdempotencyKey: idempotencyKey(post), InReplyTo: replyTo})
	if err == nil {
		rep.PostsSent++
		log.Info("posted", "post_id", post.ID, "thread", post.Thread, "seq", post.Seq, "url", rcpt.URL)
		return rcpt.ID, true, c.Store.MarkSent(ctx, post.ID, rcpt.ID, rcpt.URL, c.Now())
	}
	if ctx.Err() != nil {
		return "", false, ctx.Err() // interrupted: BeginSend keeps it counted as unknown
	}
	rep.PostsFailed++
	switch poster.DeliveryOf(err) {
	case poster.Rejected:
		log.Error("platform refused the post; giving it up", "post_id", post.ID, "thread", post.Thread, "error", err.Error())
		return "", true, c.Store.MarkFailed(ctx, post.ID, err.Error())
	case poster.NotDelivered:
		log.Warn("post not delivered; will retry next cycle", "post_id", post.ID, "thread", post.Thread, "error", err.Error())
		return "", false, c.Store.MarkNotDelivered(ctx, post.ID, err.Error())
	default:
		log.Warn("post outcome unknown; will retry with the same idempotency key", "post_id", post.ID, "thread", post.Thread, "error", err.Error())
		return "", false, c.Store.MarkUnknown(ctx, post.ID, err.Error())
	}
}

// whyGiveUp says why a post that has waited must not be sent any more:
// retrying could post it twice, or all its stories went stale meanwhile.
func (c *Cycle) whyGiveUp(ctx context.Context, post store.Post) (string, error) {
	now := c.Now()
	if tooUncertain(post, now) {
		return fmt.Sprintf("outcome unknown after %d attempts (last error: %s); not retried, to avoid posting twice",
			post.UnknownAttempts, post.Error), nil
	}
	if post.Attempts == 0 {
		return "", nil // composed this cycle: fresh
	}
	items, err := c.Store.PostItems(ctx, post.ID)
	if err != nil {
		return "", err
	}
	for _, it := range items {
		if !c.isStale(it, now) {
			return "", nil
		}
	}
	return "its stories passed max_age while it waited to be sent (last error: " + post.Error + ")", nil
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

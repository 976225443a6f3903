package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/itsecbot/itsecbot/internal/crashpoint"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/store"
)

// minSettle is the least time after a send before the absence of its post
// on the platform is believed: a server may finish a request after the
// client gave up on it.
const minSettle = 30 * time.Second

// resolveUnknown decides what to do with a post an earlier send may have
// published. With read-back the platform is asked: found, the post is
// recorded as sent and its thread continues from it; surely absent, it
// is sent again; the platform cannot be read, it waits. Without
// read-back, only a platform that keeps idempotency keys or refuses
// duplicates may be retried, within the time it remembers a post.
// settled is true when res is the answer and no send must follow.
func (d *delivery) resolveUnknown(ctx context.Context, post store.Post, replyTo string) (res sent, settled bool, err error) {
	p := d.t.Poster
	caps := p.Capabilities()
	reader, ok := p.(poster.Reader)
	switch {
	case caps.ReadBack && ok:
		return d.readBack(ctx, reader, post, replyTo)
	case (caps.IdempotencyKeys || caps.RefusesDuplicates) && !tooUncertain(post, d.now):
		// Keys are kept, and duplicates refused, for a while only.
		return sent{}, false, nil
	}
	reason := fmt.Sprintf("outcome unknown after %d attempts (last error: %s); not sent again, to avoid posting twice "+
		"(the platform cannot be read back); 'itsecbot retry %d' sends it again", post.UnknownAttempts, post.Error, post.ID)
	res, err = d.giveUp(ctx, post, reason)
	return res, true, err
}

func (d *delivery) readBack(ctx context.Context, r poster.Reader, post store.Post, replyTo string) (sent, bool, error) {
	remotes, err := r.Recent(ctx, post.FirstUnknown.Add(-readBackSlack))
	short := errors.Is(err, poster.ErrReadBackShort) // what was read is still searched
	if err != nil && !short {
		if ctx.Err() != nil {
			return sent{}, true, ctx.Err()
		}
		msg := "cannot check whether an earlier attempt was published: " + err.Error()
		if poster.CauseOf(err) == poster.CauseAuth {
			d.log.Error("the platform refused this poster's credentials; its posts wait until the admin fixes them",
				"post_id", post.ID, "error", err.Error())
		} else {
			d.log.Warn("post waits: its earlier attempt cannot be checked", "post_id", post.ID, "error", err.Error())
		}
		return sent{blocked: true}, true, d.c.Store.Wait(ctx, post.ID, msg, time.Time{})
	}
	for _, rm := range remotes {
		if poster.SameText(post.Text, rm.Text) && (replyTo == "" || rm.InReplyTo == replyTo) {
			crashpoint.Hit("reconcile.found")
			d.rep.PostsReconciled++
			d.sentToday++
			d.log.Info("an earlier attempt was published; recorded, not sent again",
				"post_id", post.ID, "thread", post.Thread, "remote_id", rm.ID, "url", rm.URL)
			return sent{id: rm.ID}, true, d.c.Store.MarkSent(ctx, post.ID, rm.ID, rm.URL, d.c.Now())
		}
	}
	if short {
		// More posts came after the first attempt than can be read back:
		// absence proves nothing, and sending again could post twice.
		reason := fmt.Sprintf("outcome unknown, and not found among the platform's recent posts, which no longer reach back "+
			"to the first attempt (%s); not sent again, to avoid posting twice; 'itsecbot retry %d' sends it again", err, post.ID)
		res, err := d.giveUp(ctx, post, reason)
		return res, true, err
	}
	if settle := max(d.t.Common.TimeoutDuration+minSettle, minSettle); d.now.Sub(post.LastAttempt) < settle {
		msg := fmt.Sprintf("not on the platform yet; an earlier attempt may still be in progress there, checked again after %s",
			post.LastAttempt.Add(settle).Format(time.RFC3339))
		d.log.Info("post waits", "post_id", post.ID, "reason", msg)
		return sent{blocked: true}, true, d.c.Store.Wait(ctx, post.ID, msg, post.LastAttempt.Add(settle))
	}
	d.log.Info("an earlier attempt was not published; sending again", "post_id", post.ID, "thread", post.Thread)
	return sent{}, false, d.c.Store.ClearUnknown(ctx, post.ID)
}

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/internal/crashpoint"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/store"
)

// idempotencyKey is stable for one post of one thread of one poster, so a
// retry after an unknown outcome is recognised by platforms that keep keys.
func idempotencyKey(p store.Post) string {
	return "itsecbot-" + hash(p.Poster, p.Thread, strconv.Itoa(p.Seq))[:32]
}

// Limits on retrying, without reading back, a post whose outcome is
// unknown: platforms keep an Idempotency-Key for about an hour, so a later
// retry could post it twice.
const (
	maxUnknownAttempts = 3
	unknownWindow      = 50 * time.Minute
)

// recordTimeout bounds recording a post's outcome once the cycle's context
// has ended.
const recordTimeout = 5 * time.Second

// readBackSlack widens the read-back window for clocks that disagree.
const readBackSlack = 10 * time.Minute

// tooUncertain reports whether retrying p without reading back could
// publish it twice.
func tooUncertain(p store.Post, now time.Time) bool {
	return p.UnknownAttempts >= maxUnknownAttempts ||
		p.UnknownAttempts > 0 && now.Sub(p.FirstUnknown) >= unknownWindow
}

// queueOutcome says how sending the queue went.
type queueOutcome struct {
	blocked bool // the poster cannot send now: the rest waits
	refused bool // stories were given back to be composed again
}

// sent is the result of one post: its remote ID when published, or why
// not.
type sent struct {
	id      string
	blocked bool // the poster's turn ends
	cut     bool // the post and the rest of its thread were replaced or given up
}

// sendQueue sends the poster's pending posts in order. A thread goes out
// in order and whole: a post whose predecessor was not published is never
// sent as an orphan reply; its stories are composed again instead.
func (d *delivery) sendQueue(ctx context.Context) (queueOutcome, error) {
	var out queueOutcome
	posts, err := d.c.Store.Unsent(ctx, d.t.Poster.Name())
	if err != nil {
		return out, err
	}
	threads := d.t.Poster.Capabilities().Threads
	lastSent := map[string]string{} // thread -> remote ID published in this run
	cut := map[string]bool{}
	for _, post := range posts {
		if cut[post.Thread] {
			continue
		}
		replyTo, sentNow := lastSent[post.Thread]
		if !sentNow {
			replyTo = post.ReplyTo
			if post.PrevPending {
				out.blocked = true // its predecessor is waiting
				return out, nil
			}
			if threads && post.Seq > 0 && replyTo == "" {
				if err := d.replace(ctx, post, "the post before it in its thread was not published"); err != nil {
					return out, err
				}
				cut[post.Thread], out.refused = true, true
				continue
			}
		}
		if q := d.quota(); q == 0 || post.NextAttempt.After(d.now) {
			d.log.Debug("post waits", "post_id", post.ID, "next_attempt", post.NextAttempt, "quota", q)
			out.blocked = true
			return out, nil
		}
		res, err := d.sendOne(ctx, post, replyTo)
		switch {
		case err != nil:
			return out, err
		case res.blocked:
			out.blocked = true
			return out, nil
		case res.cut:
			cut[post.Thread], out.refused = true, true
		default:
			lastSent[post.Thread] = res.id
		}
	}
	return out, nil
}

// sendOne sends one post and records the outcome.
func (d *delivery) sendOne(ctx context.Context, post store.Post, replyTo string) (sent, error) {
	crashpoint.Hit("send.seq-" + strconv.Itoa(post.Seq))
	if reason, err := d.whyGiveUp(ctx, post); err != nil || reason != "" {
		if err != nil {
			return sent{}, err
		}
		return d.giveUp(ctx, post, reason)
	}
	if post.UnknownAttempts > 0 {
		res, settled, err := d.resolveUnknown(ctx, post, replyTo)
		if err != nil || settled {
			return res, err
		}
	}
	// Read before BeginSend: a failure here has sent nothing, and must not
	// count as a send whose outcome is unknown.
	stories, err := d.postStories(ctx, post)
	if err != nil {
		return sent{}, err
	}
	if err := d.c.Store.BeginSend(ctx, post.ID, d.c.Now()); err != nil {
		return sent{}, err
	}
	crashpoint.Hit("send.begun")
	p := d.t.Poster
	rcpt, err := p.Post(ctx, poster.Post{Text: post.Text, IdempotencyKey: idempotencyKey(post), InReplyTo: replyTo, Stories: stories})
	d.c.observePost(ctx, p.Name(), post, err)
	if err == nil {
		crashpoint.Hit("send.posted")
		d.rep.PostsSent++
		d.sentToday++
		d.log.Info("posted", "post_id", post.ID, "thread", post.Thread, "seq", post.Seq, "url", rcpt.URL)
		// Recorded even when a stop's grace ends now: a published post
		// must not become an unknown outcome.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
		defer cancel()
		return sent{id: rcpt.ID}, d.c.Store.MarkSent(rctx, post.ID, rcpt.ID, rcpt.URL, d.c.Now())
	}
	if ctx.Err() != nil {
		return sent{}, ctx.Err() // interrupted: BeginSend keeps it counted as unknown
	}
	if poster.CauseOf(err) == poster.CauseDuplicate && post.UnknownAttempts > 0 {
		// An earlier attempt was published: the platform says so by
		// refusing the repeat. Its ID is unknown, so the thread cannot
		// continue from it; the rest is composed again.
		d.rep.PostsReconciled++
		d.sentToday++
		d.log.Info("the platform already holds this text from an earlier attempt; recorded as sent", "post_id", post.ID)
		if err := d.c.Store.MarkSent(ctx, post.ID, "", "", d.c.Now()); err != nil {
			return sent{}, err
		}
		next := post
		next.Seq++
		return sent{cut: true}, d.replace(ctx, next, "the post before it was published but its id is unknown")
	}
	d.rep.PostsFailed++
	switch poster.DeliveryOf(err) {
	case poster.Rejected:
		return d.refused(ctx, post, err)
	case poster.NotDelivered:
		return d.notDelivered(ctx, post, err)
	default:
		crashpoint.Hit("send.unknown")
		d.log.Warn("post outcome unknown; "+unknownPlan(p.Capabilities()),
			"post_id", post.ID, "thread", post.Thread, "error", err.Error())
		return sent{blocked: true}, d.c.Store.MarkUnknown(ctx, post.ID, err.Error())
	}
}

// unknownPlan says what the next cycle does with a post whose outcome is
// unknown, by what the platform can do.
func unknownPlan(c poster.Capabilities) string {
	switch {
	case c.ReadBack:
		return "it is looked up on the platform before any resend"
	case c.RefusesDuplicates:
		return "it is sent again; the platform refuses a repeat of a published text"
	case c.IdempotencyKeys:
		return "it is sent again with the same idempotency key, for a while"
	default:
		return "the platform cannot be asked, so it is given up rather than risk posting twice ('itsecbot retry' sends it again)"
	}
}

// notDelivered keeps the post waiting: until the rate limit resets, or
// until the admin fixes the credentials.
func (d *delivery) notDelivered(ctx context.Context, post store.Post, err error) (sent, error) {
	crashpoint.Hit("send.not-delivered")
	var next time.Time
	var pe *poster.Error
	if errors.As(err, &pe) && pe.RetryAfter > 0 {
		next = d.now.Add(pe.RetryAfter)
	}
	if poster.CauseOf(err) == poster.CauseAuth {
		d.log.Error("the platform refused this poster's credentials or address; its posts wait until the admin fixes them "+
			"(renew the token or check the server URL, then run 'itsecbot check -online')",
			"post_id", post.ID, "error", err.Error())
	} else {
		d.log.Warn("post not delivered; it waits", "post_id", post.ID, "thread", post.Thread, "error", err.Error(), "next_attempt", next)
	}
	return sent{blocked: true}, d.c.Store.MarkNotDelivered(ctx, post.ID, err.Error(), next)
}

// refused handles a post the platform refused: a length refusal teaches a
// stricter rule; any other refusal is counted on the post's stories. Then
// the post and the rest of its thread are replaced: their stories are
// composed again, never lost.
func (d *delivery) refused(ctx context.Context, post store.Post, err error) (sent, error) {
	var pe *poster.Error
	errors.As(err, &pe)
	msg := err.Error()
	switch {
	case pe != nil && pe.Cause == poster.CauseTooLong && d.learnFrom(ctx, post.Text, pe.Limit):
	case pe != nil && pe.Cause == poster.CauseReplyGone:
	default:
		items, err := d.c.Store.PostItems(ctx, post.ID)
		if err != nil {
			return sent{}, err
		}
		if err := d.c.Store.RecordRefusals(ctx, d.t.Poster.Name(), itemIDs(items), msg); err != nil {
			return sent{}, err
		}
	}
	d.log.Warn("platform refused the post; its stories are composed again", "post_id", post.ID, "thread", post.Thread, "error", msg)
	return sent{cut: true}, d.replace(ctx, post, "refused: "+msg)
}

// learnFrom tightens the rule after a length refusal; false when no
// stricter rule explains it.
func (d *delivery) learnFrom(ctx context.Context, text string, stated int) bool {
	tight, ok := tighten(d.spec, d.rule, text, stated)
	if !ok {
		return false
	}
	rule, err := tight.Rule()
	if err != nil {
		return false
	}
	if err := d.c.learn(ctx, d.t.Poster.Name(), d.base, tight); err != nil {
		d.log.Error("cannot store the learned length rule", "error", err.Error())
	}
	d.log.Warn("the platform counts differently from what it states; composing under a stricter rule",
		"stated", d.base.String(), "learned", tight.String())
	d.spec, d.rule = tight, rule
	return true
}

// replace gives the post and the rest of its thread back to be composed
// again.
func (d *delivery) replace(ctx context.Context, post store.Post, reason string) error {
	released, err := d.c.Store.Replace(ctx, d.t.Poster.Name(), post.Thread, post.Seq, reason)
	if err != nil {
		return err
	}
	d.rep.PostsReplaced++
	d.log.Info("thread cut; its stories are composed again", "post_id", post.ID, "thread", post.Thread,
		"from_seq", post.Seq, "stories", len(released))
	return nil
}

// giveUp marks the post failed (`itsecbot retry` can requeue it) and gives
// the rest of its thread back to be composed again.
func (d *delivery) giveUp(ctx context.Context, post store.Post, reason string) (sent, error) {
	d.rep.PostsFailed++
	d.log.Error("giving the post up", "post_id", post.ID, "thread", post.Thread, "error", reason)
	if err := d.c.Store.MarkFailed(ctx, post.ID, reason); err != nil {
		return sent{}, err
	}
	next := post
	next.Seq++
	return sent{cut: true}, d.replace(ctx, next, fmt.Sprintf("post %d of its thread was given up", post.ID))
}

// whyGiveUp says why a post that has waited must not be sent any more:
// all its stories went stale meanwhile.
func (d *delivery) whyGiveUp(ctx context.Context, post store.Post) (string, error) {
	if post.Attempts == 0 {
		return "", nil // composed this cycle: fresh
	}
	items, err := d.c.Store.PostItems(ctx, post.ID)
	if err != nil {
		return "", err
	}
	for _, it := range items {
		if !d.c.isStale(it, d.now) {
			return "", nil
		}
	}
	return "its stories passed max_age while it waited to be sent (last error: " + post.Error + ")", nil
}

// postStories returns the post's stories as data, for platforms that send
// fields as well as text.
func (d *delivery) postStories(ctx context.Context, post store.Post) ([]poster.Story, error) {
	items, err := d.c.Store.PostItems(ctx, post.ID)
	if err != nil {
		return nil, err
	}
	// One story per story: its items' sources together, the link the text
	// shows; in the order the text shows them.
	byStory := map[int64]*poster.Story{}
	var out []*poster.Story
	for _, it := range items {
		s, ok := byStory[it.StoryID]
		if !ok {
			s = &poster.Story{Title: it.Title, Link: it.Link, Identifier: it.Identifier, CVSSScore: it.CVSSScore,
				Severity: it.CVSSSeverity, Published: it.Published}
			byStory[it.StoryID] = s
			out = append(out, s)
		}
		if !slices.Contains(s.Sources, it.Feed) {
			s.Sources = append(s.Sources, it.Feed)
		}
		s.CVEs = append(s.CVEs, it.CVEs...)
		if strings.Contains(post.Text, it.Link) && !strings.Contains(post.Text, s.Link) {
			s.Title, s.Link = it.Title, it.Link
		}
		if it.CVSSScore > s.CVSSScore {
			s.CVSSScore, s.Severity = it.CVSSScore, it.CVSSSeverity
		}
	}
	at := func(s *poster.Story) int {
		if i := strings.Index(post.Text, s.Link); i >= 0 {
			return i
		}
		return len(post.Text)
	}
	slices.SortStableFunc(out, func(a, b *poster.Story) int { return at(a) - at(b) })
	stories := make([]poster.Story, len(out))
	for i, s := range out {
		slices.Sort(s.CVEs)
		s.CVEs = slices.Compact(s.CVEs)
		stories[i] = *s
	}
	return stories, nil
}

func itemIDs(items []store.Item) []int64 {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

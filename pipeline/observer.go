package pipeline

import (
	"context"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/store"
)

// Observer is told what a cycle does as it happens, for metrics. Its
// methods may be called from several goroutines at once and must not
// block.
type Observer interface {
	// FetchDone: a feed's fetch ended (Outcome FetchOK, FetchNotModified
	// or FetchFailed) after took.
	FetchDone(feed string, outcome Outcome, took time.Duration)
	// ItemsStored: a feed's new items were stored, with the filter's
	// decisions (items neither accepted nor rejected were recorded as seen).
	ItemsStored(feed string, added, accepted, rejected int)
	// PostDone: a send to a platform ended.
	PostDone(poster string, outcome Outcome)
	// CycleDone: a cycle ended, err nil when it succeeded.
	CycleDone(took time.Duration, err error)
}

// Outcome is how a fetch or a send ended.
type Outcome string

// Fetch and send outcomes.
const (
	FetchOK          Outcome = "ok"
	FetchNotModified Outcome = "not_modified"
	FetchFailed      Outcome = "failed"

	SendOK           Outcome = "sent"
	SendDuplicate    Outcome = "duplicate"     // refused as a repeat: an earlier attempt was published
	SendRefused      Outcome = "refused"       // the platform refused the text
	SendNotDelivered Outcome = "not_delivered" // surely not published; it waits
	SendUnknown      Outcome = "unknown"       // may have been published; looked up before any resend
)

// observeFeed reports a feed's poll; a poll the store or the context
// stopped reports nothing.
func (c *Cycle) observeFeed(feed string, out pollOutcome, err error, took time.Duration) {
	if c.Observer == nil || err != nil {
		return
	}
	outcome := FetchOK
	switch {
	case out.failed:
		outcome = FetchFailed
	case out.notModified:
		outcome = FetchNotModified
	}
	c.Observer.FetchDone(feed, outcome, took)
	if out.added > 0 {
		c.Observer.ItemsStored(feed, out.added, out.accepted, out.rejected)
	}
}

// observePost reports the end of a send of post, classified as the
// pipeline then treats it: a send the context interrupted is unknown.
func (c *Cycle) observePost(ctx context.Context, name string, post store.Post, err error) {
	if c.Observer == nil {
		return
	}
	outcome := SendUnknown
	switch {
	case err == nil:
		outcome = SendOK
	case ctx.Err() != nil: // interrupted: it may have been published
	case poster.CauseOf(err) == poster.CauseDuplicate && post.UnknownAttempts > 0:
		outcome = SendDuplicate
	case poster.DeliveryOf(err) == poster.Rejected:
		outcome = SendRefused
	case poster.DeliveryOf(err) == poster.NotDelivered:
		outcome = SendNotDelivered
	}
	c.Observer.PostDone(name, outcome)
}

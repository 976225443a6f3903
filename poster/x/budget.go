package x

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

// X reports two 24-hour post budgets on POST /2/tweets, the user's and
// the app's, each as x-{user,app}-limit-24hour-{limit,remaining,reset}
// (reset in Unix seconds). Once one is spent, every post is refused until
// its reset, even though the 15-minute window (x-rate-limit-*) resets
// sooner.
var budgets = [...]struct{ name, prefix string }{
	{"user", "x-user-limit-24hour-"},
	{"app", "x-app-limit-24hour-"},
}

// maxBudgetWait bounds a reset read from a header, against a garbled one.
const maxBudgetWait = 25 * time.Hour

// stateBudgetWait is the State key of the spent budget's reset.
const stateBudgetWait = "budget_wait"

// budgetWait is a spent 24-hour budget: no post before Until.
type budgetWait struct {
	Budget string    `json:"budget"` // "user" or "app"
	Limit  string    `json:"limit,omitempty"`
	Until  time.Time `json:"until"`
}

// exhausted returns the spent budget in h that resets last, if any.
func exhausted(h http.Header, now time.Time) (budgetWait, bool) {
	var out budgetWait
	for _, b := range budgets {
		if h.Get(b.prefix+"remaining") != "0" {
			continue
		}
		secs, err := strconv.ParseInt(h.Get(b.prefix+"reset"), 10, 64)
		if err != nil {
			continue
		}
		until := time.Unix(secs, 0).UTC()
		if limit := now.Add(maxBudgetWait).UTC(); until.After(limit) {
			until = limit
		}
		if until.After(now) && until.After(out.Until) {
			out = budgetWait{Budget: b.name, Limit: h.Get(b.prefix + "limit"), Until: until}
		}
	}
	return out, !out.Until.IsZero()
}

// exhaustedUntil is the reset of the spent budget in h, or the zero time.
func exhaustedUntil(h http.Header, now time.Time) time.Time {
	w, _ := exhausted(h, now)
	return w.Until
}

// observeBudgets keeps a spent 24-hour budget's reset in State, so that
// later posts, in this run or the next, wait for it without calling X.
func (c *Client) observeBudgets(ctx context.Context, h http.Header) {
	for _, b := range budgets {
		if r := h.Get(b.prefix + "remaining"); r != "" {
			c.log.Debug("x 24-hour budget", "budget", b.name, "remaining", r, "limit", h.Get(b.prefix+"limit"))
		}
	}
	w, ok := exhausted(h, c.now())
	if !ok {
		return
	}
	ctx = context.WithoutCancel(ctx) // the post is done; its reset must be kept
	if saved := c.loadWait(ctx); !w.Until.After(saved.Until) {
		return
	}
	c.log.Warn("x 24-hour post budget is spent; posts wait until it resets, without calling x",
		"budget", w.Budget, "limit", w.Limit, "reset", w.Until)
	raw, _ := json.Marshal(w)
	if err := c.cfg.State.Save(ctx, stateBudgetWait, string(raw)); err != nil {
		c.log.Error("cannot keep the 24-hour budget's reset; x is asked again next time", "error", err.Error())
	}
}

// loadWait returns the stored spent budget; a value that cannot be read
// is logged and ignored, so it never blocks posting for good.
func (c *Client) loadWait(ctx context.Context) budgetWait {
	var w budgetWait
	raw, err := c.cfg.State.Load(ctx, stateBudgetWait)
	if err == nil && raw != "" {
		err = json.Unmarshal([]byte(raw), &w)
	}
	if err != nil {
		c.log.Warn("cannot read the stored 24-hour budget reset; ignored", "error", err.Error())
		return budgetWait{}
	}
	return w
}

// budgetHolds answers NotDelivered while a spent budget has not reset.
func (c *Client) budgetHolds(ctx context.Context) *poster.Error {
	now := c.now()
	w := c.loadWait(ctx)
	if !w.Until.After(now) {
		return nil
	}
	c.log.Info("x 24-hour post budget is spent; x is not called until it resets", "budget", w.Budget, "reset", w.Until)
	return &poster.Error{
		Delivered: poster.NotDelivered, Cause: poster.CauseRateLimited, RetryAfter: w.Until.Sub(now),
		Message: fmt.Sprintf("the %s 24-hour post budget is spent until %s", w.Budget, w.Until.Format(time.RFC3339)),
	}
}

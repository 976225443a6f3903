package x_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/x"
	"github.com/itsecbot/itsecbot/poster/x/xtest"
	"github.com/itsecbot/itsecbot/store"
)

// clock is a settable clock shared by the fake and the client.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestSpentBudgetWaitsAcrossRuns: X reports the user's 24-hour budget
// spent on a 200; later posts, in this run and the next (a new client on
// the reopened database), wait for its reset without calling X.
func TestSpentBudgetWaitsAcrossRuns(t *testing.T) {
	clk := &clock{now: time.Now().UTC()}
	reset := clk.Now().Add(6 * time.Hour).Truncate(time.Second)
	srv := xtest.NewServer(t, xtest.WithClock(clk.Now))
	srv.SetBudget("user", xtest.Budget{Limit: 17, Remaining: 2, Reset: reset})
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	var logs bytes.Buffer
	run := func(texts ...string) []error {
		st := openStore(t, dbPath)
		defer st.Close()
		c := newClient(t, srv, func(c *x.Config) {
			c.State, c.Now = st.StateOf("x"), clk.Now
			c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		})
		var errs []error
		for _, text := range texts {
			_, err := c.Post(t.Context(), poster.Post{Text: text})
			errs = append(errs, err)
		}
		return errs
	}

	errs := run("一 #itsec_jp", "二 #itsec_jp", "三 #itsec_jp")
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("posts within the budget failed: %v", errs)
	}
	checkBudgetWait(t, errs[2], reset.Sub(clk.Now()))
	clk.advance(time.Hour)
	checkBudgetWait(t, run("四 #itsec_jp")[0], reset.Sub(clk.Now()))
	if n := srv.Posts(); n != 2 {
		t.Errorf("X was asked %d times, want 2: no call while the budget is spent", n)
	}
	for _, want := range []string{"budget=user", "limit=17", "x is not called until it resets"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs do not say %q:\n%s", want, logs.String())
		}
	}

	clk.advance(5*time.Hour + time.Second)
	if err := run("五 #itsec_jp")[0]; err != nil {
		t.Errorf("after the reset: %v", err)
	}
	if n := len(srv.Tweets()); n != 3 {
		t.Errorf("%d posts created, want 3", n)
	}
}

func checkBudgetWait(t *testing.T, err error, want time.Duration) {
	t.Helper()
	var pe *poster.Error
	if !errors.As(err, &pe) || pe.Delivered != poster.NotDelivered || pe.Cause != poster.CauseRateLimited {
		t.Fatalf("error %v: want not delivered, rate limited", err)
	}
	if d := pe.RetryAfter - want; d < -2*time.Second || d > 2*time.Second {
		t.Errorf("RetryAfter = %v, want %v", pe.RetryAfter, want)
	}
}

// TestRateLimitedBudgetIsKept: a 429 that says the app's 24-hour budget is
// spent makes later posts wait for that reset, not the 15-minute one.
func TestRateLimitedBudgetIsKept(t *testing.T) {
	clk := &clock{now: time.Now().UTC()}
	reset := clk.Now().Add(20 * time.Hour).Truncate(time.Second)
	srv := xtest.NewServer(t, xtest.WithClock(clk.Now))
	srv.SetBudget("app", xtest.Budget{Limit: 1667, Remaining: 0, Reset: reset})
	c := newClient(t, srv, func(c *x.Config) { c.Now = clk.Now })
	_, err := c.Post(t.Context(), poster.Post{Text: "予算切れ #itsec_jp"})
	checkBudgetWait(t, err, reset.Sub(clk.Now()))
	clk.advance(30 * time.Minute)
	_, err = c.Post(t.Context(), poster.Post{Text: "予算切れ #itsec_jp"})
	checkBudgetWait(t, err, reset.Sub(clk.Now()))
	if n := srv.Posts(); n != 1 {
		t.Errorf("X was asked %d times, want 1", n)
	}
}

// brokenState returns a value that is not what the poster stored.
type brokenState struct{}

func (brokenState) Load(context.Context, string) (string, error) { return "not json", nil }
func (brokenState) Save(context.Context, string, string) error   { return errors.New("disk full") }

func TestUnreadableBudgetStateNeverBlocks(t *testing.T) {
	srv := xtest.NewServer(t)
	srv.SetBudget("user", xtest.Budget{Limit: 2, Remaining: 1, Reset: time.Now().Add(time.Hour)})
	c := newClient(t, srv, func(c *x.Config) { c.State = brokenState{} })
	if _, err := c.Post(t.Context(), poster.Post{Text: "壊れた状態 #itsec_jp"}); err != nil {
		t.Errorf("first post: %v", err)
	}
	if _, err := c.Post(t.Context(), poster.Post{Text: "壊れた状態 2 #itsec_jp"}); poster.CauseOf(err) != poster.CauseRateLimited {
		t.Errorf("second post: %v, want X's own 429", err)
	}
	if n := srv.Posts(); n != 2 {
		t.Errorf("X was asked %d times, want 2: a state that cannot be kept falls back on X's answers", n)
	}
}

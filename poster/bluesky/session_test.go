package bluesky_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/bluesky"
	"github.com/itsecbot/itsecbot/poster/bluesky/blueskytest"
)

func post(t *testing.T, c *bluesky.Client, text string) error {
	t.Helper()
	_, err := c.Post(t.Context(), poster.Post{Text: text})
	return err
}

func mustPost(t *testing.T, c *bluesky.Client, text string) poster.Receipt {
	t.Helper()
	rc, err := c.Post(t.Context(), poster.Post{Text: text})
	if err != nil {
		t.Fatalf("Post(%q): %v", text, err)
	}
	return rc
}

func asPosterError(t *testing.T, err error) *poster.Error {
	t.Helper()
	var pe *poster.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *poster.Error", err, err)
	}
	return pe
}

// storedRefresh returns the refresh token kept in st.
func storedRefresh(t *testing.T, st *poster.MemoryState) string {
	t.Helper()
	raw, _ := st.Load(t.Context(), "session")
	var s struct {
		RefreshJWT string `json:"refresh_jwt"`
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatalf("stored session %q: %v", raw, err)
	}
	return s.RefreshJWT
}

// Each cron run builds a new poster; the session in the database carries
// over, so only the first run logs in.
func TestRunsShareOneLogin(t *testing.T) {
	srv := blueskytest.NewServer(t)
	st := &poster.MemoryState{}
	for run := range 3 {
		c := newClient(t, srv, bluesky.Config{State: st})
		mustPost(t, c, fmt.Sprintf("run %d", run))
	}
	if srv.Logins() != 1 || srv.Refreshes() != 0 || len(srv.Records()) != 3 {
		t.Errorf("logins %d, refreshes %d, records %d; want 1, 0, 3", srv.Logins(), srv.Refreshes(), len(srv.Records()))
	}
}

// An expired access token is refreshed and the post sent; the rotated
// refresh token is saved at once, or the next refresh would be refused.
func TestExpiredAccessTokenIsRefreshed(t *testing.T) {
	srv := blueskytest.NewServer(t)
	st := &poster.MemoryState{}
	mustPost(t, newClient(t, srv, bluesky.Config{State: st}), "first")
	for run := range 2 {
		before := storedRefresh(t, st)
		srv.ExpireAccess()
		mustPost(t, newClient(t, srv, bluesky.Config{State: st}), fmt.Sprintf("after expiry %d", run))
		if after := storedRefresh(t, st); after == before {
			t.Errorf("run %d: the rotated refresh token was not saved (still %q)", run, after)
		}
	}
	if srv.Logins() != 1 || srv.Refreshes() != 2 || len(srv.Records()) != 3 {
		t.Errorf("logins %d, refreshes %d, records %d; want 1, 2, 3", srv.Logins(), srv.Refreshes(), len(srv.Records()))
	}
}

func TestRefusedRefreshTokenLogsInAgain(t *testing.T) {
	srv := blueskytest.NewServer(t)
	st := &poster.MemoryState{}
	mustPost(t, newClient(t, srv, bluesky.Config{State: st}), "first")
	srv.ExpireAccess()
	srv.RevokeRefresh()
	mustPost(t, newClient(t, srv, bluesky.Config{State: st}), "second")
	if srv.Logins() != 2 || len(srv.Records()) != 2 {
		t.Errorf("logins %d, records %d; want 2, 2", srv.Logins(), len(srv.Records()))
	}
}

func TestConcurrentPostsShareOneLoginAndOneRefresh(t *testing.T) {
	srv := blueskytest.NewServer(t)
	c := newClient(t, srv, bluesky.Config{})
	for round := range 2 {
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				if err := post(t, c, fmt.Sprintf("round %d post %d", round, i)); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		srv.ExpireAccess()
	}
	if srv.Logins() != 1 || srv.Refreshes() != 1 || len(srv.Records()) != 12 {
		t.Errorf("logins %d, refreshes %d, records %d; want 1, 1, 12", srv.Logins(), srv.Refreshes(), len(srv.Records()))
	}
}

// A refused app password is not tried by every cron run: logins are few.
func TestRefusedLoginPausesLogins(t *testing.T) {
	srv := blueskytest.NewServer(t)
	st := &poster.MemoryState{}
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	cfg := bluesky.Config{State: st, Password: "wron-gpas-swor-dxxx", Now: func() time.Time { return now }}
	for i, wantLogins := range []int{1, 1} {
		pe := asPosterError(t, post(t, newClient(t, srv, cfg), "x"))
		if pe.Delivered != poster.NotDelivered || pe.Cause != poster.CauseAuth {
			t.Errorf("attempt %d: %v (%v, %v), want not delivered, auth", i, pe, pe.Delivered, pe.Cause)
		}
		if srv.Logins() != wantLogins {
			t.Errorf("attempt %d: logins %d, want %d", i, srv.Logins(), wantLogins)
		}
		if i == 1 && pe.RetryAfter != time.Hour {
			t.Errorf("paused login: RetryAfter %v, want 1h", pe.RetryAfter)
		}
	}
	// check -online tries at once; with the new password it logs in and
	// lifts the pause.
	srv.SetPassword("newp-assw-ordx-xxxx")
	cfg.Password = "newp-assw-ordx-xxxx"
	if _, err := newClient(t, srv, cfg).Verify(t.Context()); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	mustPost(t, newClient(t, srv, cfg), "after the fix")
	if srv.Logins() != 2 {
		t.Errorf("logins %d, want 2", srv.Logins())
	}
}

func TestRateLimitedLogin(t *testing.T) {
	srv := blueskytest.NewServer(t, blueskytest.WithLoginLimit(0))
	pe := asPosterError(t, post(t, newClient(t, srv, bluesky.Config{}), "x"))
	if pe.Delivered != poster.NotDelivered || pe.Cause != poster.CauseRateLimited || pe.RetryAfter != 300*time.Second || pe.Status != 429 {
		t.Errorf("error %v: %v %v retry %v; want not delivered, rate limited, 300s", pe, pe.Delivered, pe.Cause, pe.RetryAfter)
	}
	if srv.Attempts() != 0 {
		t.Errorf("%d createRecord calls without a session", srv.Attempts())
	}
}

func TestVerifyUsesTheStoredSession(t *testing.T) {
	srv := blueskytest.NewServer(t)
	st := &poster.MemoryState{}
	mustPost(t, newClient(t, srv, bluesky.Config{State: st}), "first")
	for range 2 {
		acct, err := newClient(t, srv, bluesky.Config{State: st}).Verify(t.Context())
		if err != nil || acct.Name != "@"+blueskytest.Handle || acct.URL != "https://bsky.app/profile/"+blueskytest.Handle {
			t.Errorf("Verify = %+v, %v", acct, err)
		}
		srv.ExpireAccess()
	}
	if srv.Logins() != 1 || srv.Refreshes() != 1 {
		t.Errorf("logins %d, refreshes %d; want 1, 1", srv.Logins(), srv.Refreshes())
	}
}

func TestStoredSessionOfAnotherAccountIsNotUsed(t *testing.T) {
	srv := blueskytest.NewServer(t)
	st := &poster.MemoryState{}
	mustPost(t, newClient(t, srv, bluesky.Config{State: st}), "as the handle")
	mustPost(t, newClient(t, srv, bluesky.Config{State: st, Identifier: blueskytest.DID}), "as the DID")
	if srv.Logins() != 2 {
		t.Errorf("logins %d, want 2: the identifier changed", srv.Logins())
	}
}

package bluesky_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/bluesky"
)

func realClient(t *testing.T, p *pdsProcess, acct account, st *poster.MemoryState, cnt *counter) *bluesky.Client {
	t.Helper()
	c, err := bluesky.New(bluesky.Config{Service: p.URL, Identifier: acct.Handle, Password: acct.AppPassword,
		State: st, Transport: cnt, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A refresh token the PDS revoked (the session was deleted) makes the
// next run log in again, once.
func TestRealPDSRevokedSessionLogsInAgain(t *testing.T) {
	p := pds(t)
	acct := p.newAccount(t, "revoked.test")
	st, cnt := &poster.MemoryState{}, newCounter()
	mustPost(t, realClient(t, p, acct, st, cnt), "最初の投稿 #itsec_jp")

	raw, _ := st.Load(t.Context(), "session")
	var s map[string]string
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	p.call(t, "com.atproto.server.deleteSession", s["refresh_jwt"], nil, noInput{}, nil)
	s["access_jwt"] = p.expired(t, s["access_jwt"])
	b, _ := json.Marshal(s)
	st.Save(t.Context(), "session", string(b))

	mustPost(t, realClient(t, p, acct, st, cnt), "次の投稿 #itsec_jp")
	if cnt.count("com.atproto.server.createSession") != 2 || cnt.count("com.atproto.server.refreshSession") != 1 {
		t.Errorf("calls %s; want 2 logins around one refused refresh", cnt)
	}
	if n := len(p.records(t, acct.DID)); n != 2 {
		t.Errorf("%d records, want 2", n)
	}
}

// A refused app password waits; the next run does not spend a login.
func TestRealPDSRefusedAppPassword(t *testing.T) {
	p := pds(t)
	acct := p.newAccount(t, "refused.test")
	acct.AppPassword = "aaaa-bbbb-cccc-dddd"
	st, cnt := &poster.MemoryState{}, newCounter()
	for run := range 2 {
		pe := asPosterError(t, post(t, realClient(t, p, acct, st, cnt), "x"))
		if pe.Delivered != poster.NotDelivered || pe.Cause != poster.CauseAuth || pe.RetryAfter < 59*time.Minute {
			t.Errorf("run %d: %v (%v, %v, retry after %v); want not delivered, auth, an hour", run, pe, pe.Delivered, pe.Cause, pe.RetryAfter)
		}
	}
	if cnt.count("com.atproto.server.createSession") != 1 || cnt.count("com.atproto.repo.createRecord") != 0 {
		t.Errorf("calls %s; want one login, no post", cnt)
	}
}

// slowRealPDS runs the real-server tests that take long.
var slowRealPDS = flag.Bool("realpds.slow", false, "also run the slow reference-PDS tests (30 refused logins, about 30 s)")

// The PDS allows 30 logins per 5 minutes per account, refused ones
// included; the 429 says when to come back.
func TestRealPDSLoginRateLimit(t *testing.T) {
	if !*slowRealPDS {
		t.Skip("30 refused logins take about 30 s: run with -realpds.slow")
	}
	p := pds(t)
	acct := p.newAccount(t, "limited.test")
	acct.AppPassword = "aaaa-bbbb-cccc-dddd"
	cnt := newCounter()
	for i := range 40 {
		// A fresh state each time: no pause, as if the database were lost.
		pe := asPosterError(t, post(t, realClient(t, p, acct, &poster.MemoryState{}, cnt), "x"))
		if pe.Status == http.StatusUnauthorized {
			continue
		}
		if pe.Delivered != poster.NotDelivered || pe.Cause != poster.CauseRateLimited || pe.RetryAfter < time.Second || pe.RetryAfter > 5*time.Minute {
			t.Errorf("login %d: %v (%v, %v, retry after %v); want not delivered, rate limited, under 5 min", i+1, pe, pe.Delivered, pe.Cause, pe.RetryAfter)
		}
		t.Logf("login %d refused with 429, retry after %v", i+1, pe.RetryAfter)
		return
	}
	t.Errorf("no 429 after 40 logins (%s)", cnt)
}

// A record the PDS's lexicon refuses (here a bad language tag) is a
// refusal of the content, not of the account.
func TestRealPDSRefusesInvalidRecord(t *testing.T) {
	p := pds(t)
	acct := p.newAccount(t, "invalid.test")
	c, err := bluesky.New(bluesky.Config{Service: p.URL, Identifier: acct.Handle, Password: acct.AppPassword,
		Languages: []string{"not a language"}})
	if err != nil {
		t.Fatal(err)
	}
	pe := asPosterError(t, post(t, c, "x"))
	if pe.Delivered != poster.Rejected || pe.Cause != poster.CauseInvalid || pe.Status != http.StatusBadRequest {
		t.Errorf("%v (%v, %v); want rejected, invalid, 400", pe, pe.Delivered, pe.Cause)
	}
}

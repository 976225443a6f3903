package misskey_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/misskey"
	"github.com/itsecbot/itsecbot/poster/misskey/misskeytest"
	"github.com/itsecbot/itsecbot/textlen"
)

// TestRecentPagesBackToSince posts 230 notes a minute apart, every third
// a reply, and reads back from several points in time.
func TestRecentPagesBackToSince(t *testing.T) {
	start := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	now := start
	srv := misskeytest.NewServer(t, misskeytest.WithClock(func() time.Time { return now }))
	c := newClient(t, srv, misskey.Config{})
	var ids []string
	for i := range 230 {
		p := poster.Post{Text: fmt.Sprintf("`note` %d", i)}
		if i%3 == 2 {
			p.InReplyTo = ids[i-1]
		}
		rc, err := c.Post(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rc.ID)
		now = now.Add(time.Minute)
	}
	for _, back := range []int{0, 1, 99, 100, 101, 230} {
		since := start.Add(time.Duration(230-back) * time.Minute)
		got, err := c.Recent(t.Context(), since)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != back {
			t.Fatalf("Recent(%d minutes back) = %d notes, want %d", back, len(got), back)
		}
		for j, r := range got {
			i := 229 - j
			wantReply := ""
			if i%3 == 2 {
				wantReply = ids[i-1]
			}
			if r.ID != ids[i] || r.Text != fmt.Sprintf("`note` %d", i) || r.InReplyTo != wantReply ||
				!r.Created.Equal(start.Add(time.Duration(i)*time.Minute)) || r.URL != srv.URL+"/notes/"+ids[i] {
				t.Fatalf("Recent[%d] = %+v, want note %d (%s) replying to %q", j, r, i, ids[i], wantReply)
			}
		}
	}
}

func TestReadsRefused(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*misskeytest.Server)
		cause poster.Cause
	}{
		{"revoked token", func(s *misskeytest.Server) { s.SetToken("other") }, poster.CauseAuth},
		{"rate-limited", func(s *misskeytest.Server) { s.FailReads(http.StatusTooManyRequests) }, poster.CauseRateLimited},
		{"down", func(s *misskeytest.Server) { s.FailReads(http.StatusBadGateway) }, poster.CauseUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := misskeytest.NewServer(t)
			c := newClient(t, srv, misskey.Config{})
			tt.setup(srv)
			_, verr := c.Verify(t.Context())
			_, rerr := c.Recent(t.Context(), time.Now().Add(-time.Hour))
			for _, err := range []error{verr, rerr} {
				if poster.DeliveryOf(err) != poster.NotDelivered || poster.CauseOf(err) != tt.cause {
					t.Errorf("read error = %v, want not delivered, %v", err, tt.cause)
				}
				if err != nil && strings.Contains(err.Error(), srv.Token) {
					t.Errorf("error %q leaks the token", err)
				}
			}
		})
	}
}

func TestVerify(t *testing.T) {
	srv := misskeytest.NewServer(t)
	c := newClient(t, srv, misskey.Config{})
	acct, err := c.Verify(t.Context())
	host := strings.TrimPrefix(srv.URL, "http://")
	if err != nil || acct.Name != "@bot@"+host || acct.URL != srv.URL+"/@bot" {
		t.Errorf("Verify = %+v, %v; want @bot@%s at %s/@bot", acct, err, host, srv.URL)
	}
}

// TestLimitsFromMeta: the limit is read once; a failed lookup gives the
// default with the error and is tried again.
func TestLimitsFromMeta(t *testing.T) {
	srv := misskeytest.NewServer(t, misskeytest.WithMaxNoteLength(5000))
	c := newClient(t, srv, misskey.Config{})
	srv.FailMeta(http.StatusBadGateway)
	spec, err := c.Limits(t.Context())
	want := textlen.Spec{Platform: textlen.PlatformMisskey, Limit: 3000, Reserved: 30}
	if err == nil || spec != want {
		t.Errorf("Limits with meta down = %+v, %v; want %+v and an error", spec, err, want)
	}
	srv.FailMeta(0)
	want = textlen.Spec{Platform: textlen.PlatformMisskey, Limit: 5000, Reserved: 50}
	for range 3 {
		if spec, err := c.Limits(t.Context()); err != nil || spec != want {
			t.Errorf("Limits = %+v, %v; want %+v", spec, err, want)
		}
	}
	if got := srv.MetaRequests(); got != 2 {
		t.Errorf("%d meta requests, want 2: the failed one and one cached", got)
	}
	// While meta is down and nothing is known, posts are still sent: the
	// server decides on their length.
	c2 := newClient(t, srv, misskey.Config{})
	srv.FailMeta(http.StatusBadGateway)
	if _, err := c2.Post(t.Context(), poster.Post{Text: strings.Repeat("あ", 4000)}); err != nil {
		t.Errorf("Post with meta down: %v", err)
	}
}

// TestRecentSaysWhenItStopsShort: more notes after since than its pages
// hold is not an answer that the post asked about is absent.
func TestRecentSaysWhenItStopsShort(t *testing.T) {
	start := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	now := start
	srv := misskeytest.NewServer(t, misskeytest.WithClock(func() time.Time { return now }))
	c := newClient(t, srv, misskey.Config{})
	for i := range 501 {
		if _, err := c.Post(t.Context(), poster.Post{Text: fmt.Sprintf("note %d", i)}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
	}
	got, err := c.Recent(t.Context(), start)
	if !errors.Is(err, poster.ErrReadBackShort) || len(got) != 500 || got[0].Text != "note 500" {
		t.Errorf("Recent = %d notes, %v; want the newest 500 and ErrReadBackShort", len(got), err)
	}
	if got, err := c.Recent(t.Context(), start.Add(2*time.Minute)); err != nil || len(got) != 499 {
		t.Errorf("Recent of 499 = %d notes, %v; want all, complete", len(got), err)
	}
}

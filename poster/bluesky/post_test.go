package bluesky_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/bluesky"
	"github.com/itsecbot/itsecbot/poster/bluesky/blueskytest"
)

// The fake fails the test on wrong facets or reply references; this pins
// the rest of the record.
func TestPostSendsRecordAndThread(t *testing.T) {
	srv := blueskytest.NewServer(t)
	now := time.Date(2026, 11, 22, 9, 30, 0, 0, time.FixedZone("JST", 9*3600))
	c := newClient(t, srv, bluesky.Config{Languages: []string{"ja", "en"}, Now: func() time.Time { return now }})
	texts := []string{
		"【注意喚起】ＸＸＸ製品の脆弱性 https://www.jpcert.or.jp/at/2026/at260001.html #itsec_jp",
		"続き: 影響を受ける製品 🇯🇵 https://jvn.jp/vu/JVNVU12345678/ #itsec_jp #JVN",
		"(3/3) https://example.com/a_(b) ＃脆弱性",
	}
	var ids []string
	for _, text := range texts {
		var replyTo string
		if len(ids) > 0 {
			replyTo = ids[len(ids)-1]
		}
		rc, err := c.Post(t.Context(), poster.Post{Text: text, InReplyTo: replyTo})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rc.ID)
		rec := srv.Records()[len(ids)-1]
		if want := "https://bsky.app/profile/" + blueskytest.DID + "/post/" + rec.URI[strings.LastIndex(rec.URI, "/")+1:]; rc.URL != want {
			t.Errorf("receipt URL %q, want %q", rc.URL, want)
		}
	}
	recs := srv.Records()
	for i, rec := range recs {
		if rec.Text != texts[i] || rec.CreatedAt != "2026-11-22T00:30:00.000Z" || !slices.Equal(rec.Langs, []string{"ja", "en"}) {
			t.Errorf("record %d: %q at %s langs %q", i, rec.Text, rec.CreatedAt, rec.Langs)
		}
	}
	wantFacets := []int{2, 3, 2} // link + tag, link + 2 tags, link + full-width tag
	for i, rec := range recs {
		if len(rec.Facets) != wantFacets[i] {
			t.Errorf("record %d has %d facets, want %d: %+v", i, len(rec.Facets), wantFacets[i], rec.Facets)
		}
	}
	if recs[0].Reply != nil || recs[2].Reply == nil || recs[2].Reply.Root.URI != recs[0].URI || recs[2].Reply.Parent.URI != recs[1].URI {
		t.Errorf("thread references wrong: %+v, %+v", recs[0].Reply, recs[2].Reply)
	}
}

// A text over the lexicon's limits is refused before any request: the
// PDS would refuse it too, after a login.
func TestTooLongIsNeverSent(t *testing.T) {
	family := "👨\u200d👩\u200d👧" // one grapheme, 18 bytes
	tests := []struct {
		name      string
		text      string
		wantLimit int
	}{
		{"301 graphemes", strings.Repeat("あ", 301), 300},
		{"3001+ bytes in 200 graphemes", strings.Repeat(family, 200), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := blueskytest.NewServer(t)
			pe := asPosterError(t, post(t, newClient(t, srv, bluesky.Config{}), tt.text))
			if pe.Delivered != poster.Rejected || pe.Cause != poster.CauseTooLong || pe.Limit != tt.wantLimit {
				t.Errorf("error %v: %v %v limit %d; want rejected, too long, limit %d", pe, pe.Delivered, pe.Cause, pe.Limit, tt.wantLimit)
			}
			if srv.Logins() != 0 || srv.Attempts() != 0 {
				t.Errorf("logins %d, createRecord calls %d; want none", srv.Logins(), srv.Attempts())
			}
		})
	}
}

func TestReplyToSomethingElseIsRefused(t *testing.T) {
	srv := blueskytest.NewServer(t)
	c := newClient(t, srv, bluesky.Config{})
	for _, target := range []string{"112345678900000001", "at://did:plc:x/app.bsky.feed.post/3abc", "https://bsky.app/x|cid"} {
		_, err := c.Post(t.Context(), poster.Post{Text: "reply", InReplyTo: target})
		if pe := asPosterError(t, err); pe.Delivered != poster.Rejected || pe.Cause != poster.CauseReplyGone {
			t.Errorf("reply to %q: %v (%v, %v), want rejected, reply gone", target, err, pe.Delivered, pe.Cause)
		}
	}
	if srv.Attempts() != 0 {
		t.Errorf("%d createRecord calls", srv.Attempts())
	}
}

func TestPostErrors(t *testing.T) {
	reset := strconv.FormatInt(time.Now().Add(90*time.Second).Unix(), 10)
	windowHeaders := http.Header{"Ratelimit-Remaining": {"4000"}, "Ratelimit-Reset": {reset}}
	tests := []struct {
		name      string
		fault     blueskytest.Fault
		delivered poster.Delivery
		cause     poster.Cause
		limit     int
		retry     bool // RetryAfter about 90s
	}{
		{"grapheme refusal", blueskytest.Fault{Status: 400, Code: "InvalidRequest",
			Message: "Invalid app.bsky.feed.post record: grapheme too big (maximum 300, got 301) at $.record.text"},
			poster.Rejected, poster.CauseTooLong, 300, false},
		{"byte refusal", blueskytest.Fault{Status: 400, Code: "InvalidRequest",
			Message: "Invalid app.bsky.feed.post record: string too big (maximum 3000, got 3001) at $.record.text"},
			poster.Rejected, poster.CauseTooLong, 0, false},
		{"old length message", blueskytest.Fault{Status: 400, Code: "InvalidRequest",
			Message: "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"},
			poster.Rejected, poster.CauseTooLong, 300, false},
		{"tag too big is invalid", blueskytest.Fault{Status: 400, Code: "InvalidRequest",
			Message: "Invalid app.bsky.feed.post record: string too big (maximum 640, got 700) at $.record.facets[0].features[0].tag"},
			poster.Rejected, poster.CauseInvalid, 0, false},
		{"account taken down", blueskytest.Fault{Status: 400, Code: "AccountTakedown", Message: "Account has been taken down"},
			poster.NotDelivered, poster.CauseAuth, 0, false},
		{"forbidden", blueskytest.Fault{Status: 403, Code: "Forbidden"}, poster.NotDelivered, poster.CauseAuth, 0, false},
		{"not a PDS", blueskytest.Fault{Status: 404}, poster.NotDelivered, poster.CauseAuth, 0, false},
		{"rate limited", blueskytest.Fault{Status: 429, Code: "RateLimitExceeded", Header: windowHeaders},
			poster.NotDelivered, poster.CauseRateLimited, 0, true},
		{"unavailable", blueskytest.Fault{Status: 503, Header: windowHeaders}, poster.NotDelivered, poster.CauseUnavailable, 0, true},
		{"500 keeps no window wait", blueskytest.Fault{Status: 500, Header: windowHeaders}, poster.Unknown, poster.CauseUnavailable, 0, false},
		{"bad gateway", blueskytest.Fault{Status: 502}, poster.Unknown, poster.CauseUnavailable, 0, false},
		{"dropped before storing", blueskytest.Fault{Drop: true}, poster.Unknown, poster.CauseUnavailable, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := blueskytest.NewServer(t)
			srv.Inject(tt.fault)
			pe := asPosterError(t, post(t, newClient(t, srv, bluesky.Config{}), "x"))
			retry := pe.RetryAfter > 60*time.Second && pe.RetryAfter <= 90*time.Second
			if pe.Delivered != tt.delivered || pe.Cause != tt.cause || pe.Limit != tt.limit || retry != tt.retry {
				t.Errorf("error %v: %v, %v, limit %d, retry after %v; want %v, %v, limit %d, retry %v",
					pe, pe.Delivered, pe.Cause, pe.Limit, pe.RetryAfter, tt.delivered, tt.cause, tt.limit, tt.retry)
			}
		})
	}
}

func TestErrorsNeverShowSecrets(t *testing.T) {
	srv := blueskytest.NewServer(t)
	c := newClient(t, srv, bluesky.Config{})
	mustPost(t, c, "log in first")
	srv.Inject(blueskytest.Fault{Status: 400, Code: "InvalidRequest",
		Message: "echo: access-1 refresh-1 " + blueskytest.AppPassword})
	err := post(t, c, "x")
	for _, secret := range []string{"access-1", "refresh-1", blueskytest.AppPassword} {
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("error %v shows %q", err, secret)
		}
	}
}

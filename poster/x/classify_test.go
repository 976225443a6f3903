package x_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/x"
	"github.com/itsecbot/itsecbot/poster/x/xtest"
)

func epoch(d time.Duration) string { return strconv.FormatInt(time.Now().Add(d).Unix(), 10) }

func TestPostClassifiesXAnswers(t *testing.T) {
	token := xtest.DefaultCredentials.AccessToken
	tests := []struct {
		name        string
		fault       xtest.Fault
		delivered   poster.Delivery
		cause       poster.Cause
		retryAfter  time.Duration // about; 0 means none
		wantMessage string
	}{
		{"401", xtest.Fault{Status: 401}, poster.NotDelivered, poster.CauseAuth, 0, "Unauthorized"},
		{"402 credits spent", xtest.Fault{Status: 402}, poster.NotDelivered, poster.CauseAuth, 0, "Payment Required"},
		{"403 code 453 access level", xtest.Fault{Status: 403, Body: `{"errors":[{"message":"You currently have access to a ` +
			`subset of X API V2 endpoints and limited v1.1 endpoints (e.g. media post, oauth) only.","code":453}]}`},
			poster.NotDelivered, poster.CauseAuth, 0, "subset of X API"},
		{"403 client not enrolled", xtest.Fault{Status: 403, Body: `{"client_id":"29053451","detail":"When authenticating ` +
			`requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached ` +
			`to a Project.","title":"Client Forbidden","required_enrollment":"Appropriate Level of API Access",` +
			`"reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}`},
			poster.NotDelivered, poster.CauseAuth, 0, "attached to a Project"},
		{"403 duplicate", xtest.Fault{Status: 403, Body: `{"detail":"` + xtest.DuplicateDetail + `","type":"about:blank","title":"Forbidden","status":403}`},
			poster.Rejected, poster.CauseDuplicate, 0, "duplicate content"},
		{"400 too long", xtest.Fault{Status: 400, Body: `{"detail":"` + xtest.TooLongDetail + `","type":"about:blank","title":"Bad Request","status":400}`},
			poster.Rejected, poster.CauseTooLong, 0, "too long"},
		{"403 too long", xtest.Fault{Status: 403, Body: `{"errors":[{"message":"Your Tweet text is too long."}],"title":"Forbidden"}`},
			poster.Rejected, poster.CauseTooLong, 0, "too long"},
		{"400 invalid", xtest.Fault{Status: 400, Body: `{"errors":[{"message":"text: must not be blank"}],"title":"Invalid Request",` +
			`"detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`},
			poster.Rejected, poster.CauseInvalid, 0, "must not be blank"},
		{"404 wrong api url", xtest.Fault{Status: 404}, poster.NotDelivered, poster.CauseAuth, 0, "Not Found"},
		{"301 moved", xtest.Fault{Status: 301, Header: http.Header{"Location": {"https://elsewhere.example/2/tweets"}}, Body: "{}"},
			poster.NotDelivered, poster.CauseAuth, 0, ""},
		{"429 window", xtest.Fault{Status: 429, Header: http.Header{"X-Rate-Limit-Reset": {epoch(90 * time.Second)}}},
			poster.NotDelivered, poster.CauseRateLimited, 90 * time.Second, "Too Many Requests"},
		{"429 user budget spent", xtest.Fault{Status: 429, Header: http.Header{"X-Rate-Limit-Reset": {epoch(90 * time.Second)},
			"X-User-Limit-24hour-Remaining": {"0"}, "X-User-Limit-24hour-Reset": {epoch(5 * time.Hour)}}},
			poster.NotDelivered, poster.CauseRateLimited, 5 * time.Hour, ""},
		{"429 app budget spent", xtest.Fault{Status: 429, Header: http.Header{"X-Rate-Limit-Reset": {epoch(90 * time.Second)},
			"X-App-Limit-24hour-Remaining": {"0"}, "X-App-Limit-24hour-Reset": {epoch(7 * time.Hour)},
			"X-User-Limit-24hour-Remaining": {"12"}, "X-User-Limit-24hour-Reset": {epoch(9 * time.Hour)}}},
			poster.NotDelivered, poster.CauseRateLimited, 7 * time.Hour, ""},
		{"503 with Retry-After", xtest.Fault{Status: 503, Header: http.Header{"Retry-After": {"120"}}},
			poster.NotDelivered, poster.CauseUnavailable, 120 * time.Second, ""},
		// The fake sends x-rate-limit-reset on every answer: only a 429 waits for it.
		{"503", xtest.Fault{Status: 503}, poster.NotDelivered, poster.CauseUnavailable, 0, ""},
		{"500", xtest.Fault{Status: 500}, poster.Unknown, poster.CauseUnavailable, 0, ""},
		{"502 not json", xtest.Fault{Status: 502, Body: "<html>Bad Gateway</html>"}, poster.Unknown, poster.CauseUnavailable, 0, ""},
		{"504", xtest.Fault{Status: 504}, poster.Unknown, poster.CauseUnavailable, 0, ""},
		{"201 without id", xtest.Fault{Status: 201, Body: `{"data":{"text":"x"}}`}, poster.Unknown, poster.CauseUnavailable, 0, ""},
		{"200 cut short", xtest.Fault{Status: 200, Body: `{"data":{"id":"18`}, poster.Unknown, poster.CauseUnavailable, 0, ""},
		{"echoes the token", xtest.Fault{Status: 401, Body: `{"detail":"bad token ` + token + `"}`}, poster.NotDelivered, poster.CauseAuth, 0, "<redacted>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := xtest.NewServer(t)
			c := newClient(t, srv, nil)
			srv.Inject(tt.fault)
			_, err := c.Post(t.Context(), poster.Post{Text: "分類の確認 https://jvn.jp/ #itsec_jp"})
			var pe *poster.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *poster.Error", err)
			}
			if pe.Delivered != tt.delivered || pe.Cause != tt.cause {
				t.Errorf("%v: delivered %v, cause %v; want %v, %v", err, pe.Delivered, pe.Cause, tt.delivered, tt.cause)
			}
			if d := pe.RetryAfter - tt.retryAfter; d < -3*time.Second || d > 3*time.Second {
				t.Errorf("RetryAfter = %v, want about %v", pe.RetryAfter, tt.retryAfter)
			}
			if !strings.Contains(err.Error(), tt.wantMessage) || strings.Contains(err.Error(), token) {
				t.Errorf("error %q: want it to say %q and never the token", err, tt.wantMessage)
			}
			if pe.Poster != x.DefaultName {
				t.Errorf("Poster = %q", pe.Poster)
			}
		})
	}
}

func TestPostRefusals(t *testing.T) {
	srv := xtest.NewServer(t)
	c := newClient(t, srv, nil)
	ctx := t.Context()
	first, err := c.Post(ctx, poster.Post{Text: "同じ文 #itsec_jp"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Post(ctx, poster.Post{Text: "同じ文 #itsec_jp"})
	if poster.DeliveryOf(err) != poster.Rejected || poster.CauseOf(err) != poster.CauseDuplicate {
		t.Errorf("repeat: %v, want rejected as a duplicate", err)
	}
	_, err = c.Post(ctx, poster.Post{Text: "返信 #itsec_jp", InReplyTo: "1234"})
	if poster.DeliveryOf(err) != poster.Rejected || poster.CauseOf(err) != poster.CauseReplyGone {
		t.Errorf("reply to a missing post: %v, want rejected, reply gone", err)
	}
	if _, err := c.Post(ctx, poster.Post{Text: "返信 #itsec_jp", InReplyTo: first.ID}); err != nil {
		t.Errorf("reply: %v", err)
	}
	srv.SetCredentials(xtest.Credentials{ConsumerKey: "k", ConsumerSecret: "s", AccessToken: "new", AccessTokenSecret: "t"})
	_, err = c.Post(ctx, poster.Post{Text: "失効後 #itsec_jp"})
	if poster.DeliveryOf(err) != poster.NotDelivered || poster.CauseOf(err) != poster.CauseAuth {
		t.Errorf("revoked token: %v, want not delivered, auth", err)
	}
	if got := len(srv.Tweets()); got != 2 {
		t.Errorf("%d posts created, want 2", got)
	}
}

func TestPostWithoutConnectionIsNotDelivered(t *testing.T) {
	srv := xtest.NewServer(t)
	c := newClient(t, srv, func(c *x.Config) { c.APIURL = "http://127.0.0.1:1" })
	_, err := c.Post(t.Context(), poster.Post{Text: "接続不可 #itsec_jp"})
	if poster.DeliveryOf(err) != poster.NotDelivered || poster.CauseOf(err) != poster.CauseUnavailable {
		t.Errorf("%v: want not delivered, unavailable", err)
	}
}

func TestPostSendsJSONAndReceiptURL(t *testing.T) {
	for _, tt := range []struct{ username, prefix string }{
		{"", "https://x.com/i/web/status/"},
		{"itsecbot_jp", "https://x.com/itsecbot_jp/status/"},
	} {
		srv := xtest.NewServer(t)
		c := newClient(t, srv, func(c *x.Config) { c.Username, c.UserAgent = tt.username, "itsecbot/test" })
		first, err := c.Post(t.Context(), poster.Post{Text: "一つ目 \"引用\" https://jvn.jp/", IdempotencyKey: "k1"})
		if err != nil {
			t.Fatal(err)
		}
		second, err := c.Post(t.Context(), poster.Post{Text: "二つ目", InReplyTo: first.ID})
		if err != nil {
			t.Fatal(err)
		}
		if first.URL != tt.prefix+first.ID || second.URL != tt.prefix+second.ID {
			t.Errorf("receipts %+v %+v, want URLs %s<id>", first, second, tt.prefix)
		}
		want := []string{
			`{"text":"一つ目 \"引用\" https://jvn.jp/"}`,
			`{"text":"二つ目","reply":{"in_reply_to_tweet_id":"` + first.ID + `"}}`,
		}
		for i, a := range srv.Attempts() {
			if a.Body != want[i] || a.UserAgent != "itsecbot/test" || a.ContentType != "application/json" {
				t.Errorf("request %d: body %s, User-Agent %q, Content-Type %q; want %s", i, a.Body, a.UserAgent, a.ContentType, want[i])
			}
		}
	}
}

package misskey_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/misskey"
	"github.com/itsecbot/itsecbot/poster/misskey/misskeytest"
)

func TestPostSendsWhatMisskeyTakes(t *testing.T) {
	srv := misskeytest.NewServer(t)
	c := newClient(t, srv, misskey.Config{CW: "脆弱性情報", UserAgent: "itsecbot/test"})
	first, err := c.Post(t.Context(), poster.Post{Text: "【JVN】**重要** `foo()` の脆弱性\nhttps://jvn.jp/vu/JVNVU1/ #itsec_jp"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Post(t.Context(), poster.Post{Text: "続き", InReplyTo: first.ID}); err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/notes/" + first.ID; first.URL != want {
		t.Errorf("receipt URL = %q, want %q", first.URL, want)
	}
	attempts := srv.Attempts()
	sent, _ := misskey.Neutralise("【JVN】**重要** `foo()` の脆弱性\nhttps://jvn.jp/vu/JVNVU1/ #itsec_jp")
	want := []map[string]any{
		{"text": sent, "visibility": "home", "cw": "脆弱性情報"},
		{"text": "続き", "visibility": "home", "cw": "脆弱性情報", "replyId": first.ID},
	}
	for i, a := range attempts {
		if !sameBody(a.Body, want[i]) || a.UserAgent != "itsecbot/test" {
			t.Errorf("attempt %d: body %v, User-Agent %q; want %v, itsecbot/test", i, a.Body, a.UserAgent, want[i])
		}
	}
	if notes := srv.Notes(); len(notes) != 2 || notes[1].ReplyID != first.ID || notes[0].Visibility != "home" {
		t.Errorf("notes = %+v, want a home thread of two", notes)
	}
}

func sameBody(got, want map[string]any) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// TestPostErrors checks how each answer of notes/create is classified.
func TestPostErrors(t *testing.T) {
	tests := []struct {
		name       string
		fault      misskeytest.Fault
		delivered  poster.Delivery
		cause      poster.Cause
		retryAfter time.Duration
		stored     int // notes on the server afterwards
	}{
		{"429 with Retry-After", misskeytest.Fault{Status: 429, Header: http.Header{"Retry-After": {"120"}}},
			poster.NotDelivered, poster.CauseRateLimited, 120 * time.Second, 0},
		{"429 from a proxy without headers", misskeytest.Fault{Status: 429, Page: "<html>Too Many Requests</html>"},
			poster.NotDelivered, poster.CauseRateLimited, misskey.RateLimitFallback, 0},
		{"202 PROCESSING: the note is being created", misskeytest.Fault{Status: 202, Publish: true},
			poster.Unknown, poster.CauseOther, 0, 1},
		{"403 of an older server", misskeytest.Fault{Status: 403, Code: "AUTHENTICATION_FAILED"},
			poster.NotDelivered, poster.CauseAuth, 0, 0},
		{"400 PERMISSION_DENIED of an older server", misskeytest.Fault{Status: 400, Code: "PERMISSION_DENIED"},
			poster.NotDelivered, poster.CauseAuth, 0, 0},
		{"suspended account", misskeytest.Fault{Status: 403, Code: "YOUR_ACCOUNT_SUSPENDED"},
			poster.NotDelivered, poster.CauseAuth, 0, 0},
		{"prohibited words", misskeytest.Fault{Status: 400, Code: "CONTAINS_PROHIBITED_WORDS"},
			poster.Rejected, poster.CauseInvalid, 0, 0},
		{"invalid visibility", misskeytest.Fault{Status: 400, Code: "INVALID_PARAM",
			Info: map[string]string{"param": "#/properties/visibility/enum", "reason": "must be equal to one of the allowed values"}},
			poster.Rejected, poster.CauseInvalid, 0, 0},
		{"500 after storing", misskeytest.Fault{Status: 500, Publish: true}, poster.Unknown, poster.CauseUnavailable, 0, 1},
		{"502 of a proxy", misskeytest.Fault{Status: 502, Page: "<html>502 Bad Gateway</html>"}, poster.Unknown, poster.CauseUnavailable, 0, 0},
		{"503 maintenance", misskeytest.Fault{Status: 503, Header: http.Header{"Retry-After": {"300"}}},
			poster.NotDelivered, poster.CauseUnavailable, 300 * time.Second, 0},
		{"404: not a Misskey API", misskeytest.Fault{Status: 404}, poster.NotDelivered, poster.CauseAuth, 0, 0},
		{"301: the server moved", misskeytest.Fault{Status: 301, Header: http.Header{"Location": {"https://elsewhere.example/"}}},
			poster.NotDelivered, poster.CauseAuth, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := misskeytest.NewServer(t)
			c := newClient(t, srv, misskey.Config{})
			srv.Inject(tt.fault)
			_, err := c.Post(t.Context(), poster.Post{Text: "注意喚起 #itsec_jp"})
			var pe *poster.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Post error = %v, want a *poster.Error", err)
			}
			if pe.Delivered != tt.delivered || pe.Cause != tt.cause || pe.RetryAfter != tt.retryAfter {
				t.Errorf("Post error = %v (%v, %v, retry after %v); want %v, %v, %v",
					err, pe.Delivered, pe.Cause, pe.RetryAfter, tt.delivered, tt.cause, tt.retryAfter)
			}
			if got := len(srv.Notes()); got != tt.stored {
				t.Errorf("%d notes stored, want %d", got, tt.stored)
			}
		})
	}
}

func TestPostReplyGone(t *testing.T) {
	srv := misskeytest.NewServer(t)
	c := newClient(t, srv, misskey.Config{})
	_, err := c.Post(t.Context(), poster.Post{Text: "続き", InReplyTo: "9zgone000001"})
	if poster.DeliveryOf(err) != poster.Rejected || poster.CauseOf(err) != poster.CauseReplyGone {
		t.Errorf("reply to a deleted note: %v (%v, %v), want rejected, reply target gone", err, poster.DeliveryOf(err), poster.CauseOf(err))
	}
}

func TestPostRevokedTokenIsAuthAndNeverPrinted(t *testing.T) {
	srv := misskeytest.NewServer(t)
	c := newClient(t, srv, misskey.Config{})
	srv.SetToken("a-new-token")
	_, err := c.Post(t.Context(), poster.Post{Text: "注意喚起"})
	if poster.DeliveryOf(err) != poster.NotDelivered || poster.CauseOf(err) != poster.CauseAuth {
		t.Errorf("revoked token: %v, want not delivered, auth", err)
	}
	if err == nil || !strings.Contains(err.Error(), "AUTHENTICATION_FAILED") || strings.Contains(err.Error(), srv.Token) {
		t.Errorf("error %q should name the code and never the token", err)
	}
}

// TestPostTokenEchoedIsRedacted: a proxy that echoes the request must not
// make the token printable.
func TestPostTokenEchoedIsRedacted(t *testing.T) {
	const token = "s3cret-misskey-token"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"code":"BAD","message":"bad ` + r.Header.Get("Authorization") + `"}}`))
	}))
	defer echo.Close()
	c, err := misskey.New(misskey.Config{Server: echo.URL, AccessToken: token})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Post(t.Context(), poster.Post{Text: "x"})
	if err == nil || strings.Contains(err.Error(), token) {
		t.Errorf("error %q leaks the token", err)
	}
}

func TestPostConnectionRefusedIsNotDelivered(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := misskey.New(misskey.Config{Server: "http://" + addr, AccessToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Post(t.Context(), poster.Post{Text: "x"})
	if poster.DeliveryOf(err) != poster.NotDelivered || poster.CauseOf(err) != poster.CauseUnavailable {
		t.Errorf("connection refused: %v, want not delivered, unavailable", err)
	}
}

// TestPostKeepsRoomForEscapes: the rule Limits states keeps room for the
// escapes; a text that needs more is refused before sending, with the
// limit that would have fitted it.
func TestPostKeepsRoomForEscapes(t *testing.T) {
	srv := misskeytest.NewServer(t, misskeytest.WithMaxNoteLength(100))
	c := newClient(t, srv, misskey.Config{})
	spec, err := c.Limits(t.Context())
	if err != nil || spec.Limit != 100 || spec.Reserved != 10 {
		t.Fatalf("Limits = %+v, %v; want 100 with 10 reserved", spec, err)
	}
	tests := []struct {
		name  string
		text  string
		err   bool
		limit int
	}{
		{"fits with its escapes", strings.Repeat("a", 84) + " **x**", false, 0}, // 90 + 3
		{"over the rule", strings.Repeat("あ", 91), true, 0},
		{"escapes past the server's limit", strings.Repeat("a", 74) + strings.Repeat("**", 8), true, 85}, // 90 + 15
	}
	for _, tt := range tests {
		_, err := c.Post(t.Context(), poster.Post{Text: tt.text})
		var pe *poster.Error
		switch {
		case !tt.err && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.err && (!errors.As(err, &pe) || pe.Delivered != poster.Rejected || pe.Cause != poster.CauseTooLong || pe.Limit != tt.limit):
			t.Errorf("%s: %v, want rejected as too long with limit %d", tt.name, err, tt.limit)
		}
	}
	if got := len(srv.Attempts()); got != 1 {
		t.Errorf("%d requests, want only the text that fits sent", got)
	}
}

// TestPostServerCountingLess: a server that refuses a text it announced
// room for states its limit; the limit given back is for the text as
// composed, before the escapes.
func TestPostServerCountingLess(t *testing.T) {
	srv := misskeytest.NewServer(t, misskeytest.WithEnforcedLength(500))
	c := newClient(t, srv, misskey.Config{})
	_, err := c.Post(t.Context(), poster.Post{Text: "**" + strings.Repeat("あ", 600)})
	var pe *poster.Error
	if !errors.As(err, &pe) || pe.Delivered != poster.Rejected || pe.Cause != poster.CauseTooLong || pe.Limit != 499 {
		t.Fatalf("Post = %v, want rejected as too long with limit 499 (500 less one escape)", err)
	}
}

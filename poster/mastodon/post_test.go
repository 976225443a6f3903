package mastodon_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
)

func newClient(t *testing.T, srv *mastodontest.Server, cfg mastodon.Config) *mastodon.Client {
	t.Helper()
	cfg.Server, cfg.AccessToken = srv.URL, srv.Token
	c, err := mastodon.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func TestPostSendsForm(t *testing.T) {
	srv := mastodontest.NewServer(t)
	c := newClient(t, srv, mastodon.Config{Visibility: "public", Language: "en", SpoilerText: "CW", UserAgent: "itsecbot/1.2"})
	first, err := c.Post(t.Context(), poster.Post{Text: "hello #itsec_jp", IdempotencyKey: "k-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Post(t.Context(), poster.Post{Text: "reply", IdempotencyKey: "k-2", InReplyTo: first.ID}); err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/@bot/" + first.ID; first.URL != want {
		t.Errorf("receipt URL = %q, want %q", first.URL, want)
	}
	got := srv.Attempts()
	want := []struct {
		key, status, reply string
	}{{"k-1", "hello #itsec_jp", ""}, {"k-2", "reply", first.ID}}
	if len(got) != len(want) {
		t.Fatalf("server saw %d posts, want %d", len(got), len(want))
	}
	for i, w := range want {
		a := got[i]
		fields := map[string]string{"status": w.status, "visibility": "public", "language": "en",
			"spoiler_text": "CW", "in_reply_to_id": w.reply}
		for k, v := range fields {
			if a.Form.Get(k) != v {
				t.Errorf("post %d: form %s = %q, want %q", i, k, a.Form.Get(k), v)
			}
		}
		if a.IdempotencyKey != w.key || a.UserAgent != "itsecbot/1.2" || a.Status != http.StatusOK {
			t.Errorf("post %d: key %q UA %q answer %d; want %q, itsecbot/1.2, 200", i, a.IdempotencyKey, a.UserAgent, a.Status, w.key)
		}
	}
}

func TestPostDefaultsVisibilityAndLanguage(t *testing.T) {
	srv := mastodontest.NewServer(t)
	c := newClient(t, srv, mastodon.Config{})
	if _, err := c.Post(t.Context(), poster.Post{Text: "脆弱性"}); err != nil {
		t.Fatal(err)
	}
	st := srv.Statuses()[0]
	if st.Visibility != "unlisted" || st.Language != "ja" || st.IdempotencyKey != "" {
		t.Errorf("status %+v; want unlisted, ja, no idempotency key", st)
	}
}

func TestPostErrors(t *testing.T) {
	retryAfter := http.Header{"Retry-After": {"30"}}
	tests := []struct {
		name       string
		fault      *mastodontest.Fault
		post       poster.Post
		wantStatus int
		want       poster.Delivery
		wantMsg    string
		wantRetry  time.Duration
	}{
		{name: "too long is 422", post: poster.Post{Text: strings.Repeat("脆", 501)},
			wantStatus: 422, want: poster.Rejected, wantMsg: "Text character limit of 500 exceeded"},
		{name: "reply to unknown status is 404", post: poster.Post{Text: "x", InReplyTo: "404404"},
			wantStatus: 404, want: poster.Rejected, wantMsg: "Record not found"},
		{name: "429 with Retry-After", fault: &mastodontest.Fault{Status: 429, Header: retryAfter, Message: "Too many requests"},
			wantStatus: 429, want: poster.NotDelivered, wantMsg: "Too many requests", wantRetry: 30 * time.Second},
		{name: "500", fault: &mastodontest.Fault{Status: 500, Message: "We're sorry, but something went wrong"},
			wantStatus: 500, want: poster.Unknown, wantMsg: "something went wrong"},
		{name: "502 from a proxy", fault: &mastodontest.Fault{Status: 502},
			wantStatus: 502, want: poster.Unknown},
		{name: "503 with Retry-After", fault: &mastodontest.Fault{Status: 503, Header: retryAfter},
			wantStatus: 503, want: poster.NotDelivered, wantRetry: 30 * time.Second},
		{name: "forbidden", fault: &mastodontest.Fault{Status: 403, Message: "This action is not allowed"},
			wantStatus: 403, want: poster.NotDelivered, wantMsg: "not allowed"},
		{name: "redirect is not followed", fault: &mastodontest.Fault{Status: 301, Header: http.Header{"Location": {"https://elsewhere.example/api/v1/statuses"}}},
			wantStatus: 301, want: poster.NotDelivered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mastodontest.NewServer(t)
			if tt.fault != nil {
				srv.Inject(*tt.fault)
			}
			c := newClient(t, srv, mastodon.Config{})
			if tt.post.Text == "" {
				tt.post.Text = "本文 #itsec_jp"
			}
			// The deadline only turns a regression into the library's
			// hidden 429 loop into a failure instead of a hang.
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			_, err := c.Post(ctx, tt.post)
			pe := asPosterError(t, err)
			if pe.Status != tt.wantStatus || pe.Delivered != tt.want || pe.RetryAfter != tt.wantRetry {
				t.Errorf("error %v: status %d, %v, retry %v; want %d, %v, %v", err, pe.Status, pe.Delivered, pe.RetryAfter, tt.wantStatus, tt.want, tt.wantRetry)
			}
			if !strings.Contains(pe.Message, tt.wantMsg) || pe.Poster != "mastodon" {
				t.Errorf("error %+v; want poster mastodon, message containing %q", pe, tt.wantMsg)
			}
			if n := len(srv.Attempts()); n != 1 {
				t.Errorf("server saw %d attempts, want 1 (no hidden retries)", n)
			}
			if n := len(srv.Statuses()); n != 0 {
				t.Errorf("server created %d statuses, want 0", n)
			}
		})
	}
}

func asPosterError(t *testing.T, err error) *poster.Error {
	t.Helper()
	pe, ok := err.(*poster.Error)
	if !ok {
		t.Fatalf("error %v (%T) is not a *poster.Error", err, err)
	}
	return pe
}

func TestPostConnectionRefused(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	c, err := mastodon.New(mastodon.Config{Server: dead.URL, AccessToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Post(t.Context(), poster.Post{Text: "x"})
	if pe := asPosterError(t, err); pe.Delivered != poster.NotDelivered || pe.Status != 0 {
		t.Errorf("error %v: %v, status %d; want %v, status 0", err, pe.Delivered, pe.Status, poster.NotDelivered)
	}
}

func TestPostTokenNeverInError(t *testing.T) {
	srv := mastodontest.NewServer(t)
	// A misconfigured proxy echoing the Authorization header back.
	srv.Inject(mastodontest.Fault{Status: 401, Message: "bad header: Bearer " + srv.Token})
	c := newClient(t, srv, mastodon.Config{})
	_, err := c.Post(t.Context(), poster.Post{Text: "x"})
	pe := asPosterError(t, err)
	if pe.Delivered != poster.NotDelivered {
		t.Errorf("delivery = %v, want %v", pe.Delivered, poster.NotDelivered)
	}
	if strings.Contains(err.Error(), srv.Token) || strings.Contains(pe.Message, srv.Token) {
		t.Errorf("error %q leaks the token", err)
	}
}

func TestPostWrongToken(t *testing.T) {
	srv := mastodontest.NewServer(t, mastodontest.WithToken("the-real-token"))
	c, err := mastodon.New(mastodon.Config{Server: srv.URL, AccessToken: "stale-token"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Post(t.Context(), poster.Post{Text: "x"})
	// A stale token fails every post alike: the post waits for a new token.
	if pe := asPosterError(t, err); pe.Status != 401 || pe.Delivered != poster.NotDelivered {
		t.Errorf("error %v: status %d %v, want 401 %v", err, pe.Status, pe.Delivered, poster.NotDelivered)
	}
	if got := srv.Statuses(); len(got) != 0 {
		t.Errorf("statuses %+v created with a wrong token", got)
	}
}

// keys returns the Idempotency-Key of every attempt the server saw.
func keys(srv *mastodontest.Server) []string {
	var out []string
	for _, a := range srv.Attempts() {
		out = append(out, a.IdempotencyKey)
	}
	return out
}

func TestRetryAfterUnknownReusesKey(t *testing.T) {
	tests := []struct {
		name  string
		fault func(cancel context.CancelFunc) mastodontest.Fault
	}{
		{"500 after commit", func(context.CancelFunc) mastodontest.Fault {
			return mastodontest.Fault{Status: 500, Publish: true}
		}},
		{"caller gives up after sending", func(cancel context.CancelFunc) mastodontest.Fault {
			return mastodontest.Fault{Publish: true, Hang: cancel}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mastodontest.NewServer(t)
			c := newClient(t, srv, mastodon.Config{})
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			srv.Inject(tt.fault(cancel))
			p := poster.Post{Text: "一度だけ #itsec_jp", IdempotencyKey: "digest-2024-05-01"}
			_, err := c.Post(ctx, p)
			if pe := asPosterError(t, err); pe.Delivered != poster.Unknown {
				t.Fatalf("first attempt: %v (%v), want %v", err, pe.Delivered, poster.Unknown)
			}
			rc, err := c.Post(t.Context(), p)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			sts := srv.Statuses()
			if len(sts) != 1 || rc.ID != sts[0].ID {
				t.Errorf("retry got %q, statuses %+v; want the one original status", rc.ID, sts)
			}
			if got, want := keys(srv), []string{p.IdempotencyKey, p.IdempotencyKey}; !slices.Equal(got, want) {
				t.Errorf("keys sent = %q, want %q", got, want)
			}
		})
	}
}

func TestPostTimeoutAfterSendingIsUnknown(t *testing.T) {
	srv := mastodontest.NewServer(t)
	srv.Inject(mastodontest.Fault{Hang: func() {}})
	c := newClient(t, srv, mastodon.Config{Timeout: 100 * time.Millisecond})
	_, err := c.Post(t.Context(), poster.Post{Text: "x", IdempotencyKey: "k"})
	if pe := asPosterError(t, err); pe.Delivered != poster.Unknown || pe.Status != 0 {
		t.Errorf("error %v: %v status %d, want %v status 0", err, pe.Delivered, pe.Status, poster.Unknown)
	}
	if got := srv.Statuses(); len(got) != 0 {
		t.Errorf("statuses %+v, want none: the fault did not publish", got)
	}
}

func TestPostWithoutServerIdempotency(t *testing.T) {
	// GoToSocial ignores the key: a retry after Unknown posts twice. The
	// client cannot prevent it; this pins the fake's behaviour for callers.
	srv := mastodontest.NewServer(t, mastodontest.WithoutIdempotency())
	c := newClient(t, srv, mastodon.Config{})
	p := poster.Post{Text: "x", IdempotencyKey: "same"}
	for range 2 {
		if _, err := c.Post(t.Context(), p); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(srv.Statuses()); n != 2 {
		t.Errorf("statuses = %d, want 2", n)
	}
}

// A server that stores the status and drops the connection leaves the
// outcome unknown. net/http resends a request that carries an
// Idempotency-Key by itself when a reused connection breaks; a server that
// ignores the key (GoToSocial) then holds the status twice, and the bot,
// told it was posted once, never looks.
func TestPostDroppedOnReusedConnectionIsNotResent(t *testing.T) {
	srv := mastodontest.NewServer(t, mastodontest.WithoutIdempotency())
	c := newClient(t, srv, mastodon.Config{})
	if _, err := c.Post(t.Context(), poster.Post{Text: "first", IdempotencyKey: "k-1"}); err != nil {
		t.Fatal(err) // leaves a connection to reuse
	}
	srv.Inject(mastodontest.Fault{Publish: true, Drop: true})
	_, err := c.Post(t.Context(), poster.Post{Text: "second", IdempotencyKey: "k-2"})
	if pe := asPosterError(t, err); pe.Delivered != poster.Unknown {
		t.Errorf("error %v: %v, want Unknown", err, pe.Delivered)
	}
	if n, s := len(srv.Attempts()), len(srv.Statuses()); n != 2 || s != 2 {
		t.Errorf("server saw %d posts and holds %d statuses, want 2 and 2: the dropped post was sent again", n, s)
	}
}

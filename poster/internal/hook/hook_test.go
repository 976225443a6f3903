package hook

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		status   int
		delivery poster.Delivery
		cause    poster.Cause
	}{
		{301, poster.NotDelivered, poster.CauseAuth},
		{400, poster.Rejected, poster.CauseInvalid},
		{401, poster.NotDelivered, poster.CauseAuth},
		{403, poster.NotDelivered, poster.CauseAuth},
		{404, poster.NotDelivered, poster.CauseAuth},
		{408, poster.NotDelivered, poster.CauseUnavailable},
		{409, poster.Rejected, poster.CauseInvalid},
		{410, poster.NotDelivered, poster.CauseAuth},
		{413, poster.Rejected, poster.CauseTooLong},
		{422, poster.Rejected, poster.CauseInvalid},
		{429, poster.NotDelivered, poster.CauseRateLimited},
		{500, poster.Unknown, poster.CauseUnavailable},
		{502, poster.Unknown, poster.CauseUnavailable},
		{503, poster.NotDelivered, poster.CauseUnavailable},
		{504, poster.Unknown, poster.CauseUnavailable},
	}
	for _, tt := range tests {
		d, c := Classify(tt.status)
		if d != tt.delivery || c != tt.cause {
			t.Errorf("Classify(%d) = %v, %v; want %v, %v", tt.status, d, c, tt.delivery, tt.cause)
		}
	}
}

func TestStatusErrorWaits(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, status := range []int{429, 503} {
		pe := StatusError("x", Response{Status: status, Header: http.Header{"Retry-After": {"60"}}}, "busy", now)
		if pe.RetryAfter != time.Minute || pe.Message != "busy" || pe.Status != status {
			t.Errorf("HTTP %d: %+v, want RetryAfter 1m", status, pe)
		}
	}
}

func TestMessage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"invalid_payload", "invalid_payload"},
		{"  no_text\nmore lines\n", "no_text"},
		{"a\x00b\x1bc\xff", "abc\uFFFD"},
		{strings.Repeat("あ", 100), strings.Repeat("あ", 66) + "…"},
	}
	for _, tt := range tests {
		if got := Message([]byte(tt.in)); got != tt.want {
			t.Errorf("Message(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSecrets(t *testing.T) {
	got := Secrets("https://discord.com/api/webhooks/1234567890123456789/tOkEn-0123456789abcdefghij?thread_id=1&sig=sIgNaTuRe0123456789")
	for _, want := range []string{"1234567890123456789", "tOkEn-0123456789abcdefghij", "sIgNaTuRe0123456789"} {
		if !slices.Contains(got, want) {
			t.Errorf("Secrets = %q, missing %q", got, want)
		}
	}
	for _, bad := range []string{"", "/", "api", "webhooks", "1"} {
		if slices.Contains(got, bad) {
			t.Errorf("Secrets = %q holds %q: redacting it would mangle messages", got, bad)
		}
	}
}

// Whether a request may have reached the platform decides between "not
// delivered" and "unknown".
func TestPostMayHaveSent(t *testing.T) {
	dropping := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	}))
	defer dropping.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name string
		url  string
		want bool
	}{
		{"connection refused", closed.URL + "/hook/sEcReTtOkEn0123456789", false},
		{"dropped after the request", dropping.URL + "/hook/sEcReTtOkEn0123456789", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sent, err := Post(t.Context(), http.DefaultClient, Request{URL: tt.url, Body: []byte(`{}`)})
			if err == nil || sent != tt.want {
				t.Fatalf("Post = sent %v, %v; want sent %v and an error", sent, err, tt.want)
			}
			if strings.Contains(err.Error(), "sEcReT") {
				t.Errorf("error %q shows the URL", err)
			}
		})
	}
}

func TestPostSendsJSON(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte("queued"))
	}))
	defer srv.Close()
	resp, sent, err := Post(t.Context(), srv.Client(), Request{URL: srv.URL, Body: []byte(`{}`), UserAgent: "itsecbot/test",
		Header: http.Header{"Idempotency-Key": {"k1"}}})
	if err != nil || !sent || resp.Status != http.StatusAccepted || string(resp.Body) != "queued" {
		t.Fatalf("Post = %+v, %v, %v", resp, sent, err)
	}
	if got.Get("Content-Type") != "application/json" || got.Get("User-Agent") != "itsecbot/test" || got.Get("Idempotency-Key") != "k1" {
		t.Errorf("headers sent: %v", got)
	}
}

func TestSender(t *testing.T) {
	const token = "sEcReTtOkEn0123456789"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gone/" + token:
			http.Error(w, "no webhook at /gone/"+token, http.StatusNotFound)
		case "/drop/" + token:
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer srv.Close()
	s := NewSender(poster.Env{Common: poster.Common{Name: "hook"}}, Secrets(srv.URL+"/gone/"+token))
	classify := func(resp Response) *poster.Error { return s.StatusError(resp, Message(resp.Body)) }
	tests := []struct {
		name    string
		read    bool // Read, not Send
		path    string
		want    poster.Delivery // of the error; -1 for none
		wantMsg string
	}{
		{"2xx", false, "/ok", -1, ""},
		{"refused", false, "/gone/" + token, poster.NotDelivered, "no webhook at <redacted>"},
		{"dropped post", false, "/drop/" + token, poster.Unknown, ""},
		{"dropped read", true, "/drop/" + token, poster.NotDelivered, ""},
		{"read answers 204", true, "/ok", poster.Unknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.read {
				_, err = s.Read(t.Context(), srv.URL+tt.path, classify)
			} else {
				_, err = s.Send(t.Context(), Request{URL: srv.URL + tt.path}, classify)
			}
			if tt.want == -1 {
				if err != nil {
					t.Fatalf("error %v, want none", err)
				}
				return
			}
			var pe *poster.Error
			if !errors.As(err, &pe) || pe.Delivered != tt.want || pe.Poster != "hook" || pe.Message != tt.wantMsg {
				t.Fatalf("error %#v, want %v with message %q", err, tt.want, tt.wantMsg)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("error %q shows the token", err)
			}
		})
	}
}

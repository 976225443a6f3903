package mastodon_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
	"github.com/itsecbot/itsecbot/textlen"
)

// ruleOf builds the rule of the client's Limits; err is the lookup error.
func ruleOf(t *testing.T, c *mastodon.Client) (textlen.Rule, error) {
	t.Helper()
	spec, err := c.Limits(t.Context())
	rule, rerr := spec.Rule()
	if rerr != nil {
		t.Fatalf("Limits() = %+v: %v", spec, rerr)
	}
	return rule, err
}

func TestRuleFromInstance(t *testing.T) {
	const url = "https://jvn.jp/vu/JVNVU12345678/"
	tests := []struct {
		name      string
		opts      []mastodontest.Option
		spoiler   string
		wantLimit int
		wantURL   int // length counted for url
	}{
		{"v2", []mastodontest.Option{mastodontest.WithLimits(5000, 23)}, "", 5000, 23},
		{"v1 only", []mastodontest.Option{mastodontest.WithInstance(mastodontest.InstanceV1Only), mastodontest.WithLimits(1000, 30)}, "", 1000, 30},
		{"none falls back", []mastodontest.Option{mastodontest.WithInstance(mastodontest.InstanceNone), mastodontest.WithLimits(5000, 40)}, "", 500, 23},
		{"spoiler takes its graphemes", []mastodontest.Option{mastodontest.WithLimits(500, 23)}, "CW: 脆弱性🇯🇵", 492, 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mastodontest.NewServer(t, tt.opts...)
			c := newClient(t, srv, mastodon.Config{SpoilerText: tt.spoiler})
			rule, err := ruleOf(t, c)
			if err != nil {
				t.Fatal(err)
			}
			if got := rule.Limit(); got != tt.wantLimit {
				t.Errorf("Limit() = %d, want %d", got, tt.wantLimit)
			}
			if got := rule.Length(url); got != tt.wantURL {
				t.Errorf("Length(%q) = %d, want %d", url, got, tt.wantURL)
			}
			fits, over := strings.Repeat("あ", tt.wantLimit), strings.Repeat("あ", tt.wantLimit+1)
			if !rule.Fits(fits) || rule.Fits(over) {
				t.Errorf("Fits(%d chars) = %v, Fits(%d chars) = %v; want true, false",
					tt.wantLimit, rule.Fits(fits), tt.wantLimit+1, rule.Fits(over))
			}
		})
	}
}

func TestRuleIsCached(t *testing.T) {
	tests := []struct {
		name     string
		api      mastodontest.InstanceAPI
		requests int // instance requests for the first lookup
	}{
		{"v2", mastodontest.InstanceV2, 1},
		{"v1 only", mastodontest.InstanceV1Only, 2},
		{"none is a definite answer", mastodontest.InstanceNone, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mastodontest.NewServer(t, mastodontest.WithInstance(tt.api))
			c := newClient(t, srv, mastodon.Config{})
			for range 3 {
				if _, err := ruleOf(t, c); err != nil {
					t.Fatal(err)
				}
			}
			if got := srv.InstanceRequests(); got != tt.requests {
				t.Errorf("instance requests = %d, want %d", got, tt.requests)
			}
		})
	}
}

// flakyInstance fails every instance request with status until healthy is
// set, then serves a v2 document with max_characters 5000.
func flakyInstance(t *testing.T, status int, healthy *atomic.Bool, requests *atomic.Int32) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if !healthy.Load() {
			w.Header().Set("Retry-After", "3600")
			http.Error(w, `{"error":"busy"}`, status)
			return
		}
		w.Write([]byte(`{"configuration":{"statuses":{"max_characters":5000,"characters_reserved_per_url":23}}}`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestRuleTransientFailureIsRetried(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusBadGateway} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			var healthy atomic.Bool
			var requests atomic.Int32
			c, err := mastodon.New(mastodon.Config{Server: flakyInstance(t, status, &healthy, &requests), AccessToken: "t"})
			if err != nil {
				t.Fatal(err)
			}
			rule, err := ruleOf(t, c)
			if err == nil || rule.Limit() != 500 {
				t.Fatalf("Limits() while failing = %v, %v; want the 500 fallback and the error", rule, err)
			}
			if got := requests.Load(); got != 2 {
				t.Errorf("requests while failing = %d, want 2 (v2 then v1, no hidden retries)", got)
			}
			healthy.Store(true)
			if rule, _ = ruleOf(t, c); rule.Limit() != 5000 {
				t.Errorf("Rule() after recovery: limit %d, want 5000 (fallback must not be cached)", rule.Limit())
			}
		})
	}
}

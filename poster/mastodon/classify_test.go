package mastodon

import (
	"net/http"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
)

func TestDeliveryForStatus(t *testing.T) {
	tests := []struct {
		status int
		reply  bool
		want   poster.Delivery
	}{
		{301, false, poster.NotDelivered},
		{400, false, poster.Rejected},
		{401, false, poster.NotDelivered},
		{403, false, poster.NotDelivered},
		{404, false, poster.NotDelivered},
		{404, true, poster.Rejected},
		{408, false, poster.NotDelivered},
		{422, false, poster.Rejected},
		{422, true, poster.Rejected},
		{425, false, poster.NotDelivered},
		{429, false, poster.NotDelivered},
		{500, false, poster.Unknown},
		{502, false, poster.Unknown},
		{503, false, poster.NotDelivered},
		{504, false, poster.Unknown},
	}
	for _, tt := range tests {
		if got := deliveryForStatus(tt.status, tt.reply); got != tt.want {
			t.Errorf("deliveryForStatus(%d, reply=%v) = %v, want %v", tt.status, tt.reply, got, tt.want)
		}
	}
}

// Mastodon's X-RateLimit-Reset is an ISO 8601 time, so the delay depends on
// the clock; the client's clock is fixed here.
func TestRateLimitResetHeader(t *testing.T) {
	now := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		status int
		header http.Header
		want   time.Duration
	}{
		{"429 reset only", 429, http.Header{"X-Ratelimit-Reset": {"2024-05-01T00:05:00.000000Z"}}, 5 * time.Minute},
		{"503 reset only", 503, http.Header{"X-Ratelimit-Reset": {"2024-05-01T00:00:30.250000Z"}}, 30*time.Second + 250*time.Millisecond},
		{"retry-after wins", 429, http.Header{"Retry-After": {"7"}, "X-Ratelimit-Reset": {"2024-05-01T01:00:00Z"}}, 7 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mastodontest.NewServer(t)
			srv.Inject(mastodontest.Fault{Status: tt.status, Header: tt.header})
			c, err := New(Config{Server: srv.URL, AccessToken: srv.Token})
			if err != nil {
				t.Fatal(err)
			}
			clock := func() time.Time { return now }
			c.now = clock
			c.api.Client.Transport.(*transport).now = clock
			_, err = c.Post(t.Context(), poster.Post{Text: "x"})
			pe, ok := err.(*poster.Error)
			if !ok || pe.RetryAfter != tt.want || pe.Delivered != poster.NotDelivered {
				t.Errorf("error %v; want NotDelivered with RetryAfter %v", err, tt.want)
			}
		})
	}
}

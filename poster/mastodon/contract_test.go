package mastodon_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
	"github.com/itsecbot/itsecbot/poster/postertest"
)

func harness(t *testing.T, cfg mastodon.Config, opts ...mastodontest.Option) postertest.Harness {
	srv := mastodontest.NewServer(t, opts...)
	cfg.Server, cfg.AccessToken = srv.URL, srv.Token
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Second // FaultSlow outlasts it
	}
	c, err := mastodon.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return postertest.Harness{
		Poster: c,
		Published: func() []postertest.Published {
			var out []postertest.Published
			for _, st := range srv.Statuses() {
				out = append(out, postertest.Published{ID: st.ID, Text: st.Text, InReplyTo: st.InReplyToID, IdempotencyKey: st.IdempotencyKey})
			}
			return out
		},
		Inject: func(f postertest.Fault) { srv.Inject(fault(f)) },
	}
}

// fault maps a contract fault to what Mastodon answers.
func fault(f postertest.Fault) mastodontest.Fault {
	switch f {
	case postertest.FaultRefuse:
		return mastodontest.Fault{Status: http.StatusUnprocessableEntity, Message: "Validation failed: Visibility is not included in the list"}
	case postertest.FaultRateLimit:
		reset := time.Now().Add(60 * time.Second).UTC().Format("2006-01-02T15:04:05.000000Z")
		return mastodontest.Fault{Status: http.StatusTooManyRequests, Message: "Too many requests",
			Header: http.Header{"X-Ratelimit-Reset": {reset}}}
	case postertest.FaultServerError:
		return mastodontest.Fault{Status: http.StatusInternalServerError, Message: "internal error"}
	case postertest.FaultSlow:
		return mastodontest.Fault{Hang: func() {}}
	case postertest.FaultDropAfterStore:
		return mastodontest.Fault{Publish: true, Drop: true}
	}
	panic("unknown fault")
}

func TestContract(t *testing.T) {
	tests := []struct {
		name string
		cfg  mastodon.Config
		opts []mastodontest.Option
	}{
		{"defaults", mastodon.Config{}, nil},
		{"spoiler and large v1 limit", mastodon.Config{SpoilerText: "CVE-2024-1234 注意"},
			[]mastodontest.Option{mastodontest.WithInstance(mastodontest.InstanceV1Only), mastodontest.WithLimits(1000, 23)}},
		{"no instance info", mastodon.Config{Visibility: "public"},
			[]mastodontest.Option{mastodontest.WithInstance(mastodontest.InstanceNone)}},
		{"like GoToSocial", mastodon.Config{}, []mastodontest.Option{mastodontest.LikeGoToSocial(), mastodontest.WithLimits(5000, 25)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			postertest.Run(t, func(t *testing.T) postertest.Harness { return harness(t, tt.cfg, tt.opts...) })
		})
	}
}

package mastodon_test

import (
	"testing"

	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
	"github.com/itsecbot/itsecbot/poster/postertest"
)

func harness(t *testing.T, cfg mastodon.Config, opts ...mastodontest.Option) postertest.Harness {
	srv := mastodontest.NewServer(t, opts...)
	cfg.Server, cfg.AccessToken = srv.URL, srv.Token
	c, err := mastodon.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return postertest.Harness{Poster: c, Published: func() []postertest.Published {
		var out []postertest.Published
		for _, st := range srv.Statuses() {
			out = append(out, postertest.Published{ID: st.ID, Text: st.Text, InReplyTo: st.InReplyToID, IdempotencyKey: st.IdempotencyKey})
		}
		return out
	}}
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			postertest.Run(t, func(t *testing.T) postertest.Harness { return harness(t, tt.cfg, tt.opts...) })
		})
	}
}

package misskey_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/misskey"
	"github.com/itsecbot/itsecbot/poster/misskey/misskeytest"
	"github.com/itsecbot/itsecbot/poster/postertest"
)

func newClient(t *testing.T, srv *misskeytest.Server, cfg misskey.Config) *misskey.Client {
	t.Helper()
	cfg.Server, cfg.AccessToken = srv.URL, srv.Token
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	c, err := misskey.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func harness(t *testing.T, cfg misskey.Config, opts ...misskeytest.Option) postertest.Harness {
	srv := misskeytest.NewServer(t, opts...)
	cfg.Timeout = time.Second // FaultSlow outlasts it
	return postertest.Harness{
		Poster: newClient(t, srv, cfg),
		Published: func() []postertest.Published {
			var out []postertest.Published
			for _, n := range srv.Notes() {
				out = append(out, postertest.Published{ID: n.ID, Text: n.Text, InReplyTo: n.ReplyID})
			}
			return out
		},
		Inject: func(f postertest.Fault) { srv.Inject(fault(f)) },
	}
}

// fault maps a contract fault to what Misskey answers.
func fault(f postertest.Fault) misskeytest.Fault {
	switch f {
	case postertest.FaultRefuse:
		return misskeytest.Fault{Status: http.StatusBadRequest, Code: "CONTAINS_PROHIBITED_WORDS",
			Message: "Cannot post because it contains prohibited words."}
	case postertest.FaultRateLimit:
		return misskeytest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"60"}}}
	case postertest.FaultServerError:
		return misskeytest.Fault{Status: http.StatusInternalServerError}
	case postertest.FaultSlow:
		return misskeytest.Fault{Hang: func() {}}
	case postertest.FaultDropAfterStore:
		return misskeytest.Fault{Publish: true, Drop: true}
	}
	panic("unknown fault")
}

func TestContract(t *testing.T) {
	tests := []struct {
		name string
		cfg  misskey.Config
		opts []misskeytest.Option
	}{
		{"defaults", misskey.Config{}, nil},
		{"public with a content warning and a 5000 limit", misskey.Config{Visibility: "public", CW: "CVE-2024-1234 注意"},
			[]misskeytest.Option{misskeytest.WithMaxNoteLength(5000)}},
		{"followers only, no limit announced", misskey.Config{Visibility: "followers"},
			[]misskeytest.Option{misskeytest.WithMaxNoteLength(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			postertest.Run(t, func(t *testing.T) postertest.Harness { return harness(t, tt.cfg, tt.opts...) })
		})
	}
}

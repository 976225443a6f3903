package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/stdout"
	"github.com/itsecbot/itsecbot/poster/x"
	"github.com/itsecbot/itsecbot/store"
	"github.com/itsecbot/itsecbot/textlen"
)

// now is the fixture's clock: cycles run and pages are asked for then.
var now = time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)

// loadConfig reads the fixture config of the status server, its database
// in dir.
func loadConfig(t *testing.T, dir string) *config.Config {
	t.Helper()
	env := map[string]string{
		"ITSECBOT_TEST_DB": filepath.Join(dir, "status.db"), "ITSECBOT_TEST_X_API": "http://127.0.0.1:9", "ITSECBOT_TEST_X_KEY": "test",
	}
	platforms := config.Platforms{"stdout": stdout.Platform{}, "x": x.Platform{}}
	cfg, err := config.Load("../testdata/web/status.yaml", func(k string) (string, bool) { v, ok := env[k]; return v, ok }, platforms)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// unreachable is a platform that never answers: its posts stay queued.
type unreachable struct{}

func (unreachable) Name() string { return "x" }
func (unreachable) Capabilities() poster.Capabilities {
	return poster.Capabilities{Threads: true, Rule: poster.RuleFixed}
}
func (unreachable) Limits(context.Context) (textlen.Spec, error) { return x.Spec(), nil }
func (unreachable) Post(context.Context, poster.Post) (poster.Receipt, error) {
	return poster.Receipt{}, &poster.Error{Poster: "x", Delivered: poster.NotDelivered, Cause: poster.CauseUnavailable,
		Message: "dial tcp 127.0.0.1:9: connect: connection refused"}
}

// fixture runs one real cycle over the fixture feeds, observed by m, and
// records it as the command does: the stdout poster sends, the x poster's
// posts stay queued, one feed fails.
func fixture(t *testing.T, m *Metrics) (*config.Config, pipeline.Report) {
	t.Helper()
	ctx := context.Background()
	cfg := loadConfig(t, t.TempDir())
	st, err := store.Open(ctx, cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	demo, err := stdout.New("demo", io.Discard, textlen.Spec{Platform: textlen.PlatformMastodon})
	if err != nil {
		t.Fatal(err)
	}
	c := &pipeline.Cycle{
		Config: cfg, Store: st, Fetcher: feeds.NewFetcher(feeds.Options{Timeout: 5 * time.Second}),
		Targets: []pipeline.Target{{Poster: demo}, {Poster: unreachable{}, Common: cfg.Posters[1].Common}},
		Logger:  slog.New(slog.DiscardHandler), Now: func() time.Time { return now },
	}
	if m != nil {
		c.Observer = m
	}
	rep, err := c.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordCycle(ctx, store.CycleRun{Started: now, Ended: now.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	return cfg, rep
}

// newServer serves cfg's database with the clock at at.
func newServer(t *testing.T, cfg *config.Config, m *Metrics, at time.Time) http.Handler {
	t.Helper()
	s := New(cfg, Options{Metrics: m, Now: func() time.Time { return at }, Version: "test"})
	t.Cleanup(func() { s.Close() })
	return s.Handler()
}

// get asks h for path and returns the status, the headers and the body.
func get(t *testing.T, h http.Handler, method, path string) (int, http.Header, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, "http://bot.example"+path, nil))
	return rec.Code, rec.Header(), rec.Body.String()
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

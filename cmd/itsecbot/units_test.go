package main

import (
	"context"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/robfig/cron/v3"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/postertest"
)

// mapState is an in-memory poster.State.
type mapState struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *mapState) Load(_ context.Context, k string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k], nil
}

func (s *mapState) Save(_ context.Context, k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
	return nil
}

func TestGuardSendsNothingOnceStoppingAndRemembersRefusedCredentials(t *testing.T) {
	ctx := context.Background()
	revoked := true
	rec := &postertest.Recorder{Fault: func(poster.Post) (bool, error) {
		if revoked {
			return false, &poster.Error{Poster: "recorder", Status: 401, Delivered: poster.NotDelivered, Cause: poster.CauseAuth, Message: "The access token is invalid"}
		}
		return false, nil
	}}
	state := &mapState{m: map[string]string{}}
	stop, stopNow := context.WithCancel(ctx)
	g := guarded(rec, stop, state, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, ok := g.(poster.Reader); !ok {
		t.Fatal("the guard hides the poster's Reader: unknown outcomes would be given up")
	}
	if _, err := g.Post(ctx, poster.Post{Text: "a"}); poster.CauseOf(err) != poster.CauseAuth {
		t.Fatalf("post with a revoked token: %v", err)
	}
	if v, _ := state.Load(ctx, stateAuthError); !strings.Contains(v, "HTTP 401") {
		t.Errorf("auth error state = %q", v)
	}
	revoked = false
	if _, err := g.Post(ctx, poster.Post{Text: "b"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := state.Load(ctx, stateAuthError); v != "" {
		t.Errorf("auth error state after a post went through = %q", v)
	}
	stopNow()
	_, err := g.Post(ctx, poster.Post{Text: "c"})
	if poster.DeliveryOf(err) != poster.NotDelivered || !strings.Contains(err.Error(), "stopping") {
		t.Errorf("post after the stop: %v, want not delivered", err)
	}
	if n := len(rec.Posts()); n != 1 {
		t.Errorf("%d posts reached the platform, want 1", n)
	}
}

func TestDescribeBuild(t *testing.T) {
	tests := []struct {
		info *debug.BuildInfo
		want string
	}{
		{nil, "itsecbot (no build information)"},
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}}, "itsecbot (devel) go1.26.0"},
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "9241ba3c"}, {Key: "vcs.time", Value: "2026-11-22T09:00:00Z"}, {Key: "vcs.modified", Value: "true"},
		}}, "itsecbot v1.2.0 (revision 9241ba3c, 2026-11-22T09:00:00Z, modified) go1.26.0"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{{Key: "vcs.modified", Value: "false"}}}, "itsecbot v1.2.0"},
	}
	for _, tt := range tests {
		if got := describeBuild(tt.info, tt.info != nil); got != tt.want {
			t.Errorf("describeBuild = %q, want %q", got, tt.want)
		}
	}
	if out, _, err := runCmd(t, "version"); err != nil || !strings.HasPrefix(out, "itsecbot ") {
		t.Errorf("version = %q, %v", out, err)
	}
}

func TestDaemonSchedulesThePollAndEachDistinctDigestTime(t *testing.T) {
	cfgPath := t.TempDir() + "/config.yaml"
	writeFile(t, cfgPath, `feeds:
  - {name: a, url: https://a.example/feed}
schedule: {poll: "*/10 * * * *", digest: ["CRON_TZ=Asia/Tokyo 0 8,12,18 * * *"]}
posters:
  - {type: stdout, name: three}
  - {type: stdout, name: same, schedule: ["CRON_TZ=Asia/Tokyo  0 8,12,18 * * *"]}
  - {type: stdout, name: daily, schedule: ["0 8 * * *"]}
  - {type: stdout, name: every-poll, schedule: []}
`)
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	d := &daemon{cron: cron.New()}
	d.poll, d.digest = d.job("poll"), d.job("digest")
	d.reschedule(cfg)
	if n := len(d.cron.Entries()); n != 3 {
		t.Errorf("%d cron entries, want 3: the poll, three editions a day, and 08:00", n)
	}
	d.reschedule(cfg) // a reload replaces the entries
	if n := len(d.cron.Entries()); n != 3 {
		t.Errorf("%d cron entries after a reload, want 3", n)
	}
}

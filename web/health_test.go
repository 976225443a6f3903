package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/store"
)

func TestHealthzFollowsTheCycles(t *testing.T) {
	ok := func(end time.Time) store.CycleRun { return store.CycleRun{Started: end.Add(-time.Minute), Ended: end} }
	failed := func(end time.Time) store.CycleRun {
		return store.CycleRun{Started: end.Add(-time.Minute), Ended: end, Error: "cycle: database is locked"}
	}
	tests := []struct {
		name   string
		cycles []store.CycleRun
		code   int
		want   string
	}{
		{"none yet", nil, http.StatusServiceUnavailable, "unhealthy: no cycle has succeeded yet"},
		{"only failures", []store.CycleRun{failed(now.Add(-time.Minute))}, http.StatusServiceUnavailable,
			"unhealthy: no cycle has succeeded yet; the last cycle (2026-11-22T02:59:00Z) failed: cycle: database is locked"},
		{"recent success", []store.CycleRun{ok(now.Add(-10 * time.Minute))}, http.StatusOK,
			"ok: last successful cycle 2026-11-22T02:50:00Z (10m0s ago)"},
		{"success, then a failure", []store.CycleRun{ok(now.Add(-20 * time.Minute)), failed(now.Add(-5 * time.Minute))}, http.StatusOK,
			"ok: last successful cycle 2026-11-22T02:40:00Z (20m0s ago); the last cycle (2026-11-22T02:55:00Z) failed"},
		{"just within three poll times and the slack", []store.CycleRun{ok(now.Add(-49 * time.Minute))}, http.StatusOK, "ok: "},
		{"stale", []store.CycleRun{ok(now.Add(-51 * time.Minute)), failed(now.Add(-time.Minute))}, http.StatusServiceUnavailable,
			"unhealthy: no cycle has succeeded for 51m0s (3 poll times of @every 15m have passed); last success 2026-11-22T02:09:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := loadConfig(t, t.TempDir())
			st, err := store.Open(context.Background(), cfg.DatabasePath())
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tt.cycles {
				if err := st.RecordCycle(context.Background(), c); err != nil {
					t.Fatal(err)
				}
			}
			st.Close()
			code, h, body := get(t, newServer(t, cfg, nil, now), "GET", "/healthz")
			if code != tt.code || !strings.HasPrefix(body, tt.want) {
				t.Errorf("GET /healthz = %d %q, want %d %q", code, body, tt.code, tt.want)
			}
			if h.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", h.Get("Cache-Control"))
			}
			if code, _, _ := get(t, newServer(t, cfg, nil, now), "HEAD", "/healthz"); code != tt.code {
				t.Errorf("HEAD /healthz = %d", code)
			}
		})
	}
}

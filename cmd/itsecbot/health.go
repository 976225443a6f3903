package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/store"
)

// feedDownFor is how long a feed may fail before a person must look.
const feedDownFor = 24 * time.Hour

// errUnhealthy ends `health` with status 1 once the reasons are printed.
var errUnhealthy = errors.New("unhealthy")

// runHealth prints "ok: ..." and exits 0, or one "unhealthy: ..." line per
// reason and exits 1: for a monitoring check or a container health check.
func runHealth(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("health", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, st, err := openForReading(ctx, *path)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now()
	var reasons []string
	for _, check := range []func(context.Context, *config.Config, *store.Store, time.Time) ([]string, error){
		cycleHealth, feedHealth, posterHealth,
	} {
		r, err := check(ctx, cfg, st, now)
		if err != nil {
			return err
		}
		reasons = append(reasons, r...)
	}
	if len(reasons) == 0 {
		_, lastOK, _ := st.LastCycles(ctx)
		_, err := fmt.Fprintf(stdout, "ok: last good cycle %s, feeds %d, posters %d\n",
			lastOK.In(cfg.Location).Format(time.RFC3339), len(cfg.Feeds), len(cfg.Posters))
		return err
	}
	for _, r := range reasons {
		fmt.Fprintln(stdout, "unhealthy: "+r)
	}
	return fmt.Errorf("%w: %d problems", errUnhealthy, len(reasons))
}

// cycleHealth: a cycle succeeded within the last three poll times.
func cycleHealth(ctx context.Context, cfg *config.Config, st *store.Store, now time.Time) ([]string, error) {
	last, lastOK, err := st.LastCycles(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case last.Ended.IsZero():
		return []string{"no cycle has run yet"}, nil
	case lastOK.IsZero():
		return []string{fmt.Sprintf("no cycle has succeeded yet; the last, at %s, failed: %s", stamp(last.Ended, cfg), last.Error)}, nil
	}
	if now.Before(cfg.Schedule.CyclesOverdue(lastOK)) {
		return nil, nil
	}
	r := fmt.Sprintf("no cycle has succeeded since %s (%d poll times have passed)", stamp(lastOK, cfg), config.MissedPolls)
	if last.Error != "" {
		r += "; the last, at " + stamp(last.Ended, cfg) + ", failed: " + last.Error
	}
	return []string{r}, nil
}

// feedHealth: no enabled feed has failed for a day.
func feedHealth(ctx context.Context, cfg *config.Config, st *store.Store, now time.Time) ([]string, error) {
	failing, err := st.FailingFeeds(ctx)
	if err != nil {
		return nil, err
	}
	enabled := map[string]bool{}
	for _, f := range cfg.Feeds {
		enabled[f.Name] = !f.Disabled
	}
	var out []string
	for _, f := range failing {
		if enabled[f.Name] && !f.Since.IsZero() && now.Sub(f.Since) >= feedDownFor {
			out = append(out, fmt.Sprintf("feed %s has failed since %s (%d polls): %s", f.Name, stamp(f.Since, cfg), f.Failures, f.Error))
		}
	}
	return out, nil
}

// posterHealth: every poster has credentials, and none has its queue
// waiting on a refusal of them.
func posterHealth(ctx context.Context, cfg *config.Config, st *store.Store, _ time.Time) ([]string, error) {
	var out []string
	for _, p := range cfg.Posters {
		if m := p.Missing(); m != "" {
			out = append(out, fmt.Sprintf("poster %s has no credentials (%s): its posts are printed, not sent", p.Name, m))
			continue
		}
		raw, err := st.StateOf(p.Name).Load(ctx, stateAuthError)
		if err != nil || raw == "" {
			if err != nil {
				return nil, err
			}
			continue
		}
		var ae authError
		if err := json.Unmarshal([]byte(raw), &ae); err != nil {
			return nil, fmt.Errorf("poster %s state %s: %w", p.Name, stateAuthError, err)
		}
		queued, err := st.Unsent(ctx, p.Name)
		if err != nil {
			return nil, err
		}
		if len(queued) > 0 {
			out = append(out, fmt.Sprintf("poster %s cannot authenticate: %d posts wait since %s: %s",
				p.Name, len(queued), stamp(ae.At, cfg), ae.Error))
		}
	}
	return out, nil
}

func stamp(t time.Time, cfg *config.Config) string {
	return t.In(cfg.Location).Format("2006-01-02 15:04:05 MST")
}

package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/store"
)

// runProfiles runs the measured cycle again in this process, wired as
// `itsecbot once` wires it, under the CPU profiler, and writes the CPU and
// allocation profiles to the -profile directory. In history mode it is one
// more routine cycle on the largest history's database.
func runProfiles(ctx context.Context, env *benchEnv) error {
	dir := env.opts.profile
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if n := len(env.opts.history); n > 0 {
		h := env.opts.history[n-1]
		env.feeds.publish(env.corpus.documents(env.opts.reps + 1))
		cfg := filepath.Join(env.tmp, fmt.Sprintf("history-%d", h), "config.yaml")
		return env.profileCycle(ctx, cfg, filepath.Join(dir, fmt.Sprintf("history-%d", h)))
	}
	work := filepath.Join(env.tmp, "profile")
	if err := env.writeConfig(work, env.opts.backfill, 30); err != nil {
		return err
	}
	env.feeds.publish(env.corpus.documents(0))
	cfg := filepath.Join(work, "config.yaml")
	if err := env.profileCycle(ctx, cfg, filepath.Join(dir, "cold")); err != nil {
		return err
	}
	return env.profileCycle(ctx, cfg, filepath.Join(dir, "warm"))
}

// profileCycle writes prefix.cpu.pprof, and the allocation profiles before
// and after the cycle (compare with pprof -diff_base).
func (env *benchEnv) profileCycle(ctx context.Context, cfgPath, prefix string) error {
	if err := writeAllocs(prefix + ".allocs-before.pprof"); err != nil {
		return err
	}
	cpu, err := os.Create(prefix + ".cpu.pprof")
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	defer cpu.Close()
	runtime.GC()
	if err := pprof.StartCPUProfile(cpu); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	start := time.Now()
	rep, err := env.inProcessCycle(ctx, cfgPath)
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	env.progress("profiled %s: %.2fs in process, %d feeds, %d new items", filepath.Base(prefix),
		time.Since(start).Seconds(), rep.FeedsPolled, rep.NewItems)
	return writeAllocs(prefix + ".allocs.pprof")
}

func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	return nil
}

// inProcessCycle is `itsecbot once -force`, wired as cmd/itsecbot wires it.
func (env *benchEnv) inProcessCycle(ctx context.Context, cfgPath string) (pipeline.Report, error) {
	lookup := func(name string) (string, bool) {
		if name == tokenVar {
			return env.token, true
		}
		return os.LookupEnv(name)
	}
	cfg, err := config.Load(cfgPath, lookup, config.Platforms{"mastodon": mastodon.Platform{}})
	if err != nil {
		return pipeline.Report{}, err
	}
	st, err := store.Open(ctx, cfg.DatabasePath())
	if err != nil {
		return pipeline.Report{}, err
	}
	defer st.Close()
	logf, err := os.Create(cfgPath + ".profile.log")
	if err != nil {
		return pipeline.Report{}, err
	}
	defer logf.Close()
	logger := slog.New(slog.NewJSONHandler(logf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	pc := cfg.Posters[0]
	client, err := pc.Settings.New(poster.Env{Common: pc.Common, Logger: logger, State: st.StateOf(pc.Name)})
	if err != nil {
		return pipeline.Report{}, err
	}
	f := cfg.Fetch
	cycle := &pipeline.Cycle{
		Config: cfg, Store: st, Targets: []pipeline.Target{{Poster: client, Common: pc.Common}},
		Fetcher: feeds.NewFetcher(feeds.Options{Timeout: f.TimeoutDuration, ConnectTimeout: f.ConnectTimeoutDuration,
			MaxBody: int64(f.MaxBodyMiB) << 20, PerHost: f.PerHost, Concurrency: f.Concurrency}),
		Logger: logger, Now: time.Now, Templates: cfg.Digest.Parsed, Force: true,
	}
	return cycle.Run(ctx)
}

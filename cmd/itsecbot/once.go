package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/store"
)

func runOnce(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("once", stderr)
	dryRun := fs.Bool("dry-run", false, "fetch, store and filter for real, print every post instead of sending, mark nothing delivered")
	force := fs.Bool("force", false, "poll every feed now, even those not due yet")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	logger := newLogger(cfg.Log, stderr)
	unlock, err := lockDatabase(cfg.DatabasePath())
	if err != nil {
		return err
	}
	defer unlock()
	st, err := store.Open(ctx, cfg.DatabasePath())
	if err != nil {
		return err
	}
	defer st.Close()
	targets, err := buildTargets(cfg, st, *dryRun, stdout, logger)
	if err != nil {
		return err
	}
	cycle := &pipeline.Cycle{
		Config: cfg, Store: st, Fetcher: newFetcher(cfg), Targets: targets,
		Logger: logger, Now: time.Now, Templates: cfg.Digest.Parsed, Force: *force,
	}
	if _, err := cycle.Run(ctx); err != nil {
		return fmt.Errorf("cycle: %w", st.Annotate(err))
	}
	return nil
}

func newFetcher(cfg *config.Config) *feeds.Fetcher {
	ua := cfg.Fetch.UserAgent
	if ua == "" {
		ua = userAgent()
	}
	return feeds.NewFetcher(feeds.Options{
		UserAgent:      ua,
		Timeout:        cfg.Fetch.TimeoutDuration,
		ConnectTimeout: cfg.Fetch.ConnectTimeoutDuration,
		MaxBody:        int64(cfg.Fetch.MaxBodyMiB) << 20,
		PerHost:        cfg.Fetch.PerHost,
		Concurrency:    cfg.Fetch.Concurrency,
		AllowPrivate:   cfg.Fetch.AllowPrivate,
	})
}

// newLogger writes structured logs to w at the configured level and format.
func newLogger(l config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(l.Level)) // validated by config
	opts := &slog.HandlerOptions{Level: level}
	if l.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

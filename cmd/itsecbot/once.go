package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
)

func runOnce(ctx context.Context, sig signals, args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("once", stderr)
	dryRun := fs.Bool("dry-run", false, "fetch, store and filter for real, print every post instead of sending, mark nothing delivered")
	force := fs.Bool("force", false, "poll every feed now, even those not due yet")
	logFormat := logFormatFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadLogged(*path, *logFormat)
	if err != nil {
		return err
	}
	hard, cancel := bounded(ctx, sig.stop, stopGrace(cfg))
	defer cancel()
	logger := newLogger(cfg.Log, stderr)
	r := cycleRun{cfg: cfg, logger: logger, stdout: stdout, dryRun: *dryRun, force: *force, stop: sig.stop}
	if err := r.run(hard); err != nil && !errors.Is(err, errStopped) {
		return err
	}
	logMemStats(ctx, logger)
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

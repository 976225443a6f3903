package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/stdout"
	"github.com/itsecbot/itsecbot/store"
	"github.com/itsecbot/itsecbot/textlen"
)

// buildTargets makes one target per configured poster. Without posters
// the bot prints to stdout. A poster without credentials prints instead of
// sending and records nothing, so its items wait for the credentials.
func buildTargets(cfg *config.Config, st *store.Store, dryRun bool, out io.Writer, logger *slog.Logger) ([]pipeline.Target, error) {
	if len(cfg.Posters) == 0 {
		p, err := stdout.New("stdout", out, textlen.Spec{Platform: textlen.PlatformMastodon})
		if err != nil {
			return nil, err
		}
		return []pipeline.Target{{Poster: p, DryRun: dryRun}}, nil
	}
	var targets []pipeline.Target
	for _, pc := range cfg.Posters {
		t, err := buildTarget(pc, st, dryRun, out, logger)
		if err != nil {
			return nil, fmt.Errorf("poster %q: %w", pc.Name, err)
		}
		targets = append(targets, t)
	}
	return targets, nil
}

func buildTarget(pc config.Poster, st *store.Store, dryRun bool, out io.Writer, logger *slog.Logger) (pipeline.Target, error) {
	t := pipeline.Target{Common: pc.Common, DryRun: dryRun}
	if missing := pc.Missing(); missing != "" {
		logger.Warn("poster has no credentials: printing its posts instead of sending, nothing is marked delivered",
			"poster", pc.Name, "reason", missing)
		p, err := stdout.New(pc.Name, out, pc.Settings.Fallback())
		if err != nil {
			return t, err
		}
		t.Poster, t.DryRun = p, true
		return t, nil
	}
	p, err := newPoster(pc, st, out, logger)
	if err != nil {
		return t, err
	}
	t.Poster = p
	if dryRun {
		t.Poster = stdout.DryRun(p, out)
	}
	return t, nil
}

// newPoster builds the poster of an entry that has its credentials.
func newPoster(pc config.Poster, st *store.Store, out io.Writer, logger *slog.Logger) (poster.Poster, error) {
	return pc.Settings.New(poster.Env{
		Common:    pc.Common,
		UserAgent: userAgent(),
		Stdout:    out,
		Logger:    logger.With("poster", pc.Name),
		State:     st.StateOf(pc.Name),
	})
}

func userAgent() string {
	return "itsecbot/" + shortVersion() + " (+https://github.com/itsecbot/itsecbot)"
}

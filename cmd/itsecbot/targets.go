package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/textlen"
)

// buildTargets makes one target per configured poster. Without posters
// the bot prints to stdout. A poster without credentials prints instead of
// sending and records nothing, so its items wait for the credentials.
func buildTargets(cfg *config.Config, dryRun bool, stdout io.Writer, logger *slog.Logger) ([]pipeline.Target, error) {
	if len(cfg.Posters) == 0 {
		return []pipeline.Target{{Poster: poster.NewStdout("stdout", stdout, textlen.Mastodon(0, 0)), DryRun: dryRun}}, nil
	}
	var targets []pipeline.Target
	for _, pc := range cfg.Posters {
		t, err := buildTarget(pc, dryRun, stdout, logger)
		if err != nil {
			return nil, fmt.Errorf("poster %q: %w", pc.Name, err)
		}
		targets = append(targets, t)
	}
	return targets, nil
}

func buildTarget(pc config.Poster, dryRun bool, stdout io.Writer, logger *slog.Logger) (pipeline.Target, error) {
	switch pc.Type {
	case "stdout":
		return pipeline.Target{Poster: poster.NewStdout(pc.Name, stdout, textlen.Mastodon(pc.MaxChars, 0)), DryRun: dryRun}, nil
	case "mastodon":
		if pc.Missing != "" {
			logger.Warn("poster has no credentials: printing its posts instead of sending, nothing is marked delivered",
				"poster", pc.Name, "reason", pc.Missing)
			return pipeline.Target{Poster: poster.NewStdout(pc.Name, stdout, textlen.Mastodon(0, 0)), DryRun: true}, nil
		}
		c, err := mastodon.New(mastodon.Config{
			Name: pc.Name, Server: pc.Server, AccessToken: pc.Token, Visibility: pc.Visibility,
			Language: pc.Language, SpoilerText: pc.SpoilerText, UserAgent: "itsecbot/" + version,
		})
		if err != nil {
			return pipeline.Target{}, err
		}
		if dryRun {
			return pipeline.Target{Poster: poster.NewDryRun(c, stdout), DryRun: true}, nil
		}
		return pipeline.Target{Poster: c}, nil
	}
	return pipeline.Target{}, fmt.Errorf("unknown poster type %q", pc.Type)
}

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/store"
	"github.com/itsecbot/itsecbot/textlen"
)

// runPreview prints, per poster, the posts a cycle would send now (those
// queued, then those it would compose) with each one's length by the
// platform's rule. It polls, sends and stores nothing: the database is
// opened read-only. A Mastodon poster's limits are asked from its
// instance, as a cycle would.
func runPreview(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) error {
	fs, path := newFlags("preview", stderr)
	only := fs.String("poster", "", "preview only the poster of this name")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	dbPath := cfg.DatabasePath()
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("no database at %s yet: run 'itsecbot once' first (%w)", dbPath, err)
	}
	st, err := store.OpenReadOnly(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	logger := newLogger(cfg.Log, stderr)
	targets, err := buildTargets(cfg, st, true, io.Discard, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	if targets, err = onlyPoster(targets, *only); err != nil {
		return err
	}
	c := &pipeline.Cycle{Config: cfg, Store: st, Targets: targets, Logger: logger, Now: now, Templates: cfg.Digest.Parsed}
	previews, err := c.Preview(ctx)
	if err != nil {
		return err
	}
	var b strings.Builder
	for i, pv := range previews {
		if i > 0 {
			b.WriteString("\n")
		}
		writePreview(&b, pv, missingCredentials(cfg, pv.Poster))
	}
	_, err = io.WriteString(stdout, b.String())
	return err
}

// onlyPoster keeps the target named name; "" keeps them all.
func onlyPoster(targets []pipeline.Target, name string) ([]pipeline.Target, error) {
	if name == "" {
		return targets, nil
	}
	var names []string
	for _, t := range targets {
		if t.Poster.Name() == name {
			return []pipeline.Target{t}, nil
		}
		names = append(names, t.Poster.Name())
	}
	return nil, &usageError{fmt.Sprintf("no poster named %q (posters: %s)", name, strings.Join(names, ", "))}
}

func missingCredentials(cfg *config.Config, name string) string {
	for _, p := range cfg.Posters {
		if p.Name == name {
			return p.Missing()
		}
	}
	return ""
}

func writePreview(b *strings.Builder, pv pipeline.Preview, missing string) {
	rule := "limits unknown"
	if pv.Rule != nil {
		rule = pv.Spec.String()
	}
	fmt.Fprintf(b, "== %s (%s) ==\n", pv.Poster, rule)
	if missing != "" {
		fmt.Fprintf(b, "no credentials (%s): previewed under the platform's fallback rule\n", missing)
	}
	if len(pv.Queued) > 0 {
		fmt.Fprintf(b, "queued: %d posts, sent first; new posts are composed once they are out\n", len(pv.Queued))
		for _, p := range pv.Queued {
			fmt.Fprintf(b, "--- queued post %d, part %d, %s", p.ID, p.Seq+1, length(pv.Rule, p.Text))
			if p.Error != "" {
				fmt.Fprintf(b, ", waits: %s", p.Error)
			}
			fmt.Fprintf(b, "\n%s\n", strings.TrimRight(p.Text, "\n"))
		}
	}
	switch {
	case pv.Waits != "":
		fmt.Fprintf(b, "nothing new is composed: %s\n", pv.Waits)
	case len(pv.Threads) == 0:
		b.WriteString("nothing new to post\n")
	}
	for i, th := range pv.Threads {
		for j, p := range th.Posts {
			fmt.Fprintf(b, "--- thread %d/%d, post %d/%d, %s\n%s\n", i+1, len(pv.Threads), j+1, len(th.Posts),
				length(pv.Rule, p.Text), strings.TrimRight(p.Text, "\n"))
		}
	}
}

// length is a text's length by the rule, out of its limit.
func length(rule textlen.Rule, text string) string {
	if rule == nil {
		return "length unknown"
	}
	s := fmt.Sprintf("length %d/%d", rule.Length(text), rule.Limit())
	if !rule.Fits(text) {
		s += " (does not fit)"
	}
	return s
}

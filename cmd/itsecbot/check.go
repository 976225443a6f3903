package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/store"
)

// errCheckFailed ends `check -online` with status 1 once every problem is
// printed.
var errCheckFailed = errors.New("check found problems")

// runCheck validates the config, and what a run will need from the
// machine (the database folder, file: feeds), and prints a summary.
// Problems exit 2 with one line each (file:line: key: message). With
// -online it also fetches each feed once and asks each poster's platform
// whether its credentials work, storing and posting nothing.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("check", stderr)
	online := fs.Bool("online", false, "also verify each poster's credentials and read its limits (posts nothing)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	if err := config.Preflight(cfg); err != nil {
		return err
	}
	enabled := 0
	for _, f := range cfg.Feeds {
		if !f.Disabled {
			enabled++
		}
	}
	fmt.Fprintf(stdout, "%s: ok: feeds %d (%d enabled), posters %d, database %s\n",
		cfg.Path, len(cfg.Feeds), enabled, len(cfg.Posters), cfg.DatabasePath())
	for _, p := range cfg.Posters {
		if m := p.Missing(); m != "" {
			fmt.Fprintf(stdout, "warning: poster %q has no credentials (%s): it will print posts instead of sending\n", p.Name, m)
		}
	}
	if len(cfg.Posters) == 0 {
		fmt.Fprintln(stdout, "note: no posters configured: posts are printed to standard output")
	}
	printSchedule(cfg, stdout)
	if !*online {
		return nil
	}
	feedsOK := probeFeeds(ctx, cfg, stdout)
	state := func(string) poster.State { return &poster.MemoryState{} } // before the first run: forgotten
	if _, err := os.Stat(cfg.DatabasePath()); err == nil {
		// A poster with a session (Bluesky) must reuse and keep it: logins
		// are few. A database of another schema (a daemon of another
		// version uses it) is not migrated behind that daemon's back.
		st, unlock, err := openSessions(ctx, cfg)
		if err != nil {
			fmt.Fprintf(stdout, "note: sessions are not read or kept: %v\n", err)
		} else {
			defer unlock()
			defer st.Close()
			state = func(name string) poster.State { return st.StateOf(name) }
		}
	}
	if !checkPosters(ctx, cfg, state, stdout) || !feedsOK {
		return errCheckFailed
	}
	return nil
}

// printSchedule says when `run` polls and when each poster composes.
func printSchedule(cfg *config.Config, stdout io.Writer) {
	now := time.Now()
	fmt.Fprintf(stdout, "schedule: poll %s, next %s\n", pollSpec(cfg), stamp(cfg.Schedule.PollSchedule.Next(now), cfg))
	for _, p := range cfg.Posters {
		if len(p.Digests) == 0 {
			fmt.Fprintf(stdout, "schedule: poster %s composes on every poll\n", p.Name)
			continue
		}
		fmt.Fprintf(stdout, "schedule: poster %s composes at its digest times, next %s\n", p.Name, stamp(p.Digests.Next(now), cfg))
	}
}

// checkPosters verifies each poster's credentials and limits and prints
// one line per poster; false when any failed.
func checkPosters(ctx context.Context, cfg *config.Config, state func(string) poster.State, stdout io.Writer) bool {
	ok := true
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, pc := range cfg.Posters {
		if pc.Missing() != "" {
			continue
		}
		p, err := pc.Settings.New(poster.Env{Common: pc.Common, UserAgent: userAgent(), Stdout: io.Discard, Logger: quiet, State: state(pc.Name)})
		if err != nil {
			fmt.Fprintf(stdout, "poster %s: error: %v\n", pc.Name, err)
			ok = false
			continue
		}
		if !checkPoster(ctx, p, stdout) {
			ok = false
		}
	}
	return ok
}

func checkPoster(ctx context.Context, p poster.Poster, stdout io.Writer) bool {
	account := "(cannot verify credentials on this platform)"
	if v, isVerifier := p.(poster.Verifier); isVerifier {
		a, err := v.Verify(ctx)
		if err != nil {
			hint := ""
			if poster.CauseOf(err) == poster.CauseAuth {
				hint = ": renew the token, or check the server URL"
			}
			fmt.Fprintf(stdout, "poster %s: error: %v%s\n", p.Name(), err, hint)
			return false
		}
		account = a.Name
		if a.URL != "" {
			account += " " + a.URL
		}
	}
	spec, err := p.Limits(ctx)
	limits := spec.String()
	if err != nil {
		limits = fmt.Sprintf("cannot read the limits (%v); default %s", err, spec)
	}
	fmt.Fprintf(stdout, "poster %s: ok: %s; %s\n", p.Name(), account, limits)
	return err == nil
}

// openSessions opens the database to read and keep posters' sessions, under
// the run lock, when its schema is the one this itsecbot writes.
func openSessions(ctx context.Context, cfg *config.Config) (*store.Store, func(), error) {
	ro, err := store.OpenReadOnly(ctx, cfg.DatabasePath())
	if err != nil {
		return nil, nil, err
	}
	ro.Close()
	return openToChange(ctx, cfg)
}

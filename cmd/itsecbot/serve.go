package main

import (
	"context"
	"io"

	"github.com/itsecbot/itsecbot/web"
)

// runServe serves the status page, the curated feeds, /healthz and
// /metrics from the database read-only, until ctx ends (a signal): for a bot run
// from cron, or to look at a database without running the bot. Counters
// of fetches and posts stay at zero here; they come from a process that
// runs cycles.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs, path := newFlags("serve", stderr)
	listen := fs.String("listen", "", "address to serve on (default http.listen from the config, else 127.0.0.1:8080)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	switch {
	case *listen != "":
		cfg.HTTP.Listen = *listen
	case cfg.HTTP.Listen == "":
		cfg.HTTP.Listen = "127.0.0.1:8080"
	}
	return web.Serve(ctx, cfg, nil, newLogger(cfg.Log, stderr), shortVersion())
}

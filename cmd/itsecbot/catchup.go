package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// runCatchUp marks every story pending for every poster as seen ("caught
// up"), posting nothing: after a long outage, or before a poster's first
// real run, when its backlog is not worth posting.
func runCatchUp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("catchup", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	st, unlock, err := openToChange(ctx, cfg)
	if err != nil {
		return err
	}
	defer unlock()
	defer st.Close()
	names := []string{"stdout"} // the poster of a config without posters
	if len(cfg.Posters) > 0 {
		names = names[:0]
		for _, p := range cfg.Posters {
			names = append(names, p.Name)
		}
	}
	now := time.Now()
	for _, name := range names {
		if _, err := st.RegisterPoster(ctx, name, now); err != nil {
			return err
		}
		n, err := st.CatchUp(ctx, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "poster %s: %d pending stories marked as caught up; they will not be posted\n", name, n)
	}
	return nil
}

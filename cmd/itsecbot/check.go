package main

import (
	"fmt"
	"io"
)

// runCheck validates the config and prints a summary. Invalid config exits 2
// with one line per problem (file:line: key: message).
func runCheck(args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("check", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
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
		if p.Missing != "" {
			fmt.Fprintf(stdout, "warning: poster %q has no credentials (%s): it will print posts instead of sending\n", p.Name, p.Missing)
		}
	}
	if len(cfg.Posters) == 0 {
		fmt.Fprintln(stdout, "note: no posters configured: posts are printed to standard output")
	}
	return nil
}

// Command itsecbot-bench measures itsecbot cycles end to end: it generates
// feeds from the captured fixtures, serves them on loopback with ETags,
// runs the real itsecbot binary against them and a fake Mastodon, and
// reports time, memory and database size beside the floors of parsing and
// fetching the same bytes.
//
//	go run ./cmd/itsecbot-bench -feeds 1000                           cold and warm cycles
//	go run ./cmd/itsecbot-bench -feeds 100 -history 0,100000,1000000  cycle cost against stored history
//	go run ./cmd/itsecbot-bench -feeds 1000 -peer feed2toot           the same feeds through feed2toot
//
// See BENCHMARKS.md for the figures and what they are compared with.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var err error
	if os.Getenv(launcherEnv) == "1" {
		err = serveLauncher(ctx, os.Stdin, os.Stdout)
	} else {
		err = run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "itsecbot-bench:", err)
		os.Exit(1)
	}
}

// tabler is a report that prints as a table.
type tabler interface{ writeTable(io.Writer) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	env, err := newEnv(ctx, o, stderr)
	if err != nil {
		return err
	}
	defer env.close()
	var rep tabler
	switch {
	case o.peer != "":
		rep, err = runPeer(ctx, env)
	case len(o.history) > 0:
		rep, err = runHistory(ctx, env)
	default:
		rep, err = runCycles(ctx, env)
	}
	if err != nil {
		return err
	}
	if o.profile != "" {
		if err := runProfiles(ctx, env); err != nil {
			return err
		}
	}
	if o.save != "" {
		if err := saveJSON(o.save, rep); err != nil {
			return err
		}
	}
	if o.json {
		return printJSON(stdout, rep)
	}
	rep.writeTable(stdout)
	return nil
}

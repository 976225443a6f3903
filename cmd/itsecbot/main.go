// Command itsecbot polls security feeds and posts the relevant items,
// tagged #itsec_jp, to Mastodon and other platforms.
//
// Usage:
//
//	itsecbot once   [-config FILE] [-dry-run] [-force]   one full cycle
//	itsecbot check  [-config FILE]                       validate the config
//	itsecbot items  [-config FILE] [-json] [-limit N]    stored items, newest first
//	itsecbot feeds  [-config FILE] [-json]               per-feed health
//	itsecbot preview [-config FILE] [-poster NAME]       next posts, sent nowhere
//	itsecbot serve  [-config FILE] [-listen ADDR]        status page and feeds, read-only
//
// Exit status: 0 when the command ran (a failing feed is logged, not fatal),
// 2 for a usage or config error, 1 when something stopped the command.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/itsecbot/itsecbot/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode reports err on w and maps it to the documented exit status.
func exitCode(err error, w io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(w, "itsecbot:", err)
	var ue *usageError
	if errors.As(err, &ue) || config.IsInvalid(err) {
		return 2
	}
	return 1
}

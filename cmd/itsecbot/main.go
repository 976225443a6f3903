// Command itsecbot polls security feeds and posts the relevant items,
// tagged #itsec_jp, to Mastodon and other platforms.
//
// Usage:
//
//	itsecbot run     [-config FILE]                      the daemon: cycles on the configured schedule
//	itsecbot once    [-config FILE] [-dry-run] [-force]  one full cycle (for cron)
//	itsecbot check   [-config FILE] [-online]            validate the config
//	itsecbot health  [-config FILE]                      exit 1 with reasons when the bot is not working
//	itsecbot items   [-config FILE] [-json] [-limit N]   stored items, newest first
//	itsecbot feeds   [-config FILE] [-json]              per-feed health
//	itsecbot preview [-config FILE] [-poster NAME]      next posts, sent nowhere
//	itsecbot serve   [-config FILE] [-listen ADDR]       status page and feeds, read-only
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
	sig, stopSignals := notify(os.Stderr)
	err := runWith(context.Background(), sig, os.Args[1:], os.Stdout, os.Stderr)
	stopSignals()
	os.Exit(exitCode(err, os.Stderr))
}

// signals carries the operating system's signals to a command.
type signals struct {
	stop   context.Context // done at the first SIGTERM or SIGINT: start nothing new
	reload <-chan struct{} // a value per SIGHUP (the daemon reloads its config)
}

// notify turns SIGTERM and SIGINT into signals.stop and SIGHUP into
// signals.reload. A second SIGTERM or SIGINT exits at once, with status 1:
// the outbox is crash-safe, so nothing is lost, at worst looked up again.
func notify(stderr io.Writer) (signals, func()) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	stop, cancel := context.WithCancel(context.Background())
	reload := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for s := range ch {
			switch {
			case s == syscall.SIGHUP:
				select {
				case reload <- struct{}{}:
				default: // a reload is already pending
				}
			case stop.Err() != nil:
				fmt.Fprintln(stderr, "itsecbot: second signal: exiting now")
				os.Exit(1)
			default:
				cancel()
			}
		}
	}()
	return signals{stop: stop, reload: reload}, func() {
		signal.Stop(ch)
		close(ch)
		<-done
		cancel()
	}
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

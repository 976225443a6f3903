package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

type options struct {
	feeds, items, reps, hosts    int
	concurrency, perHost         int
	backfill, newItems           int
	history                      []int
	json, keep, installPeer      bool
	bin, fixtures, profile, peer string
	save                         string
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("itsecbot-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.feeds, "feeds", 1000, "feeds to generate (history mode: 100 unless given)")
	fs.IntVar(&o.items, "items", 50, "items per feed")
	fs.IntVar(&o.reps, "reps", 3, "repetitions; the report gives the median and range")
	fs.IntVar(&o.hosts, "hosts", 50, "loopback ports the feeds are spread over (the fetcher limits per host)")
	fs.IntVar(&o.concurrency, "concurrency", 8, "fetch.concurrency of the generated config, and of the floors")
	fs.IntVar(&o.perHost, "per-host", 2, "fetch.per_host of the generated config, and of the fetch floor")
	fs.IntVar(&o.backfill, "backfill", 0, "backfill of the generated config (cold cycle)")
	fs.IntVar(&o.newItems, "new-items", 3, "history mode: new items per feed in each measured cycle")
	history := fs.String("history", "", "history mode: comma-separated stored item counts, e.g. 0,100000,1000000")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON")
	fs.StringVar(&o.save, "save", "", "also write the JSON report to this file")
	fs.BoolVar(&o.keep, "keep", false, "keep the scratch directory (configs, databases, logs)")
	fs.StringVar(&o.bin, "bin", "", "itsecbot binary to run (default: go build ./cmd/itsecbot)")
	fs.StringVar(&o.fixtures, "fixtures", "", "captured feeds (default: testdata/feeds of this module)")
	fs.StringVar(&o.profile, "profile", "", "also run the cycle in-process under pprof, writing profiles to this directory")
	fs.StringVar(&o.peer, "peer", "", "run this peer instead of itsecbot: feed2toot")
	fs.BoolVar(&o.installPeer, "install-peer", false, "install the peer's Debian package if it is missing (apt-get)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *history != "" && !set["feeds"] {
		o.feeds = 100
	}
	return o, o.finish(*history)
}

func (o *options) finish(history string) error {
	for _, s := range strings.Split(history, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return fmt.Errorf("-history: %q is not a count of items", s)
		}
		o.history = append(o.history, n)
	}
	if o.feeds < 1 || o.items < 1 || o.reps < 1 || o.hosts < 1 || o.concurrency < 1 || o.perHost < 1 {
		return errors.New("-feeds, -items, -reps, -hosts, -concurrency and -per-host must be at least 1")
	}
	if o.peer != "" && o.peer != "feed2toot" {
		return fmt.Errorf("-peer: unknown peer %q (known: feed2toot)", o.peer)
	}
	if o.peer != "" && len(o.history) > 0 {
		return errors.New("-peer and -history do not combine")
	}
	if o.fixtures == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		o.fixtures = filepath.Join(moduleRoot(wd), "testdata", "feeds")
	}
	return nil
}

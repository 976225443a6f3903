package main

import (
	"context"
	"errors"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
)

// feedProbe is one feed as `check -online` found it.
type feedProbe struct {
	name, status, format, encoding, newest, err string
	items                                       int
}

// probeFeeds fetches and parses every enabled feed once, as a cycle would
// but without validators, storing nothing; false when one failed.
func probeFeeds(ctx context.Context, cfg *config.Config, stdout io.Writer) bool {
	fetcher := newFetcher(cfg) // its limits bound the fetches in flight
	probes := make([]feedProbe, len(cfg.Feeds))
	var wg sync.WaitGroup
	for i, fc := range cfg.Feeds {
		probes[i] = feedProbe{name: fc.Name, status: "disabled"}
		if fc.Disabled {
			continue
		}
		wg.Go(func() { probes[i] = probeFeed(ctx, fetcher, cfg, fc) })
	}
	wg.Wait()
	var t table
	t.add("FEED", "STATUS", "FORMAT", "ITEMS", "NEWEST", "ENCODING", "ERROR")
	ok := true
	for _, p := range probes {
		if p.err != "" {
			ok = false
		}
		t.add(p.name, p.status, dash(p.format), strconv.Itoa(p.items), dash(p.newest), dash(p.encoding), dash(p.err))
	}
	if err := t.write(stdout); err != nil {
		return false
	}
	return ok
}

func probeFeed(ctx context.Context, fetcher *feeds.Fetcher, cfg *config.Config, fc config.Feed) feedProbe {
	p := feedProbe{name: fc.Name, status: "-"}
	resp, err := fetcher.Fetch(ctx, fc.URL, feeds.Validators{})
	if resp != nil {
		p.status = statusText(resp.Status)
	}
	if err != nil {
		var se *feeds.StatusError
		if errors.As(err, &se) {
			p.status = statusText(se.Status)
		}
		p.err = err.Error()
		return p
	}
	parsed, err := feeds.Parse(resp.Body, feeds.ParseOptions{ContentType: resp.ContentType, Location: fc.Location})
	if err != nil {
		p.err = err.Error()
		return p
	}
	p.format, p.encoding, p.items = parsed.Format, parsed.Encoding, len(parsed.Items)
	var newest time.Time
	for _, it := range parsed.Items {
		if it.Published.After(newest) {
			newest = it.Published
		}
	}
	if !newest.IsZero() {
		p.newest = newest.In(cfg.Location).Format("2006-01-02 15:04")
	}
	return p
}

func statusText(status int) string {
	if status == 0 {
		return "file"
	}
	return strconv.Itoa(status)
}

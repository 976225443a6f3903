package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/sync/errgroup"

	"github.com/itsecbot/itsecbot/feeds"
)

// eachParallel runs fn(i) for i in [0, n) on workers goroutines and returns
// the time taken and the first error.
func eachParallel(n, workers int, fn func(i int) error) (time.Duration, error) {
	var g errgroup.Group
	g.SetLimit(workers)
	start := time.Now()
	for i := range n {
		g.Go(func() error { return fn(i) })
	}
	err := g.Wait()
	return time.Since(start), err
}

// gofeedFloor parses every document with gofeed alone, configured as
// feeds.Parse configures it: the floor under any feed parsing.
func gofeedFloor(docs [][]byte, workers int) (time.Duration, error) {
	return eachParallel(len(docs), workers, func(i int) error {
		p := gofeed.NewParser()
		p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
		if _, err := p.Parse(bytes.NewReader(docs[i])); err != nil {
			return fmt.Errorf("gofeed parse of feed %d: %w", i, err)
		}
		return nil
	})
}

// feedsParseTime parses every document with feeds.Parse (decoding, gofeed,
// normalising): what the cycle itself spends on parsing.
func feedsParseTime(docs [][]byte, workers int) (time.Duration, error) {
	return eachParallel(len(docs), workers, func(i int) error {
		if _, err := feeds.Parse(docs[i], feeds.ParseOptions{}); err != nil {
			return fmt.Errorf("parse feed %d: %w", i, err)
		}
		return nil
	})
}

// fetchFloor GETs every URL over loopback with the fetcher's limits (in all
// and per host), reading each body, sending etags when given: the floor
// under fetching.
func fetchFloor(ctx context.Context, urls, etags []string, concurrency, perHost int) (time.Duration, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = perHost
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	all := make(chan struct{}, concurrency)
	var mu sync.Mutex
	hosts := map[string]chan struct{}{}
	hostSem := func(h string) chan struct{} {
		mu.Lock()
		defer mu.Unlock()
		if hosts[h] == nil {
			hosts[h] = make(chan struct{}, perHost)
		}
		return hosts[h]
	}
	return eachParallel(len(urls), 4*concurrency, func(i int) error {
		u, err := url.Parse(urls[i])
		if err != nil {
			return err
		}
		hs := hostSem(u.Host)
		hs <- struct{}{}
		defer func() { <-hs }()
		all <- struct{}{}
		defer func() { <-all }()
		etag := ""
		if etags != nil {
			etag = etags[i]
		}
		return getOnce(ctx, client, urls[i], etag)
	})
}

func getOnce(ctx context.Context, client *http.Client, rawURL, etag string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err != nil { // held in memory, as the fetcher does
		return fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified {
		return fmt.Errorf("fetch %s: status %d", rawURL, resp.StatusCode)
	}
	return nil
}

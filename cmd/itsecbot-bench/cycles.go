package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"time"
)

// cycleReport is the cold/warm run: figures keyed by name, each a stat over
// the repetitions.
type cycleReport struct {
	Mode    string          `json:"mode"`
	Setup   setup           `json:"setup"`
	Machine machine         `json:"machine"`
	Figures map[string]stat `json:"figures"`
	Counts  map[string]int  `json:"counts"`
	Targets []target        `json:"targets"`
}

// setup is what was measured, for the report's heading.
type setup struct {
	Feeds       int   `json:"feeds"`
	Items       int   `json:"items_per_feed"`
	Bytes       int64 `json:"document_bytes"`
	Hosts       int   `json:"hosts"`
	Concurrency int   `json:"concurrency"`
	PerHost     int   `json:"per_host"`
	Backfill    int   `json:"backfill"`
	Reps        int   `json:"reps"`
	NewItems    int   `json:"new_items_per_feed,omitempty"`
	History     []int `json:"history,omitempty"`
}

// runCycles measures a cold cycle (empty database) and a warm one (every
// feed answers 304) of the real binary, and the parse and fetch floors of
// the same documents, reps times.
func runCycles(ctx context.Context, env *benchEnv) (*cycleReport, error) {
	o := env.opts
	docs := env.corpus.documents(0)
	env.feeds.publish(docs)
	rep := &cycleReport{Mode: "cycles", Setup: env.setup(totalBytes(docs)), Machine: thisMachine(),
		Counts: map[string]int{}}
	s := series{}
	for r := range o.reps {
		dir := filepath.Join(env.tmp, fmt.Sprintf("cycles-%d", r))
		if err := env.writeConfig(dir, o.backfill, 30); err != nil {
			return nil, err
		}
		if err := env.coldAndWarm(ctx, dir, s, rep.Counts); err != nil {
			return nil, err
		}
		if err := measureFloors(ctx, env, docs, s); err != nil {
			return nil, err
		}
		env.progress("rep %d/%d: cold %.2fs, warm %.2fs, floor parse+fetch %.2fs", r+1, o.reps,
			last(s["cold_seconds"]), last(s["warm_seconds"]), last(s["floor_parse_plus_fetch_seconds"]))
	}
	rep.Figures = s.stats()
	rep.Targets = cycleTargets(rep.Figures, o.feeds)
	rep.Machine.Load = env.load()
	return rep, nil
}

func last(xs []float64) float64 { return xs[len(xs)-1] }

// coldAndWarm runs the two cycles on a fresh database in dir.
func (env *benchEnv) coldAndWarm(ctx context.Context, dir string, s series, counts map[string]int) error {
	o := env.opts
	cfg, db := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "bench.db")
	env.feeds.resetCounts()
	env.mastodon.resetCounts()
	runtime.GC()
	cold, err := env.runItsecbot(ctx, cfg, filepath.Join(dir, "cold.log"))
	if err != nil {
		return err
	}
	if err := checkRun("cold", cold, o.feeds, o.feeds*o.items); err != nil {
		return err
	}
	posts, _ := env.mastodon.counts()
	counts["cold_new_items"], counts["cold_accepted"], counts["cold_posts"] = cold.NewItems, cold.Accepted, posts
	addRun(s, "cold", cold, o.feeds*o.items)
	s.add("db_bytes", float64(dbSize(db)))
	env.feeds.resetCounts()
	runtime.GC()
	warm, err := env.runItsecbot(ctx, cfg, filepath.Join(dir, "warm.log"))
	if err != nil {
		return err
	}
	if err := checkRun("warm", warm, o.feeds, 0); err != nil {
		return err
	}
	if n := env.feeds.not.Load(); n != int64(o.feeds) {
		return fmt.Errorf("warm cycle: %d of %d feeds answered 304", n, o.feeds)
	}
	addRun(s, "warm", warm, o.feeds*o.items)
	return nil
}

// checkRun fails a run that did not do the work being measured.
func checkRun(name string, r childRun, feeds, newItems int) error {
	if r.FeedsPolled != feeds || r.FeedsFailed != 0 || r.NewItems != newItems {
		return fmt.Errorf("%s cycle: polled %d feeds (%d failed), %d new items; want %d feeds, %d new items (first warning: %s)",
			name, r.FeedsPolled, r.FeedsFailed, r.NewItems, feeds, newItems, r.FirstWarning)
	}
	return nil
}

func addRun(s series, name string, r childRun, items int) {
	s.add(name+"_seconds", secs(r.Wall))
	s.add(name+"_items_per_second", float64(items)/r.Wall.Seconds())
	s.add(name+"_cpu_seconds", secs(r.UserCPU+r.SysCPU))
	s.add(name+"_max_rss_bytes", float64(r.MaxRSS))
	s.add(name+"_heap_sys_bytes", float64(r.HeapSys))
	s.add(name+"_sys_bytes", float64(r.Sys))
	s.add(name+"_total_alloc_bytes", float64(r.TotalAlloc))
	s.add(name+"_mallocs", float64(r.Mallocs))
}

// measureFloors times gofeed alone, feeds.Parse and loopback fetching of
// the same documents.
func measureFloors(ctx context.Context, env *benchEnv, docs []document, s series) error {
	o := env.opts
	b := bodies(docs)
	urls, etags := make([]string, len(docs)), make([]string, len(docs))
	for i, d := range docs {
		urls[i], etags[i] = env.feeds.url(i), d.etag
	}
	timed := func(name string, fn func() (time.Duration, error)) error {
		runtime.GC()
		cpu := selfCPU()
		d, err := fn()
		s.add(name+"_seconds", secs(d))
		s.add(name+"_cpu_seconds", secs(selfCPU()-cpu))
		return err
	}
	for _, f := range []struct {
		name string
		fn   func() (time.Duration, error)
	}{
		{"floor_gofeed_parse", func() (time.Duration, error) { return gofeedFloor(b, o.concurrency) }},
		{"floor_gofeed_parse_1worker", func() (time.Duration, error) { return gofeedFloor(b, 1) }},
		{"feeds_parse", func() (time.Duration, error) { return feedsParseTime(b, o.concurrency) }},
		{"floor_fetch", func() (time.Duration, error) { return fetchFloor(ctx, urls, nil, o.concurrency, o.perHost) }},
		{"floor_fetch_304", func() (time.Duration, error) { return fetchFloor(ctx, urls, etags, o.concurrency, o.perHost) }},
	} {
		if err := timed(f.name, f.fn); err != nil {
			return err
		}
	}
	parse, fetch := last(s["floor_gofeed_parse_seconds"]), last(s["floor_fetch_seconds"])
	s.add("floor_parse_plus_fetch_seconds", parse+fetch)
	s.add("floor_parse_plus_fetch_cpu_seconds", last(s["floor_gofeed_parse_cpu_seconds"])+last(s["floor_fetch_cpu_seconds"]))
	s.add("cold_over_floor", last(s["cold_seconds"])/(parse+fetch))
	s.add("cold_cpu_over_floor_cpu", last(s["cold_cpu_seconds"])/last(s["floor_parse_plus_fetch_cpu_seconds"]))
	return nil
}

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"time"
)

// historyReport is the cycle's cost against the size of the database.
type historyReport struct {
	Mode    string         `json:"mode"`
	Setup   setup          `json:"setup"`
	Machine machine        `json:"machine"`
	Sizes   []historyPoint `json:"sizes"`
	Targets []target       `json:"targets"`
}

type historyPoint struct {
	History       int             `json:"history_items"`
	StoredItems   int             `json:"stored_items"`
	PrefillSecond float64         `json:"prefill_seconds"`
	DBBytes       int64           `json:"db_bytes"`
	Figures       map[string]stat `json:"figures"`
	Counts        map[string]int  `json:"counts"`
}

// runHistory measures, for each history size, a routine cycle (every feed
// has newPer new items) on a database pre-filled with that many items.
func runHistory(ctx context.Context, env *benchEnv) (*historyReport, error) {
	o := env.opts
	rep := &historyReport{Mode: "history", Machine: thisMachine()}
	for _, h := range o.history {
		p, err := env.historyPoint(ctx, h)
		if err != nil {
			return nil, err
		}
		rep.Sizes = append(rep.Sizes, p)
	}
	rep.Setup = env.setup(totalBytes(env.corpus.documents(o.reps)))
	rep.Targets = historyTargets(rep.Sizes)
	rep.Machine.Load = env.load()
	return rep, nil
}

func (env *benchEnv) historyPoint(ctx context.Context, history int) (historyPoint, error) {
	o := env.opts
	p := historyPoint{History: history, Counts: map[string]int{}}
	dir := filepath.Join(env.tmp, fmt.Sprintf("history-%d", history))
	if err := env.writeConfig(dir, 0, 1000); err != nil {
		return p, err
	}
	cfg, db := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "bench.db")
	docs := env.corpus.documents(0)
	env.feeds.publish(docs)
	start := time.Now()
	if err := prefill(ctx, db, env, docs, history, start); err != nil {
		return p, fmt.Errorf("prefill %d items: %w", history, err)
	}
	p.PrefillSecond = time.Since(start).Seconds()
	env.progress("history %d: prefilled in %.1fs (%.0f MB)", history, p.PrefillSecond, float64(dbSize(db))/1e6)
	s := series{}
	for r := range o.reps {
		env.feeds.publish(env.corpus.documents(r + 1))
		env.mastodon.resetCounts()
		runtime.GC()
		run, err := env.runItsecbot(ctx, cfg, filepath.Join(dir, fmt.Sprintf("cycle-%d.log", r)))
		if err != nil {
			return p, err
		}
		if err := checkRun("history", run, o.feeds, o.feeds*o.newItems); err != nil {
			return p, err
		}
		addRun(s, "cycle", run, o.feeds*o.items)
		posts, _ := env.mastodon.counts()
		p.Counts["new_items"], p.Counts["accepted"], p.Counts["posts"] = run.NewItems, run.Accepted, posts
		env.progress("history %d rep %d/%d: cycle %.3fs, peak RSS %.1f MB, %d posts", history, r+1, o.reps,
			run.Wall.Seconds(), float64(run.MaxRSS)/1e6, posts)
	}
	p.Figures = s.stats()
	p.DBBytes = dbSize(db)
	p.StoredItems = history + o.feeds*(o.items+o.reps*o.newItems)
	return p, nil
}

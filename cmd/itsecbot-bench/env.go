package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// benchEnv is what every mode shares: the generated corpus, the servers,
// the built binary and a scratch directory.
type benchEnv struct {
	opts     options
	tmp      string
	bin      string
	token    string
	corpus   *corpus
	feeds    *feedServer
	mastodon *fakeMastodon
	launcher *launcher
	log      io.Writer
	// loadStart is the load average before anything ran.
	loadStart string
}

func newEnv(ctx context.Context, o options, log io.Writer) (env *benchEnv, err error) {
	env = &benchEnv{opts: o, log: log, loadStart: loadAverage()}
	defer func() {
		if err != nil {
			env.close()
		}
	}()
	// First, while this process is small: see launcher.go.
	if env.launcher, err = startLauncher(ctx); err != nil {
		return nil, err
	}
	if env.tmp, err = os.MkdirTemp("", "itsecbot-bench-"); err != nil {
		return nil, fmt.Errorf("scratch directory: %w", err)
	}
	fixtures, err := loadFixtures(o.fixtures)
	if err != nil {
		return nil, err
	}
	env.corpus = &corpus{fixtures: fixtures, feeds: o.feeds, items: o.items, newPer: o.newItems}
	env.token = randomToken()
	if env.feeds, err = startFeedServer(o.hosts); err != nil {
		return nil, err
	}
	if env.mastodon, err = startFakeMastodon(env.token); err != nil {
		return nil, err
	}
	env.bin = o.bin
	if env.bin == "" && o.peer == "" {
		env.progress("building itsecbot")
		if env.bin, err = buildBinary(ctx, env.tmp); err != nil {
			return nil, err
		}
	}
	return env, nil
}

func (env *benchEnv) close() {
	if env.launcher != nil {
		env.launcher.close()
	}
	if env.mastodon != nil {
		env.mastodon.close()
	}
	if env.feeds != nil {
		env.feeds.close()
	}
	if env.tmp == "" {
		return
	}
	if env.opts.keep {
		env.progress("kept %s", env.tmp)
		return
	}
	_ = os.RemoveAll(env.tmp)
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails on supported systems
	return hex.EncodeToString(b)
}

func (env *benchEnv) progress(format string, args ...any) {
	fmt.Fprintf(env.log, "itsecbot-bench: "+format+"\n", args...)
}

func (env *benchEnv) setup(bytes int64) setup {
	o := env.opts
	s := setup{Feeds: o.feeds, Items: o.items, Bytes: bytes, Hosts: o.hosts, Concurrency: o.concurrency,
		PerHost: o.perHost, Backfill: o.backfill, Reps: o.reps}
	if len(o.history) > 0 || o.peer != "" {
		s.NewItems = o.newItems
	}
	if len(o.history) > 0 {
		s.NewItems, s.History, s.Backfill = o.newItems, o.history, 0
	}
	return s
}

// writeConfig writes dir/config.yaml for the corpus, its database in dir.
func (env *benchEnv) writeConfig(dir string, backfill, maxStories int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	o := env.opts
	bc := benchConfig{database: "bench.db", mastodonURL: env.mastodon.url, concurrency: o.concurrency,
		perHost: o.perHost, backfill: backfill, maxStories: maxStories, feeds: feedEntries(env.corpus, env.feeds)}
	return bc.write(filepath.Join(dir, "config.yaml"))
}

// load reports the load average at the start and now.
func (env *benchEnv) load() string { return env.loadStart + " -> " + loadAverage() }

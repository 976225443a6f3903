package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// peerReport is feed2toot's run on the same feeds and fake Mastodon.
type peerReport struct {
	Mode    string          `json:"mode"`
	Peer    string          `json:"peer"`
	Version string          `json:"version"`
	Setup   setup           `json:"setup"`
	Machine machine         `json:"machine"`
	Figures map[string]stat `json:"figures"`
	Counts  map[string]int  `json:"counts"`
}

// runPeer measures feed2toot (Debian package feed2toot, Mastodon.py
// underneath), what most operators would run instead. It keeps the IDs it
// has seen in a text cache, fetches every feed in full each run (no
// conditional GET), one after the other, and posts one status per entry;
// its first run is given --populate-cache, which records entries without
// posting them, as itsecbot's first poll does with backfill 0.
func runPeer(ctx context.Context, env *benchEnv) (*peerReport, error) {
	bin, err := findFeed2toot(ctx, env)
	if err != nil {
		return nil, err
	}
	o := env.opts
	rep := &peerReport{Mode: "peer", Peer: "feed2toot", Version: peerVersion(ctx, bin),
		Setup: env.setup(totalBytes(env.corpus.documents(0))), Machine: thisMachine(), Counts: map[string]int{}}
	s := series{}
	for r := range o.reps {
		dir := filepath.Join(env.tmp, fmt.Sprintf("feed2toot-%d", r))
		ini, err := env.writeFeed2tootConfig(dir)
		if err != nil {
			return nil, err
		}
		if err := env.peerRuns(ctx, bin, ini, dir, s, rep.Counts); err != nil {
			return nil, err
		}
		env.progress("feed2toot rep %d/%d: cold %.2fs, warm %.2fs, new %.2fs", r+1, o.reps,
			last(s["cold_seconds"]), last(s["warm_seconds"]), last(s["new_seconds"]))
	}
	rep.Figures = s.stats()
	rep.Machine.Load = env.load()
	return rep, nil
}

// findFeed2toot finds the installed feed2toot, installing the Debian
// package only when -install-peer asks for it.
func findFeed2toot(ctx context.Context, env *benchEnv) (string, error) {
	if bin, err := exec.LookPath("feed2toot"); err == nil {
		return bin, nil
	}
	if !env.opts.installPeer {
		return "", fmt.Errorf("feed2toot is not installed: add -install-peer to install the Debian package, or run apt-get install feed2toot")
	}
	env.progress("installing feed2toot (apt-get install feed2toot)")
	cmd := exec.CommandContext(ctx, "apt-get", "install", "-y", "--no-install-recommends", "feed2toot")
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	cmd.Stdout, cmd.Stderr = env.log, env.log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("install feed2toot (after apt-get update, if the package lists are old): %w", err)
	}
	return exec.LookPath("feed2toot")
}

func peerVersion(ctx context.Context, bin string) string {
	out, err := exec.CommandContext(ctx, bin, "--version").CombinedOutput()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// writeFeed2tootConfig writes its ini, feed list and app credentials into
// dir, pointing at the loopback feeds and the fake Mastodon.
func (env *benchEnv) writeFeed2tootConfig(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("feed2toot config: %w", err)
	}
	var list strings.Builder
	for i := range env.opts.feeds {
		list.WriteString(env.feeds.url(i) + "\n")
	}
	files := map[string]string{
		"feeds.txt":     list.String(),
		"client.secret": "bench-client-id\nbench-client-secret\n" + env.mastodon.url + "\n",
		"feed2toot.ini": fmt.Sprintf(`[mastodon]
instance_url=%[1]s
user_credentials=%[2]s
client_credentials=%[3]s/client.secret
toot_visibility=unlisted

[cache]
cachefile=%[3]s/feed2toot.cache
cache_limit=%[4]d

[lock]
lock_file=%[3]s/feed2toot.lock
lock_timeout=3600

[rss]
uri_list=%[3]s/feeds.txt
toot={title} {link}

[feedparser]
accept_bozo_exceptions=true
`, env.mastodon.url, env.token, dir, 2*env.opts.feeds*env.opts.items),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			return "", fmt.Errorf("feed2toot config: %w", err)
		}
	}
	return filepath.Join(dir, "feed2toot.ini"), nil
}

// peerPhase is one feed2toot run: on an empty cache (populating it), with
// every entry cached, and with newPer new entries in every feed (posted).
type peerPhase struct {
	name    string
	version int
	args    []string
	posts   int
	cached  int
}

func (env *benchEnv) peerPhases(ini string) []peerPhase {
	o := env.opts
	limit := strconv.Itoa(o.items)
	return []peerPhase{
		{"cold", 0, []string{"-c", ini, "--populate-cache", "-l", limit}, 0, o.feeds * o.items},
		{"warm", 0, []string{"-c", ini, "-l", limit}, 0, o.feeds * o.items},
		{"new", 1, []string{"-c", ini, "-l", limit}, o.feeds * o.newItems, o.feeds * (o.items + o.newItems)},
	}
}

func (env *benchEnv) peerRuns(ctx context.Context, bin, ini, dir string, s series, counts map[string]int) error {
	o := env.opts
	for _, ph := range env.peerPhases(ini) {
		env.feeds.publish(env.corpus.documents(ph.version))
		env.feeds.resetCounts()
		env.mastodon.resetCounts()
		runtime.GC()
		log := filepath.Join(dir, ph.name+".log")
		run, err := env.launcher.run(ctx, launchRequest{Bin: bin, Args: ph.args, Env: os.Environ(), Stdout: log, Stderr: log})
		if err != nil {
			return fmt.Errorf("feed2toot %s: %w", ph.name, err)
		}
		posts, instance := env.mastodon.counts()
		full := int(env.feeds.full.Load())
		cached := countLines(filepath.Join(dir, "feed2toot.cache"))
		if full != o.feeds || cached != ph.cached || posts != ph.posts {
			return fmt.Errorf("feed2toot %s: %d of %d feeds fetched, %d of %d entries cached, %d of %d posts (log %s)",
				ph.name, full, o.feeds, cached, ph.cached, posts, ph.posts, log)
		}
		counts[ph.name+"_feeds_fetched_in_full"], counts[ph.name+"_posts"] = full, posts
		counts[ph.name+"_instance_requests"] = instance
		addRun(s, ph.name, run, o.feeds*o.items)
	}
	return nil
}

func countLines(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return bytes.Count(b, []byte("\n"))
}

var peerRows = []row{
	{"cold_seconds", "cold run (empty cache, --populate-cache), wall"},
	{"cold_cpu_seconds", "  CPU, user+system"},
	{"cold_items_per_second", "  items per second"},
	{"cold_max_rss_bytes", "  peak RSS"},
	{"warm_seconds", "warm run (every entry cached; feeds fetched in full), wall"},
	{"warm_cpu_seconds", "  CPU, user+system"},
	{"warm_max_rss_bytes", "  peak RSS"},
	{"new_seconds", "new entries in every feed, each posted, wall"},
	{"new_cpu_seconds", "  CPU, user+system"},
	{"new_max_rss_bytes", "  peak RSS"},
}

func (r *peerReport) writeTable(w io.Writer) {
	writeHeading(w, r.Setup, r.Machine, r.Peer+" "+r.Version)
	fmt.Fprintf(w, "%s fetches one feed at a time, in full (no conditional GET); the fetch settings above are itsecbot's\n\n", r.Peer)
	writeRows(w, peerRows, r.Figures, 0)
	fmt.Fprintf(w, "\nfeeds fetched in full: cold %d, warm %d, new %d; posts: cold %d, warm %d, new %d (%d new entries per feed; %d instance lookups)\n",
		r.Counts["cold_feeds_fetched_in_full"], r.Counts["warm_feeds_fetched_in_full"], r.Counts["new_feeds_fetched_in_full"],
		r.Counts["cold_posts"], r.Counts["warm_posts"], r.Counts["new_posts"], r.Setup.NewItems, r.Counts["new_instance_requests"])
}

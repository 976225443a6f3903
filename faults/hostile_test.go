package faults

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hostileCase is a hostile feed and what must become of it: an error
// containing fails, or its items stored.
type hostileCase struct {
	name  string
	fails string // part of the stored error; "" when the feed is read
	items int    // items stored when it is read
}

func hostileCases(sz sizes) []hostileCase {
	return []hostileCase{
		{name: "gzip-bomb", fails: "too large"},
		{name: "huge", fails: "too large"},
		{name: "billion-laughs", items: 1}, // entities are not expanded
		{name: "xxe", items: 1},            // nor fetched
		{name: "trickle", fails: "deadline"},
		{name: "hang", fails: "timeout"},
		{name: "silent", fails: "timeout"},
		{name: "redirect-loop", fails: "redirect"},
		{name: "redirect-metadata", fails: "private address not allowed"},
		{name: "redirect-private", fails: "private address not allowed"},
		{name: "redirect-loopback", fails: "private address not allowed"},
		{name: "nul", items: 1},
		{name: "nested", fails: "too complex"},
		{name: "links-text", items: 1},
		{name: "links-items", fails: "too complex"},
		{name: "flood", items: sz.flood},
		{name: "not-xml", fails: "not a feed"},
		{name: "wrong-charset", items: 1},
	}
}

// fetchTimeout bounds each fetch of the hostile cycles.
const fetchTimeout = 3 * time.Second

// hostileWorld writes a config polling the good feed and the given hostile
// feeds, printing posts to standard output.
func hostileWorld(t *testing.T, h *hostileServer, names ...string) (*runner, string) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "database: bot.db\nmax_age: \"0\"\nbackfill: 3\nfetch: {timeout: %s, concurrency: 32, per_host: 32}\nfeeds:\n", fetchTimeout)
	for _, n := range append([]string{"good"}, names...) {
		fmt.Fprintf(&b, "  - {name: %s, url: %q}\n", n, h.url(n))
	}
	b.WriteString("posters:\n  - type: stdout\n")
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return &runner{env: []string{"HTTP_PROXY=" + h.proxy(), "http_proxy=" + h.proxy(), "NO_PROXY=", "no_proxy="}}, cfg
}

type feedHealth struct {
	Name                string `json:"name"`
	LastError           string `json:"last_error"`
	ConsecutiveFailures int    `json:"consecutive_failures"`
	Items               int    `json:"items"`
}

func feedsHealth(t *testing.T, r *runner, cfg string) map[string]feedHealth {
	t.Helper()
	p := r.run(t, "", "feeds", "-json", "-config", cfg)
	if p.err != nil {
		t.Fatalf("feeds: %v\n%s", p.err, p.stderr)
	}
	out := map[string]feedHealth{}
	for line := range strings.Lines(strings.TrimSpace(p.stdout)) {
		var f feedHealth
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("feeds -json line %q: %v", line, err)
		}
		out[f.Name] = f
	}
	return out
}

// hostileCycle runs one cycle over the good feed and the cases, checks
// that each case failed alone (or was read), and returns how the run went.
func hostileCycle(t *testing.T, h *hostileServer, cases ...hostileCase) proc {
	t.Helper()
	var names []string
	for _, c := range cases {
		names = append(names, c.name)
	}
	r, cfg := hostileWorld(t, h, names...)
	p := r.run(t, "", "once", "-config", cfg)
	if p.err != nil {
		t.Fatalf("once: %v\n%s", p.err, p.stderr)
	}
	if !strings.Contains(p.stdout, "正常なフィードの脆弱性情報 2") {
		t.Errorf("the good feed's story was not posted:\n%s", p.stdout)
	}
	for _, leak := range []string{"root:", "\x00", "lollollol"} {
		if strings.Contains(p.stdout, leak) {
			t.Errorf("posts contain %q", leak)
		}
	}
	health := feedsHealth(t, r, cfg)
	if g := health["good"]; g.LastError != "" || g.Items != 2 {
		t.Errorf("good feed: %+v", g)
	}
	for _, c := range cases {
		f := health[c.name]
		switch {
		case c.fails == "" && (f.LastError != "" || f.Items != c.items):
			t.Errorf("%s: %+v, want it read with %d items", c.name, f, c.items)
		case c.fails != "" && (!strings.Contains(f.LastError, c.fails) || f.ConsecutiveFailures != 1 || f.Items != 0):
			t.Errorf("%s: %+v, want it failed with %q", c.name, f, c.fails)
		}
	}
	if n := h.forbid.Load(); n > 0 {
		t.Errorf("an entity's SYSTEM URL was fetched %d times", n)
	}
	return p
}

// TestHostileFeedsFailAlone polls every hostile feed in one cycle beside a
// good one: each fails alone (or is read, harmlessly), the good feed's
// story is posted, and the cycle stays within its fetch timeout and a
// memory ceiling. With -full, at full size, and each feed again alone to
// measure it.
func TestHostileFeedsFailAlone(t *testing.T) {
	t.Parallel()
	binary(t)
	sz := hostileSizes()
	h := newHostileServer(t, sz)
	cases := hostileCases(sz)
	p := hostileCycle(t, h, cases...)
	t.Logf("all %d hostile feeds in one cycle: %.2fs, peak RSS %.1f MiB", len(cases), p.elapsed.Seconds(), mib(p.maxRSS))
	ceiling := int64(160 << 20)
	if *full {
		ceiling = 400 << 20
	}
	if p.maxRSS > ceiling || p.elapsed > fetchTimeout+5*time.Second {
		t.Errorf("cycle took %v and %.1f MiB, want under %v and %.0f MiB", p.elapsed, mib(p.maxRSS), fetchTimeout+5*time.Second, mib(ceiling))
	}
	if !*full {
		return
	}
	for _, c := range cases {
		p := hostileCycle(t, h, c)
		t.Logf("%-18s %6.2fs  peak RSS %6.1f MiB", c.name, p.elapsed.Seconds(), mib(p.maxRSS))
		if p.maxRSS > 200<<20 || p.elapsed > fetchTimeout+3*time.Second {
			t.Errorf("%s: the cycle took %v and %.1f MiB", c.name, p.elapsed, mib(p.maxRSS))
		}
	}
}

package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
)

// waitFor waits until the child's standard error contains want.
func waitFor(t *testing.T, c *child, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !strings.Contains(c.stderr.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q within %v; stderr:\n%s", want, within, c.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// exitCodeOf waits for the child and returns its exit status.
func exitCodeOf(t *testing.T, c *child) int {
	t.Helper()
	err := c.cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatalf("wait: %v", err)
	return -1
}

func sendSignal(t *testing.T, c *child, s syscall.Signal) {
	t.Helper()
	if err := c.cmd.Process.Signal(s); err != nil {
		t.Fatal(err)
	}
}

// slowFeed serves an RSS feed whose every request waits for a token on
// release, so that a test decides how long a cycle holds the lock.
func slowFeed(t *testing.T) (url string, arrived, release chan struct{}) {
	arrived, release = make(chan struct{}, 8), make(chan struct{})
	doc := rss(`<?xml version="1.0" encoding="UTF-8"?>`, "slow", "ルータの脆弱性", "CVE-2026-0001 の脆弱性")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.Write([]byte(doc))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/feed", arrived, release
}

func await(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(20 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// TestDaemonAndOnceNeverRunTogether runs the real daemon and `once` on one
// database: whichever holds the lock, the other does not process anything,
// and every story reaches the server once.
func TestDaemonAndOnceNeverRunTogether(t *testing.T) {
	t.Parallel() // waits on timeouts and signals, not the CPU
	feed, arrived, release := slowFeed(t)
	masto := mastodontest.NewServer(t)
	env := []string{"TEST_MASTODON_TOKEN=" + masto.Token}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfg, fmt.Sprintf(`database: bot.db
max_age: "0"
backfill: 5
feeds:
  - {name: slow, url: %s}
posters:
  - {type: mastodon, server: %s, access_token: "${TEST_MASTODON_TOKEN}"}
`, feed, masto.URL))

	daemon := startChild(t, env, "run", "-config", cfg)
	await(t, arrived, "the daemon's first poll")
	once, err := runChild(t, env, "once", "-config", cfg)
	if code := exitCodeOf2(err); code != 1 || !strings.Contains(once.stderr.String(), "another itsecbot is running") {
		t.Fatalf("once while the daemon polls: exit %d, stderr:\n%s", code, once.stderr.String())
	}
	release <- struct{}{}
	waitFor(t, daemon, "cycle done", 20*time.Second)
	posted := len(masto.Statuses())
	if posted == 0 {
		t.Fatalf("the daemon posted nothing:\n%s", daemon.stderr.String())
	}
	sendSignal(t, daemon, syscall.SIGTERM)
	if code := exitCodeOf(t, daemon); code != 0 {
		t.Fatalf("daemon exit %d after SIGTERM:\n%s", code, daemon.stderr.String())
	}

	// The other way round: a slow `once` holds the lock when the daemon starts.
	once = startChild(t, env, "once", "-force", "-config", cfg)
	await(t, arrived, "once's poll")
	daemon = startChild(t, env, "run", "-config", cfg)
	waitFor(t, daemon, "another itsecbot holds the database; this cycle is skipped", 20*time.Second)
	release <- struct{}{}
	if code := exitCodeOf(t, once); code != 0 {
		t.Fatalf("once exit %d:\n%s", code, once.stderr.String())
	}
	sendSignal(t, daemon, syscall.SIGTERM)
	if code := exitCodeOf(t, daemon); code != 0 {
		t.Fatalf("second daemon exit %d:\n%s", code, daemon.stderr.String())
	}
	if n := len(masto.Statuses()); n != posted {
		t.Errorf("%d statuses after the second round, want the %d of the first: nothing is new", n, posted)
	}
	for _, link := range []string{"https://x.example/slow/0", "https://x.example/slow/1"} {
		n := 0
		for _, s := range masto.Statuses() {
			n += strings.Count(s.Text, link)
		}
		if n != 1 {
			t.Errorf("%s is on the server %d times", link, n)
		}
	}
}

// exitCodeOf2 maps a finished child's error to its exit status.
func exitCodeOf2(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestSIGTERMDuringASlowPost stops the real binary while the server holds
// a post it has stored: the process exits 0 within the bound, sends
// nothing more, and the next runs find the post instead of sending it
// again: never lost, never doubled.
func TestSIGTERMDuringASlowPost(t *testing.T) {
	t.Parallel() // waits on timeouts and signals, not the CPU
	for _, cmd := range []string{"run", "once"} {
		t.Run(cmd, func(t *testing.T) {
			masto := mastodontest.NewServer(t)
			env := []string{"TEST_MASTODON_TOKEN=" + masto.Token}
			cfg := deliveryConfig(t, masto, "    timeout: 2s\n")
			var running atomic.Pointer[child]
			masto.Inject(mastodontest.Fault{Publish: true, Hang: func() {
				for running.Load() == nil {
					time.Sleep(time.Millisecond)
				}
				running.Load().cmd.Process.Signal(syscall.SIGTERM)
			}})
			c := startChild(t, env, cmd, "-config", cfg)
			running.Store(c)
			start := time.Now()
			code := exitCodeOf(t, c)
			if elapsed := time.Since(start); code != 0 || elapsed > 2*time.Second+stopMargin+5*time.Second {
				t.Fatalf("exit %d after %v, want 0 within the bound:\n%s", code, elapsed, c.stderr.String())
			}
			if strings.Contains(c.stderr.String(), "context canceled") {
				t.Errorf("the stop was reported as a failure:\n%s", c.stderr.String())
			}
			if n, a := len(masto.Statuses()), len(masto.Attempts()); n != 1 || a != 1 {
				t.Fatalf("%d statuses from %d attempts, want the one in flight and nothing sent after the signal", n, a)
			}
			for range 4 {
				if c, err := runChild(t, env, "once", "-config", cfg); err != nil {
					t.Fatalf("next run: %v\n%s", err, c.stderr.String())
				}
			}
			checkOnServerOnce(t, cfg, masto)
		})
	}
}

// TestSIGHUPReloadsOrKeepsTheConfig: a broken config is refused with its
// reason and the daemon goes on; a good one takes effect.
func TestSIGHUPReloadsOrKeepsTheConfig(t *testing.T) {
	t.Parallel() // waits on timeouts and signals, not the CPU
	feed, err := filepath.Abs(filepath.Join("..", "..", "testdata", "feeds", "ipa-alert-rss10.rdf"))
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("database: bot.db\nfeeds:\n  - {name: IPA, url: \"file://%s\"}\nposters:\n  - {type: stdout}\n", feed)
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfg, base)
	c := startChild(t, nil, "run", "-config", cfg)
	waitFor(t, c, "cycle done", 20*time.Second)

	writeFile(t, cfg, base+"schedule: {poll: \"CRON_TZ=Asia/Tokyo\"}\n")
	sendSignal(t, c, syscall.SIGHUP)
	waitFor(t, c, "config reload failed; keeping the running config", 10*time.Second)
	if !strings.Contains(c.stderr.String(), "config.yaml:6:18: schedule.poll:") {
		t.Errorf("the reload error does not locate the problem:\n%s", c.stderr.String())
	}

	writeFile(t, cfg, base+"log: {format: json}\nschedule: {poll: \"@every 2m\", digest: [\"CRON_TZ=Asia/Tokyo 0 8,12,18 * * *\"]}\n")
	sendSignal(t, c, syscall.SIGHUP)
	waitFor(t, c, `"msg":"config reloaded"`, 10*time.Second) // the new log format is in effect
	sendSignal(t, c, syscall.SIGTERM)
	if code := exitCodeOf(t, c); code != 0 {
		t.Fatalf("exit %d:\n%s", code, c.stderr.String())
	}
	waitFor(t, c, `"msg":"daemon stopped"`, time.Second)
}

// A status server address that is taken stops the daemon at start, naming
// the address, rather than leaving it to run for weeks without its page.
func TestDaemonWithATakenAddressFailsAtStart(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	writeFile(t, cfg, fmt.Sprintf("feeds:\n  - {name: F, url: %q}\nhttp:\n  listen: %q\n",
		"file://"+filepath.Join(dir, "missing.xml"), taken.Addr().String()))
	done := make(chan error, 1)
	go func() { _, _, err := runCmd(t, "run", "-config", cfg); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), taken.Addr().String()) || !strings.Contains(err.Error(), "http.listen") {
			t.Errorf("run = %v, want an error naming the address and http.listen", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the daemon started although its status server cannot listen")
	}
}

//go:build unix

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeShowsWhatOnceStored runs the real binary: one cycle over the
// fixture feeds, then the status server alone, stopped by SIGTERM.
func TestServeShowsWhatOnceStored(t *testing.T) {
	bin := builtBinary(t)
	env := append(os.Environ(), "ITSECBOT_TEST_DB="+filepath.Join(t.TempDir(), "status.db"),
		"ITSECBOT_TEST_X_API=http://127.0.0.1:9", "ITSECBOT_TEST_X_KEY=test")
	config := filepath.Join("..", "..", "testdata", "web", "status.yaml")
	once := exec.Command(bin, "once", "-config", config)
	once.Env = env
	if out, err := once.CombinedOutput(); err != nil {
		t.Fatalf("once: %v\n%s", err, out)
	}

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	serve := exec.CommandContext(ctx, bin, "serve", "-config", config, "-listen", "127.0.0.1:0")
	serve.Env = env
	logs, err := serve.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	addr, drained := listeningOn(t, logs)

	for _, tt := range []struct {
		method, path string
		code         int
		want         string
	}{
		{"GET", "/healthz", http.StatusOK, "ok: last successful cycle"},
		{"GET", "/", http.StatusOK, "Vendor (moved)"},
		{"GET", "/feed.atom", http.StatusOK, "<feed xmlns=\"http://www.w3.org/2005/Atom\""},
		{"POST", "/", http.StatusMethodNotAllowed, "only reads"},
	} {
		req, _ := http.NewRequest(tt.method, "http://"+addr+tt.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code || !strings.Contains(string(body), tt.want) {
			t.Errorf("%s %s = %d, want %d with %q:\n%.300s", tt.method, tt.path, resp.StatusCode, tt.code, tt.want, body)
		}
	}
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-drained // the log ends when the process does; Wait closes the pipe
	if err := serve.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v, want exit 0", err)
	}
}

// listeningOn reads the server's log until it says where it listens, and
// goes on reading it to its end, when drained is closed.
func listeningOn(t *testing.T, logs io.Reader) (addr string, drained <-chan struct{}) {
	t.Helper()
	found := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(logs)
		re := regexp.MustCompile(`msg="status server listening" address=(\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default: // said once already
				}
			}
		}
	}()
	select {
	case addr = <-found:
		return addr, done
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not say where it listens")
		return "", done
	}
}

package bluesky_test

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The real-server tests run the reference PDS (@atproto/pds) and a PLC
// directory on loopback, installed by scripts/pds/install.sh into a cache
// folder outside the clone. .ci/run runs the installer and sets
// ITSECBOT_PDS_DIR: then a PDS that does not start fails the tests.
// Without the variable, the default cache folder is used when it holds an
// install, and the tests skip when it does not.

const installScript = "scripts/pds/install.sh"

// realPDS is the PDS shared by the package's tests: started by the first
// test that needs it, stopped by TestMain.
var realPDS pdsProcess

func TestMain(m *testing.M) {
	code := m.Run()
	realPDS.stop()
	os.Exit(code)
}

// pdsProcess is a running start.mjs.
type pdsProcess struct {
	once   sync.Once
	err    error
	skip   string
	URL    string // the PDS, http://127.0.0.1:PORT
	Secret string // PDS_JWT_SECRET: tests sign expired tokens with it
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	done   chan struct{} // closed when the process has exited
	stderr *bytes.Buffer
}

// pds returns the shared PDS, starting it on first use; it skips t when
// the PDS is not installed and the environment does not require it.
func pds(t *testing.T) *pdsProcess {
	t.Helper()
	realPDS.once.Do(realPDS.start)
	switch {
	case realPDS.skip != "":
		t.Skip(realPDS.skip)
	case realPDS.err != nil:
		t.Fatalf("reference PDS: %v", realPDS.err)
	}
	return &realPDS
}

// installDir finds the install; skip explains a missing one that may be
// skipped.
func installDir() (dir, skip string, err error) {
	dir, required := os.LookupEnv("ITSECBOT_PDS_DIR")
	if !required {
		cache, cerr := os.UserCacheDir()
		if cerr != nil {
			return "", "the reference PDS is not installed (no cache folder): run " + installScript, nil
		}
		dir = filepath.Join(cache, "itsecbot", "pds")
	}
	for _, f := range []string{"installed", "bin/node"} {
		if _, serr := os.Stat(filepath.Join(dir, f)); serr != nil {
			if required {
				return "", "", fmt.Errorf("ITSECBOT_PDS_DIR=%s holds no install (%w): run %s", dir, serr, installScript)
			}
			return "", fmt.Sprintf("the reference PDS is not installed in %s: run %s to test against it", dir, installScript), nil
		}
	}
	return dir, "", nil
}

func (p *pdsProcess) start() {
	dir, skip, err := installDir()
	if skip != "" || err != nil {
		p.skip, p.err = skip, err
		return
	}
	secret := make([]byte, 16)
	rand.Read(secret)
	p.Secret = hex.EncodeToString(secret)
	began := time.Now()
	p.cmd = exec.Command(filepath.Join(dir, "bin", "node"), filepath.Join("..", "..", "scripts", "pds", "start.mjs"), dir)
	p.cmd.Env = append(os.Environ(), "PDS_JWT_SECRET="+p.Secret)
	p.stderr = &bytes.Buffer{}
	p.cmd.Stderr = &lockedWriter{w: p.stderr}
	stdout, err := p.cmd.StdoutPipe()
	if err == nil {
		p.stdin, err = p.cmd.StdinPipe()
	}
	if err == nil {
		err = p.cmd.Start()
	}
	if err != nil {
		p.err = fmt.Errorf("start %s: %w", p.cmd, err)
		return
	}
	p.done = make(chan struct{})
	ready := make(chan string, 1)
	go p.read(stdout, ready)
	select {
	case line := <-ready:
		var urls struct{ PDS string }
		if jerr := json.Unmarshal([]byte(line), &urls); jerr != nil || urls.PDS == "" {
			p.err = fmt.Errorf("start.mjs said %q", line)
			return
		}
		p.URL = urls.PDS
		fmt.Fprintf(os.Stderr, "reference PDS ready in %.1fs at %s\n", time.Since(began).Seconds(), p.URL)
	case <-p.done:
		p.err = fmt.Errorf("start.mjs exited before it was ready: %s", p.stderr)
	case <-time.After(90 * time.Second):
		p.err = fmt.Errorf("start.mjs not ready after 90s: %s", p.stderr)
	}
}

// read hands the ready line over, drains stdout until the process ends,
// and reaps it.
func (p *pdsProcess) read(stdout io.Reader, ready chan<- string) {
	defer close(p.done)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "ready "); ok {
			ready <- line
		}
	}
	p.cmd.Wait()
}

// stop closes stdin, which ends start.mjs, and kills it by its PID if it
// has not exited within 5 s.
func (p *pdsProcess) stop() {
	if p.cmd == nil || p.done == nil {
		return
	}
	p.stdin.Close()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// expired returns jwt with its exp two hours back, signed with the PDS's
// secret: what a stored access token looks like two hours later.
func (p *pdsProcess) expired(t *testing.T, jwt string) string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("access token %q is not a JWT", jwt)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	if err == nil {
		err = json.Unmarshal(raw, &claims)
	}
	if err != nil {
		t.Fatalf("access token claims: %v", err)
	}
	now := time.Now().Unix()
	claims["iat"], claims["exp"] = now-7300, now-100
	payload, _ := json.Marshal(claims)
	signed := parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha256.New, []byte(p.Secret))
	mac.Write([]byte(signed))
	return signed + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

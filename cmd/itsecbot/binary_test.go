package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// binary builds the real itsecbot once per test run; tests that must kill
// or time the process run it as a child.
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "itsecbot-test-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "itsecbot")
	out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{out: out, err: err}
	}
	return path, nil
})

type buildError struct {
	out []byte
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + string(e.out) }

func builtBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	path, err := binary()
	if err != nil {
		t.Fatalf("build itsecbot: %v", err)
	}
	return path
}

// child is one run of the real binary.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
}

// lockedBuffer is an output stream a test may read while the child writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startChild starts the binary with args and extra environment.
func startChild(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	c := &child{cmd: exec.CommandContext(ctx, builtBinary(t), args...)}
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return c
}

// runChild runs the binary to its end and returns its error.
func runChild(t *testing.T, env []string, args ...string) (*child, error) {
	t.Helper()
	c := startChild(t, env, args...)
	return c, c.cmd.Wait()
}

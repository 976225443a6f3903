package faults

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/internal/crashpoint"
)

var full = flag.Bool("full", false, "run every kill point, hostile feed and platform fault, at full size (minutes)")

// build makes the real binary once for every test of the package, in a
// folder any user may read, so that it can run as another user.
var build struct {
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	flag.Parse()
	// The tests mostly wait, on timeouts, resets and child processes: let
	// more of them wait at once than there are cores, unless told otherwise.
	parallel := false
	flag.Visit(func(f *flag.Flag) { parallel = parallel || f.Name == "test.parallel" })
	if !parallel {
		flag.Set("test.parallel", "8")
	}
	code := m.Run()
	if testing.Verbose() {
		fmt.Print(totals.String())
	}
	if build.path != "" {
		os.RemoveAll(filepath.Dir(build.path))
	}
	os.Exit(code)
}

func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "itsecbot-faults-")
		if err == nil {
			err = os.Chmod(dir, 0o755)
		}
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "itsecbot")
		if out, err := exec.Command("go", "build", "-o", build.path, "../cmd/itsecbot").CombinedOutput(); err != nil {
			build.err = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if build.err != nil {
		t.Fatalf("build itsecbot: %v", build.err)
	}
	return build.path
}

// totals sums up the runs of the binary, for the suite's figures.
var totals stats

type stats struct {
	mu               sync.Mutex
	runs, killed     int
	longest, peakRSS proc
	longestTest      string
	peakTest         string
}

func (s *stats) add(p proc, test string, args []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs++
	if p.killed {
		s.killed++
	}
	if len(args) == 0 || args[0] != "once" {
		return
	}
	if p.elapsed > s.longest.elapsed {
		s.longest, s.longestTest = p, test
	}
	if p.maxRSS > s.peakRSS.maxRSS {
		s.peakRSS, s.peakTest = p, test
	}
}

func (s *stats) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("faults: %d runs of the binary, %d killed; longest cycle %.2fs (%s); peak RSS %.1f MiB (%s)\n",
		s.runs, s.killed, s.longest.elapsed.Seconds(), s.longestTest, mib(s.peakRSS.maxRSS), s.peakTest)
}

// proc is how one run of the binary went.
type proc struct {
	stdout, stderr string
	err            error
	killed         bool  // it died of SIGKILL
	maxRSS         int64 // its peak resident set, in bytes
	elapsed        time.Duration
}

// runner runs the binary with an environment, optionally as another user
// or through a wrapper (prlimit), and knows the run in progress so that a
// fake server can kill it.
type runner struct {
	env     []string
	cred    *syscall.Credential
	wrap    []string
	running atomic.Pointer[os.Process]
}

// run runs the binary with args and, when crashAt is set, the crash point
// to die at.
func (r *runner) run(t *testing.T, crashAt string, args ...string) proc {
	t.Helper()
	return r.runBinary(t, binary(t), crashAt, args...)
}

// runBinary is run with the binary at bin.
func (r *runner) runBinary(t *testing.T, bin, crashAt string, args ...string) proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	argv := append(append(r.wrap[:len(r.wrap):len(r.wrap)], bin), args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(append(os.Environ(), r.env...), crashpoint.Env+"="+crashAt)
	if r.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.running.Store(cmd.Process)
	peak := make(chan int64)
	done := make(chan struct{})
	go func() { peak <- watchPeak(cmd.Process.Pid, done) }()
	err := cmd.Wait()
	close(done)
	r.running.Store(nil)
	p := proc{stdout: stdout.String(), stderr: stderr.String(), err: err, elapsed: time.Since(start), maxRSS: <-peak}
	if st, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
		p.killed = st.Signaled() && st.Signal() == syscall.SIGKILL
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && p.maxRSS == 0 {
		p.maxRSS = int64(ru.Maxrss) << 10 // kilobytes on Linux; an upper bound, see watchPeak
	}
	totals.add(p, t.Name(), args)
	return p
}

// watchPeak samples the peak resident set (VmHWM) of process pid until
// done. The rusage of a child is no measure of it: Linux counts in it the
// resident set of the process that forked the child, this test, as it was
// when the child started. VmHWM is the child's own, from its exec on, and
// only grows, so the last sample misses at most the final milliseconds.
func watchPeak(pid int, done <-chan struct{}) int64 {
	path := fmt.Sprintf("/proc/%d/status", pid)
	var peak int64
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile(path); err == nil {
			for line := range strings.Lines(string(b)) {
				var kb int64
				if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
					peak = max(peak, kb<<10)
				}
			}
		}
		select {
		case <-done:
			return peak
		case <-tick.C:
		}
	}
}

// kill kills the run in progress, as a power cut would.
func (r *runner) kill() {
	if p := r.running.Load(); p != nil {
		p.Kill()
	}
}

// mib formats bytes in MiB.
func mib(n int64) float64 { return float64(n) / (1 << 20) }

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// Linux hands a process that execs the high-water RSS of the memory it
// replaced, and Go starts children with vfork (sharing the parent's memory),
// so a child of the harness, which holds every generated document, would
// report the harness's peak RSS as its own. Children are therefore started
// by a launcher: this same program, started while it is still small, that
// runs one program at a time and reports its wall time and rusage.

// launcherEnv, set to 1, makes this program a launcher.
const launcherEnv = "ITSECBOT_BENCH_LAUNCHER"

type launchRequest struct {
	Bin  string   `json:"bin"`
	Args []string `json:"args"`
	Env  []string `json:"env"`
	// Stdout and Stderr are files to write to; "" discards.
	Stdout string `json:"stdout"`
	Stderr string `json:"stderr"`
}

type launchResult struct {
	WallNS int64  `json:"wall_ns"`
	UserNS int64  `json:"user_ns"`
	SysNS  int64  `json:"sys_ns"`
	MaxRSS int64  `json:"max_rss"`
	Err    string `json:"error"`
}

type launcher struct {
	mu  sync.Mutex
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

func startLauncher(ctx context.Context) (*launcher, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start launcher: %w", err)
	}
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), launcherEnv+"=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("start launcher: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start launcher: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start launcher: %w", err)
	}
	return &launcher{cmd: cmd, in: in, out: bufio.NewScanner(out)}, nil
}

// run starts req through the launcher and waits for it. An interrupt
// reaches the launcher and its child directly (same process group), which
// ends the run.
func (l *launcher) run(ctx context.Context, req launchRequest) (childRun, error) {
	if err := ctx.Err(); err != nil {
		return childRun{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, _ := json.Marshal(req) // plain strings always marshal
	if _, err := l.in.Write(append(b, '\n')); err != nil {
		return childRun{}, fmt.Errorf("launcher: %w", err)
	}
	if !l.out.Scan() {
		return childRun{}, fmt.Errorf("launcher ended: %v", l.out.Err())
	}
	var res launchResult
	if err := json.Unmarshal(l.out.Bytes(), &res); err != nil {
		return childRun{}, fmt.Errorf("launcher: %w", err)
	}
	run := childRun{Wall: time.Duration(res.WallNS), UserCPU: time.Duration(res.UserNS),
		SysCPU: time.Duration(res.SysNS), MaxRSS: res.MaxRSS}
	if res.Err != "" {
		return run, fmt.Errorf("%s: %s", req.Bin, res.Err)
	}
	return run, nil
}

func (l *launcher) close() {
	_ = l.in.Close()
	_ = l.cmd.Wait()
}

// serveLauncher runs each request read from r, one at a time, until r ends.
func serveLauncher(ctx context.Context, r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	enc := json.NewEncoder(w)
	for sc.Scan() {
		var req launchRequest
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			return fmt.Errorf("launcher: %w", err)
		}
		if err := enc.Encode(launch(ctx, req)); err != nil {
			return fmt.Errorf("launcher: %w", err)
		}
	}
	return sc.Err()
}

func launch(ctx context.Context, req launchRequest) launchResult {
	cmd := exec.CommandContext(ctx, req.Bin, req.Args...)
	cmd.Env = req.Env
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, o := range []struct {
		path string
		dst  *io.Writer
	}{{req.Stdout, &cmd.Stdout}, {req.Stderr, &cmd.Stderr}} {
		if o.path == "" {
			continue
		}
		f, err := os.OpenFile(o.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return launchResult{Err: err.Error()}
		}
		files = append(files, f)
		*o.dst = f
	}
	start := time.Now()
	err := cmd.Run()
	res := launchResult{WallNS: int64(time.Since(start))}
	if cmd.ProcessState != nil {
		res.UserNS, res.SysNS = int64(cmd.ProcessState.UserTime()), int64(cmd.ProcessState.SystemTime())
		res.MaxRSS = maxRSS(cmd.ProcessState)
	}
	if err != nil {
		res.Err = err.Error()
	}
	return res
}

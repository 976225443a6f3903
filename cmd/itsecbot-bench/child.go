package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// buildBinary builds the real itsecbot into dir.
func buildBinary(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "itsecbot")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/itsecbot/itsecbot/cmd/itsecbot")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build itsecbot: %w", err)
	}
	return bin, nil
}

// childRun is what one `itsecbot once` reported about itself.
type childRun struct {
	Wall    time.Duration
	MaxRSS  int64 // bytes, from the child's rusage
	UserCPU time.Duration
	SysCPU  time.Duration
	// From the "memory" debug line.
	TotalAlloc, Mallocs, HeapSys, Sys uint64
	// From the "cycle done" line.
	FeedsPolled, FeedsFailed, NewItems, Accepted, PostsSent, PostsFailed int
	// Warnings counts WARN and ERROR lines.
	Warnings     int
	FirstWarning string
}

// runItsecbot runs one forced cycle of the binary, its JSON logs going to
// logPath, and reads its resource use and logs.
func (env *benchEnv) runItsecbot(ctx context.Context, cfgPath, logPath string) (childRun, error) {
	run, err := env.launcher.run(ctx, launchRequest{
		Bin: env.bin, Args: []string{"once", "-force", "-config", cfgPath},
		Env: append(os.Environ(), tokenVar+"="+env.token), Stderr: logPath,
	})
	if err != nil {
		return run, fmt.Errorf("run itsecbot (log %s): %w", logPath, err)
	}
	if err := readChildLog(logPath, &run); err != nil {
		return run, err
	}
	return run, nil
}

// logLine holds the fields of the lines the harness reads.
type logLine struct {
	Level       string `json:"level"`
	Msg         string `json:"msg"`
	Error       string `json:"error"`
	TotalAlloc  uint64 `json:"total_alloc"`
	Mallocs     uint64 `json:"mallocs"`
	HeapSys     uint64 `json:"heap_sys"`
	Sys         uint64 `json:"sys"`
	FeedsPolled int    `json:"feeds_polled"`
	FeedsFailed int    `json:"feeds_failed"`
	NewItems    int    `json:"new_items"`
	Accepted    int    `json:"accepted"`
	PostsSent   int    `json:"posts_sent"`
	PostsFailed int    `json:"posts_failed"`
}

func readChildLog(path string, run *childRun) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read itsecbot log: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var sawMemory, sawDone bool
	for sc.Scan() {
		var l logLine
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			continue
		}
		switch {
		case l.Msg == "memory":
			run.TotalAlloc, run.Mallocs, run.HeapSys, run.Sys = l.TotalAlloc, l.Mallocs, l.HeapSys, l.Sys
			sawMemory = true
		case l.Msg == "cycle done":
			run.FeedsPolled, run.FeedsFailed, run.NewItems = l.FeedsPolled, l.FeedsFailed, l.NewItems
			run.Accepted, run.PostsSent, run.PostsFailed = l.Accepted, l.PostsSent, l.PostsFailed
			sawDone = true
		case l.Level == "WARN" || l.Level == "ERROR":
			if run.Warnings == 0 {
				run.FirstWarning = strings.TrimSpace(l.Msg + ": " + l.Error)
			}
			run.Warnings++
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read itsecbot log: %w", err)
	}
	if !sawMemory || !sawDone {
		return fmt.Errorf("itsecbot log %s lacks the memory or cycle done line", path)
	}
	return nil
}

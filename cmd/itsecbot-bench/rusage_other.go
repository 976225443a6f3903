//go:build !linux

package main

import (
	"os"
	"time"
)

// maxRSS is not read on this system: its rusage units differ.
func maxRSS(*os.ProcessState) int64 { return 0 }

func selfCPU() time.Duration { return 0 }

func loadAverage() string { return "" }

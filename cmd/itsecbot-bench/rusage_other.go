//go:build !linux

package main

import "os"

// maxRSS is not read on this system: its rusage units differ.
func maxRSS(*os.ProcessState) int64 { return 0 }

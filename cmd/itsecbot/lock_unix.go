//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// lockDatabase takes an exclusive lock next to the database so that two
// overlapping runs (a slow cron job and the next, or the daemon and a
// cron job) cannot both send.
func lockDatabase(dbPath string) (unlock func(), err error) {
	path := dbPath + ".lock"
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, errLocked)
	}
	return func() { f.Close() }, nil
}

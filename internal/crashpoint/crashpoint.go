// Package crashpoint is a test hook: it lets the fault tests kill the
// process at a named point of a cycle, for example inside a store
// transaction, to prove that the next run recovers.
//
// Hit does nothing unless the environment variable ITSECBOT_CRASH_AT names
// the point; then the process sends itself SIGKILL, which no handler or
// deferred call can soften, as a power cut or the OOM killer would. It
// keeps no state: the variable is read at every call, which costs a
// look-up in the process environment.
package crashpoint

import (
	"os"
	"time"
)

// Env is the environment variable that names the point to die at.
const Env = "ITSECBOT_CRASH_AT"

// Hit kills the process when Env names point.
func Hit(point string) {
	if os.Getenv(Env) != point {
		return
	}
	if p, err := os.FindProcess(os.Getpid()); err == nil && p.Kill() == nil {
		time.Sleep(time.Minute) // the signal is on its way: go no further
	}
	os.Exit(137) // as a shell reports a kill, should the signal fail
}

//go:build unix

package crashpoint

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestHit runs this test binary again with Env set: the child must die of
// SIGKILL at the named point and pass every other.
func TestHit(t *testing.T) {
	if point := os.Getenv("CRASHPOINT_CHILD"); point != "" {
		Hit("other.point")
		os.Stdout.WriteString("passed other.point\n")
		Hit(point)
		os.Stdout.WriteString("passed " + point + "\n")
		return
	}
	tests := []struct {
		env    string
		killed bool
		out    string
	}{
		{"store.enqueue", true, "passed other.point\n"},
		{"", false, "passed other.point\npassed store.enqueue\n"},
		{"store.enqueue.other", false, "passed other.point\npassed store.enqueue\n"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run", "^TestHit$")
			cmd.Env = append(os.Environ(), "CRASHPOINT_CHILD=store.enqueue", Env+"="+tt.env)
			out, err := cmd.Output()
			var ee *exec.ExitError
			killed := errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
			if killed != tt.killed || !strings.HasPrefix(string(out), tt.out) {
				t.Errorf("%s=%q: killed %v (%v), output %q; want killed %v, output starting %q", Env, tt.env, killed, err, out, tt.killed, tt.out)
			}
		})
	}
}

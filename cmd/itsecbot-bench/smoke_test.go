package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
)

// TestMain lets the test binary act as the launcher the harness starts.
func TestMain(m *testing.M) {
	if os.Getenv(launcherEnv) == "1" {
		if err := serveLauncher(context.Background(), os.Stdin, os.Stdout); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// benchJSON runs the harness with args and decodes its JSON report.
func benchJSON(t *testing.T, bin string, args ...string) map[string]any {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args = append([]string{"-bin", bin, "-reps", "1", "-hosts", "2", "-json"}, args...)
	if err := run(t.Context(), args, &stdout, &stderr); err != nil {
		t.Fatalf("run %v: %v\n%s", args, err, stderr.String())
	}
	var rep map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, stdout.String())
	}
	return rep
}

func median(t *testing.T, figures any, name string) float64 {
	t.Helper()
	st, ok := figures.(map[string]any)[name].(map[string]any)
	if !ok {
		t.Fatalf("figure %s missing", name)
	}
	return st["median"].(float64)
}

// A 5-feed run of each itsecbot mode, on the real binary: the cold cycle
// stores every item, the warm one only gets 304s (checked by the harness),
// and a routine cycle on a pre-filled database posts to the fake Mastodon.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs itsecbot")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build itsecbot with")
	}
	bin, err := buildBinary(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rep := benchJSON(t, bin, "-feeds", "5", "-items", "5")
	if got := rep["counts"].(map[string]any)["cold_new_items"].(float64); got != 25 {
		t.Errorf("cold cycle stored %v items, want 25", got)
	}
	for _, name := range []string{"cold_seconds", "warm_seconds", "cold_max_rss_bytes", "db_bytes", "floor_gofeed_parse_seconds", "floor_fetch_seconds"} {
		if v := median(t, rep["figures"], name); v <= 0 {
			t.Errorf("%s = %v, want > 0", name, v)
		}
	}
	hist := benchJSON(t, bin, "-feeds", "5", "-items", "5", "-history", "0,200")
	sizes := hist["sizes"].([]any)
	if len(sizes) != 2 {
		t.Fatalf("history report has %d sizes, want 2", len(sizes))
	}
	for _, s := range sizes {
		counts := s.(map[string]any)["counts"].(map[string]any)
		if counts["new_items"].(float64) != 15 || counts["posts"].(float64) < 1 {
			t.Errorf("history %v: counts %v, want 15 new items and at least one post", s.(map[string]any)["history_items"], counts)
		}
	}
}

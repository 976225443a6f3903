package digest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden composes the fixture stories for every platform and layout
// and compares the posts with testdata/golden/<platform>-<layout>.txt.
func TestGolden(t *testing.T) {
	stories := fixtureStories(t)
	for _, pf := range platforms() {
		for _, layout := range []Layout{Each, Digest} {
			name := pf.name + "-" + string(layout)
			t.Run(name, func(t *testing.T) {
				opts := Options{Layout: layout, Hashtags: []string{"#itsec_jp"}, Slot: slot}
				threads, err := Compose(stories, pf.rule, opts)
				if err != nil {
					t.Fatalf("Compose: %v", err)
				}
				got := renderGolden(pf, threads)
				path := filepath.Join("testdata", "golden", name+".txt")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("read golden file (run with -update to create it): %v", err)
				}
				if got != string(want) {
					t.Errorf("posts differ from %s (run with -update after checking):\n%s", path, firstDiff(got, string(want)))
				}
			})
		}
	}
}

// renderGolden writes each post under a line naming its thread, part,
// stories and measured length, so a reviewer sees the limit being kept.
func renderGolden(pf platform, threads []Thread) string {
	var b strings.Builder
	for i, th := range threads {
		for j, p := range th.Posts {
			fmt.Fprintf(&b, "=== thread %d post %d/%d stories %v %s length %d/%d\n",
				i+1, j+1, len(th.Posts), p.Stories, pf.name, pf.rule.Length(p.Text), pf.rule.Limit())
			b.WriteString(p.Text)
			b.WriteString("\n")
		}
	}
	return b.String()
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, gl, wl)
		}
	}
	return "(no line differs)"
}

package feeds

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// sharedFixtureDir holds the captured feeds the project's copies came from;
// it sits beside the repository and may be absent.
const sharedFixtureDir = "../../shared/testdata/feeds"

// TestSharedFixtures parses every captured feed beside the repository, so a
// newly captured feed is exercised too, and checks that the project's own
// copies (which the exact-count tests use) are still byte-identical.
func TestSharedFixtures(t *testing.T) {
	entries, err := os.ReadDir(sharedFixtureDir)
	if err != nil {
		t.Skipf("shared fixtures not available: %v", err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".rdf") && !strings.HasSuffix(name, ".xml") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(sharedFixtureDir, name))
			if err != nil {
				t.Fatal(err)
			}
			if local, err := os.ReadFile(fixtureDir + name); err == nil && !bytes.Equal(local, body) {
				t.Errorf("testdata/feeds/%s differs from the shared capture: refresh the copy", name)
			}
			feed, err := Parse(body, ParseOptions{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(feed.Items) == 0 {
				t.Fatal("no items")
			}
			for i, it := range feed.Items {
				if it.Key == "" || it.Title == "" || !utf8.ValidString(it.Title) || strings.ContainsRune(it.Title, utf8.RuneError) {
					t.Errorf("item %d: key %q title %q", i, it.Key, it.Title)
				}
			}
		})
	}
}

package config

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("feeds:\n  - name: a\n    url: ${X}\n"))
	f.Add([]byte("feeds: [{name: a, url: 'file:x.rdf', interval: 14d}]\nposters: [{type: mastodon}]"))
	f.Add([]byte("\ufefffeeds:\n\t- name: [a\n    url: \"b\nintervall: 1.5\n---\nx: y\n"))
	f.Add([]byte("feeds:\n  name: a: b\n  - {x: [1}\n\u3000tags: !!str\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, err := Parse("config.yaml", src, env(map[string]string{"X": "https://x.example/"}), testPlatforms())
		if err == nil && len(cfg.Feeds) == 0 {
			t.Fatal("a config without feeds was accepted")
		}
		if err != nil && !IsInvalid(err) {
			t.Fatalf("error is not a config error: %v", err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "config.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}

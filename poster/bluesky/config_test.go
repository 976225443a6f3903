package bluesky_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/bluesky"
	"github.com/itsecbot/itsecbot/poster/bluesky/blueskytest"
)

func parse(t *testing.T, dir, entry string, env map[string]string) (*config.Config, error) {
	t.Helper()
	yaml := "feeds:\n  - name: News\n    url: https://news.example/rss\nposters:\n  - type: bluesky\n" + entry
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	return config.Parse(filepath.Join(dir, "config.yaml"), []byte(yaml), lookup, config.Platforms{"bluesky": bluesky.Platform{}})
}

func TestConfigure(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bsky-password"), []byte(blueskytest.AppPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PW": blueskytest.AppPassword, "HANDLE": blueskytest.Handle}
	tests := []struct {
		name        string
		entry       string
		wantErr     string // substring of the config error
		wantMissing string // substring of Missing()
	}{
		{"env password", "    identifier: ${HANDLE}\n    app_password: ${PW}\n", "", ""},
		{"password file", "    identifier: itsecbot.test\n    app_password_file: bsky-password\n", "", ""},
		{"literal password", "    identifier: itsecbot.test\n    app_password: abcd-efgh-ijkl-mnop\n", "app_password", ""},
		{"unset password", "    identifier: itsecbot.test\n    app_password: ${NOPE}\n", "", "NOPE"},
		{"unset identifier", "    identifier: ${NOID}\n    app_password: ${PW}\n", "", "NOID"},
		{"no identifier", "    app_password: ${PW}\n", "", "no identifier"},
		{"handle with @", "    identifier: \"@itsecbot.test\"\n    app_password: ${PW}\n", "identifier", ""},
		{"bad service", "    service: bsky.social\n    identifier: itsecbot.test\n    app_password: ${PW}\n", "service", ""},
		{"unknown key", "    identifier: itsecbot.test\n    app_password: ${PW}\n    token: x\n", "token", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parse(t, dir, tt.entry, env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want it to name %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), blueskytest.AppPassword) {
					t.Errorf("error %q shows the password", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Posters[0].Missing(); tt.wantMissing == "" && got != "" || !strings.Contains(got, tt.wantMissing) {
				t.Errorf("Missing() = %q, want %q", got, tt.wantMissing)
			}
		})
	}
}

// A configured poster reaches its service with the resolved identifier,
// password and the entry's language.
func TestConfiguredPosterPosts(t *testing.T) {
	srv := blueskytest.NewServer(t)
	entry := "    service: ${SERVICE}/\n    identifier: itsecbot.test\n    app_password: ${PW}\n    language: en\n    name: bsky-en\n"
	cfg, err := parse(t, t.TempDir(), entry, map[string]string{"SERVICE": srv.URL, "PW": blueskytest.AppPassword})
	if err != nil {
		t.Fatal(err)
	}
	pc := cfg.Posters[0]
	p, err := pc.Settings.New(poster.Env{Common: pc.Common, State: &poster.MemoryState{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Post(t.Context(), poster.Post{Text: "hello #itsec_jp"}); err != nil {
		t.Fatal(err)
	}
	if recs := srv.Records(); p.Name() != "bsky-en" || len(recs) != 1 || !slices.Equal(recs[0].Langs, []string{"en"}) {
		t.Errorf("poster %q stored %+v; want one record in en", p.Name(), recs)
	}
	if fb := pc.Settings.Fallback(); fb.Platform != "bluesky" {
		t.Errorf("Fallback() = %+v, want the bluesky rule", fb)
	}
}

package slack_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/slack"
)

const hookURL = "https://hooks.slack.com/services/T0ITSEC/B0ITSEC/sEcReT0123456789abcdefXY"

func parse(t *testing.T, dir, posters string, env map[string]string) (*config.Config, error) {
	t.Helper()
	src := "feeds:\n  - name: JVN\n    url: https://jvn.jp/rss/jvn.rdf\nposters:\n" + posters
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	return config.Parse(filepath.Join(dir, "config.yaml"), []byte(src), lookup, config.Platforms{"slack": slack.Platform{}})
}

func TestConfigure(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "slack.url"), []byte(hookURL+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		posters     string
		env         map[string]string
		wantErr     string // substring of the config error; "" for none
		wantMissing string // substring of Missing(); "" when it can send
		wantLayout  string
	}{
		{"from the environment", "  - type: slack\n    webhook_url: ${SLACK_URL}\n", map[string]string{"SLACK_URL": hookURL}, "", "", "digest"},
		{"from a file", "  - type: slack\n    webhook_url_file: slack.url\n    layout: each\n", nil, "", "", "each"},
		{"variable unset", "  - type: slack\n    webhook_url: ${SLACK_URL}\n", nil, "", "SLACK_URL is not set", "digest"},
		{"nothing given", "  - type: slack\n", nil, "", "no webhook_url", "digest"},
		{"literal URL refused", "  - type: slack\n    webhook_url: " + hookURL + "\n", nil, "secrets do not belong", "", ""},
		{"not a URL", "  - type: slack\n    webhook_url: ${SLACK_URL}\n", map[string]string{"SLACK_URL": "hooks.slack.com/x"}, "http(s) URL", "", ""},
		{"unknown key", "  - type: slack\n    webhook: ${SLACK_URL}\n", nil, "webhook", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parse(t, dir, tt.posters, tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "sEcReT") {
					t.Errorf("error %q shows the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pc := c.Posters[0]
			if got := pc.Missing(); (tt.wantMissing == "") != (got == "") || !strings.Contains(got, tt.wantMissing) {
				t.Errorf("Missing() = %q, want %q", got, tt.wantMissing)
			}
			if pc.Layout != tt.wantLayout {
				t.Errorf("layout %q, want %q", pc.Layout, tt.wantLayout)
			}
			if pc.Missing() != "" {
				return
			}
			p, err := pc.Settings.New(poster.Env{Common: pc.Common})
			if err != nil || p.Name() != "slack" {
				t.Errorf("New = %v, %v", p, err)
			}
		})
	}
}

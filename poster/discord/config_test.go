package discord_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/discord"
)

const hookURL = "https://discord.com/api/webhooks/1234567890123456789/sEcReT0123456789abcdefXY"

func parse(t *testing.T, dir, posters string, env map[string]string) (*config.Config, error) {
	t.Helper()
	src := "feeds:\n  - name: JVN\n    url: https://jvn.jp/rss/jvn.rdf\nposters:\n" + posters
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	return config.Parse(filepath.Join(dir, "config.yaml"), []byte(src), lookup, config.Platforms{"discord": discord.Platform{}})
}

func TestConfigure(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "discord.url"), []byte(hookURL+"\n"), 0o600); err != nil {
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
		{"from the environment", "  - type: discord\n    webhook_url: ${DISCORD_URL}\n", map[string]string{"DISCORD_URL": hookURL}, "", "", "digest"},
		{"from a file", "  - type: discord\n    webhook_url_file: discord.url\n    layout: each\n", nil, "", "", "each"},
		{"variable unset", "  - type: discord\n    webhook_url: ${DISCORD_URL}\n", nil, "", "DISCORD_URL is not set", "digest"},
		{"nothing given", "  - type: discord\n", nil, "", "no webhook_url", "digest"},
		{"literal URL refused", "  - type: discord\n    webhook_url: " + hookURL + "\n", nil, "secrets do not belong", "", ""},
		{"not a URL", "  - type: discord\n    webhook_url: ${DISCORD_URL}\n", map[string]string{"DISCORD_URL": "https://discord.com/channels/1/2"}, "api/webhooks/ID/TOKEN", "", ""},
		{"unknown key", "  - type: discord\n    webhook: ${DISCORD_URL}\n", nil, "webhook", "", ""},
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
			if err != nil || p.Name() != "discord" {
				t.Errorf("New = %v, %v", p, err)
			}
		})
	}
}

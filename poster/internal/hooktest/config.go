package hooktest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster"
)

// ChatConfig describes a chat webhook platform for TestChatConfig.
type ChatConfig struct {
	Type     string // the entry's type and the poster's default name, e.g. "slack"
	Platform poster.Platform
	URL      string // a webhook URL the platform takes; its token holds "sEcReT"
	// Refused are webhook URLs the platform refuses, each with a part of
	// the config error it gives.
	Refused []Refusal
}

// Refusal is a webhook URL refused by the config, for a test named Name.
type Refusal struct {
	Name, URL, Error string
}

type chatCase struct {
	name        string
	posters     string
	env         map[string]string
	wantErr     string // substring of the config error; "" for none
	wantMissing string // substring of Missing(); "" when it can send
	wantLayout  string
}

// TestChatConfig checks the keys every chat webhook entry shares: the URL
// from the environment (${TYPE_URL}) or from webhook_url_file, an unset
// variable or no URL leaving the poster unable to send yet, a literal URL
// refused without printing it, an unknown key, and a digest per message
// unless the entry names another layout.
func TestChatConfig(t *testing.T, c ChatConfig) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, c.Type+".url"), []byte(c.URL+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	entry := "  - type: " + c.Type + "\n"
	variable := strings.ToUpper(c.Type) + "_URL"
	fromEnv := entry + "    webhook_url: ${" + variable + "}\n"
	tests := []chatCase{
		{"from the environment", fromEnv, map[string]string{variable: c.URL}, "", "", "digest"},
		{"from a file", entry + "    webhook_url_file: " + c.Type + ".url\n    layout: each\n", nil, "", "", "each"},
		{"variable unset", fromEnv, nil, "", variable + " is not set", "digest"},
		{"nothing given", entry, nil, "", "no webhook_url", "digest"},
		{"literal URL refused", entry + "    webhook_url: " + c.URL + "\n", nil, "secrets do not belong", "", ""},
	}
	for _, r := range c.Refused {
		tests = append(tests, chatCase{r.Name, fromEnv, map[string]string{variable: r.URL}, r.Error, "", ""})
	}
	tests = append(tests, chatCase{"unknown key", entry + "    webhook: ${" + variable + "}\n", nil, "webhook", "", ""})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "feeds:\n  - name: JVN\n    url: https://jvn.jp/rss/jvn.rdf\nposters:\n" + tt.posters
			lookup := func(name string) (string, bool) { v, ok := tt.env[name]; return v, ok }
			cfg, err := config.Parse(filepath.Join(dir, "config.yaml"), []byte(src), lookup, config.Platforms{c.Type: c.Platform})
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
			pc := cfg.Posters[0]
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
			if err != nil || p.Name() != c.Type {
				t.Errorf("New = %v, %v", p, err)
			}
		})
	}
}

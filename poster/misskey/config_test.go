package misskey_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/misskey"
	"github.com/itsecbot/itsecbot/textlen"
)

func parse(t *testing.T, entry string, env map[string]string) (*config.Config, error) {
	t.Helper()
	src := "feeds:\n  - name: a\n    url: https://feed.example/rss\nposters:\n  - type: misskey\n" + entry
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	return config.Parse(filepath.Join(t.TempDir(), "config.yaml"), []byte(src), lookup, config.Platforms{"misskey": misskey.Platform{}})
}

func TestConfigure(t *testing.T) {
	env := map[string]string{"MK_SERVER": "https://misskey.example", "MK_TOKEN": "s3cret"}
	tests := []struct {
		name    string
		entry   string
		wantErr string // substring of the config error; "" means valid
		missing string // substring of Missing(); "" means ready
	}{
		{"complete", "    server: ${MK_SERVER}\n    access_token: ${MK_TOKEN}\n    visibility: followers\n    cw: CVE 注意\n", "", ""},
		{"token not set", "    server: ${MK_SERVER}\n    access_token: ${MK_UNSET}\n", "", "MK_UNSET is not set"},
		{"server not set", "    server: ${MK_UNSET}\n    access_token: ${MK_TOKEN}\n", "", "MK_UNSET is not set"},
		{"literal token", "    server: ${MK_SERVER}\n    access_token: s3cret\n", "secrets do not belong in config files", ""},
		{"bad server", "    server: misskey.example\n    access_token: ${MK_TOKEN}\n", "server: must be the server's http(s) URL", ""},
		{"specified visibility", "    server: ${MK_SERVER}\n    access_token: ${MK_TOKEN}\n    visibility: specified\n",
			"visibility: must be public, home or followers", ""},
		{"long cw", "    server: ${MK_SERVER}\n    access_token: ${MK_TOKEN}\n    cw: " + strings.Repeat("注", 101) + "\n",
			"cw: is 101 characters", ""},
		{"unknown key", "    server: ${MK_SERVER}\n    access_token: ${MK_TOKEN}\n    lang: ja\n", "lang", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parse(t, tt.entry, env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pc := cfg.Posters[0]
			if got := pc.Missing(); tt.missing == "" && got != "" || !strings.Contains(got, tt.missing) {
				t.Errorf("Missing() = %q, want %q", got, tt.missing)
			}
			if fb := pc.Settings.Fallback(); fb != (textlen.Spec{Platform: textlen.PlatformMisskey, Limit: 3000, Reserved: 30}) {
				t.Errorf("Fallback() = %+v", fb)
			}
		})
	}
}

func TestConfiguredPoster(t *testing.T) {
	cfg, err := parse(t, "    name: mi\n    server: ${MK_SERVER}\n    access_token: ${MK_TOKEN}\n",
		map[string]string{"MK_SERVER": "https://misskey.example/", "MK_TOKEN": "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	pc := cfg.Posters[0]
	p, err := pc.Settings.New(poster.Env{Common: pc.Common, UserAgent: "ua"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Name() != "mi" || p.Capabilities() != (poster.Capabilities{Threads: true, ReadBack: true, Rule: poster.RuleFromServer}) {
		t.Errorf("poster %q with %+v", p.Name(), p.Capabilities())
	}
}

func TestNewValidates(t *testing.T) {
	const token = "s3cret-token"
	ok := misskey.Config{Server: "https://misskey.example", AccessToken: token}
	tests := []struct {
		name    string
		edit    func(*misskey.Config)
		wantErr string // substring; "" means valid
	}{
		{"valid defaults", func(*misskey.Config) {}, ""},
		{"http server with slash", func(c *misskey.Config) { c.Server = "http://127.0.0.1:3000/" }, ""},
		{"public", func(c *misskey.Config) { c.Visibility = "public" }, ""},
		{"no host", func(c *misskey.Config) { c.Server = "https://" }, "server"},
		{"bare host", func(c *misskey.Config) { c.Server = "misskey.example" }, "server"},
		{"empty token", func(c *misskey.Config) { c.AccessToken = " " }, "access token is empty"},
		{"token with newline", func(c *misskey.Config) { c.AccessToken = token + "\n" }, "white space"},
		{"unlisted is Mastodon's", func(c *misskey.Config) { c.Visibility = "unlisted" }, "visibility"},
		{"cw of 101", func(c *misskey.Config) { c.CW = strings.Repeat("a", 101) }, "cw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			c, err := misskey.New(cfg)
			if tt.wantErr == "" {
				if err != nil || c == nil || c.Name() != "misskey" {
					t.Fatalf("New(%+v) = %v, %v; want a client named misskey", cfg, c, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), token) {
				t.Fatalf("New error = %v, want it to mention %q and not the token", err, tt.wantErr)
			}
		})
	}
}

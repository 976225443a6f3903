package x_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/poster/x"
)

var testEnv = map[string]string{
	"X_CONSUMER_KEY": "ck", "X_CONSUMER_SECRET": "cs", "X_ACCESS_TOKEN": "1-at", "X_ACCESS_TOKEN_SECRET": "ats",
	"X_API": "http://127.0.0.1:9/",
}

const envKeys = `    consumer_key: ${X_CONSUMER_KEY}
    consumer_secret: ${X_CONSUMER_SECRET}
    access_token: ${X_ACCESS_TOKEN}
    access_token_secret: ${X_ACCESS_TOKEN_SECRET}
`

// parse reads a config whose only poster is the x entry given.
func parse(t *testing.T, dir, entry string, env map[string]string) (*config.Config, error) {
	t.Helper()
	src := "feeds:\n  - name: JVN\n    url: https://jvn.jp/rss/jvn.rdf\nposters:\n  - type: x\n" + entry
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	return config.Parse(filepath.Join(dir, "config.yaml"), []byte(src), lookup, config.Platforms{"x": x.Platform{}})
}

func TestConfigure(t *testing.T) {
	dir := t.TempDir()
	for name, value := range map[string]string{"ck": "ck", "cs": "cs\n", "at": "1-at", "ats": "ats"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(value), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, entry string
		env         map[string]string
		wantErr     string // substring of the config error; "" when valid
		wantMissing string
		wantCap     int
		wantURL     string // where a post goes
	}{
		{name: "defaults", entry: envKeys, env: testEnv, wantCap: 3, wantURL: "https://api.x.com/2/tweets"},
		{name: "own cap, api url", entry: envKeys + "    max_posts_per_day: 10\n    api_url: ${X_API}\n", env: testEnv,
			wantCap: 10, wantURL: "http://127.0.0.1:9/2/tweets"},
		{name: "files", entry: "    consumer_key_file: ck\n    consumer_secret_file: cs\n    access_token_file: " + filepath.Join(dir, "at") +
			"\n    access_token_secret_file: ats\n    username: \"@itsecbot_jp\"\n", wantCap: 3, wantURL: "https://api.x.com/2/tweets"},
		{name: "unset variable", entry: envKeys, env: map[string]string{"X_CONSUMER_KEY": "ck"}, wantCap: 3,
			wantMissing: "X_CONSUMER_SECRET is not set"},
		{name: "no keys", entry: "    username: itsecbot_jp\n", wantCap: 3, wantMissing: "no consumer_key or consumer_key_file"},
		{name: "unset api url", entry: envKeys + "    api_url: ${X_NOWHERE}\n", env: testEnv, wantCap: 3, wantMissing: "X_NOWHERE"},
		{name: "literal secret", entry: strings.Replace(envKeys, "${X_CONSUMER_SECRET}", "hunter2", 1), env: testEnv,
			wantErr: "posters[0].consumer_secret: write it as ${VARIABLE}"},
		{name: "both forms", entry: envKeys + "    access_token_file: at\n", env: testEnv, wantErr: "posters[0].access_token: give access_token or"},
		{name: "white space", entry: envKeys, env: map[string]string{"X_CONSUMER_KEY": "c k", "X_CONSUMER_SECRET": "cs",
			"X_ACCESS_TOKEN": "at", "X_ACCESS_TOKEN_SECRET": "ats"}, wantErr: "posters[0].consumer_key: contains white space"},
		{name: "ftp api url", entry: envKeys + "    api_url: ftp://api.x.com\n", env: testEnv, wantErr: "posters[0].api_url: must be an http(s) URL"},
		{name: "bad username", entry: envKeys + "    username: its ecbot\n", env: testEnv, wantErr: "posters[0].username"},
		{name: "unknown key", entry: envKeys + "    bearer_token: ${X_ACCESS_TOKEN}\n", env: testEnv, wantErr: "bearer_token"},
		{name: "negative cap", entry: envKeys + "    max_posts_per_day: -1\n", env: testEnv, wantErr: "max_posts_per_day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parse(t, dir, tt.entry, tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to say %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error %q shows the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := cfg.Posters[0]
			if got := p.Missing(); !strings.Contains(got, tt.wantMissing) || (tt.wantMissing == "") != (got == "") {
				t.Errorf("Missing() = %q, want %q", got, tt.wantMissing)
			}
			if p.MaxPostsPerDay != tt.wantCap {
				t.Errorf("max_posts_per_day = %d, want %d", p.MaxPostsPerDay, tt.wantCap)
			}
			if spec := p.Settings.Fallback(); spec != x.Spec() {
				t.Errorf("Fallback() = %+v", spec)
			}
			if tt.wantURL != "" {
				if got := postedURL(t, p); got != tt.wantURL {
					t.Errorf("posted to %s, want %s", got, tt.wantURL)
				}
			}
		})
	}
}

// postedURL builds the entry's poster and returns where its post went.
func postedURL(t *testing.T, p config.Poster) string {
	t.Helper()
	var got string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r.URL.String()
		if !strings.HasPrefix(r.Header.Get("Authorization"), "OAuth ") {
			t.Errorf("request not signed: %q", r.Header.Get("Authorization"))
		}
		return &http.Response{StatusCode: http.StatusCreated, Header: http.Header{},
			Body: io.NopCloser(strings.NewReader(`{"data":{"id":"1"}}`)), Request: r}, nil
	})
	ps, err := p.Settings.New(poster.Env{Common: p.Common, Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := ps.Post(t.Context(), poster.Post{Text: "設定の確認"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rc.URL, "https://x.com/") || !strings.HasSuffix(rc.URL, "/status/1") {
		t.Errorf("receipt URL %q", rc.URL)
	}
	return got
}

func TestNewValidates(t *testing.T) {
	ok := x.Config{ConsumerKey: "ck", ConsumerSecret: "s3cret-cs", AccessToken: "1-at", AccessTokenSecret: "s3cret-ats"}
	tests := []struct {
		name    string
		edit    func(*x.Config)
		wantErr string
	}{
		{"valid", func(*x.Config) {}, ""},
		{"api url with path", func(c *x.Config) { c.APIURL = "http://127.0.0.1:8080/x-proxy/" }, ""},
		{"api url without scheme", func(c *x.Config) { c.APIURL = "api.x.com" }, "api url"},
		{"empty consumer secret", func(c *x.Config) { c.ConsumerSecret = "" }, "consumer secret is empty"},
		{"token secret with newline", func(c *x.Config) { c.AccessTokenSecret += "\n" }, "white space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			_, err := x.New(cfg)
			if (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want %q", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows a secret", err)
			}
		})
	}
}

// TestReadmeExample parses the config reference's x example as a config.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "docs", "config.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "### `x`")
	_, block, ok2 := strings.Cut(section, "```yaml\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("docs/config.md has no yaml example in its x section")
	}
	dir := t.TempDir()
	for _, f := range []string{"secrets/x-access-token", "secrets/x-access-token-secret"} {
		if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte("value\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"ITSECBOT_MASTODON_SERVER": "https://mastodon.example", "ITSECBOT_MASTODON_TOKEN": "t",
		"ITSECBOT_X_CONSUMER_KEY": "ck", "ITSECBOT_X_CONSUMER_SECRET": "cs"}
	src := "feeds:\n  - name: JVN\n    url: https://jvn.jp/rss/jvn.rdf\n" + block
	cfg, err := config.Parse(filepath.Join(dir, "config.yaml"), []byte(src), func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		config.Platforms{"x": x.Platform{}, "mastodon": mastodon.Platform{}})
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	p := cfg.Posters[1]
	if p.Missing() != "" || p.MaxPostsPerDay != 3 || p.MaxStories != 5 || p.Layout != "digest" {
		t.Errorf("x poster %+v, missing %q", p.Common, p.Missing())
	}
}

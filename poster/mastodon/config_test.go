package mastodon_test

import (
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster/mastodon"
)

func TestNewValidates(t *testing.T) {
	const token = "s3cret-token"
	ok := mastodon.Config{Server: "https://mastodon.example", AccessToken: token}
	tests := []struct {
		name    string
		edit    func(*mastodon.Config)
		wantErr string // substring; "" means valid
	}{
		{"valid defaults", func(*mastodon.Config) {}, ""},
		{"http server with path", func(c *mastodon.Config) { c.Server = "http://127.0.0.1:3000/" }, ""},
		{"every visibility", func(c *mastodon.Config) { c.Visibility = "direct" }, ""},
		{"empty server", func(c *mastodon.Config) { c.Server = "" }, "server"},
		{"ftp server", func(c *mastodon.Config) { c.Server = "ftp://mastodon.example" }, "server"},
		{"no host", func(c *mastodon.Config) { c.Server = "https://" }, "server"},
		{"bare host", func(c *mastodon.Config) { c.Server = "mastodon.example" }, "server"},
		{"empty token", func(c *mastodon.Config) { c.AccessToken = " " }, "access token is empty"},
		{"token with newline", func(c *mastodon.Config) { c.AccessToken = token + "\n" }, "white space"},
		{"unknown visibility", func(c *mastodon.Config) { c.Visibility = "followers" }, "visibility"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			c, err := mastodon.New(cfg)
			if tt.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("New(%+v) = %v, %v; want a client", cfg, c, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want it to mention %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("error %q leaks the token", err)
			}
		})
	}
}

func TestNameDefault(t *testing.T) {
	for _, tt := range []struct{ name, want string }{{"", "mastodon"}, {"mstdn-jp", "mstdn-jp"}} {
		c, err := mastodon.New(mastodon.Config{Name: tt.name, Server: "https://m.example", AccessToken: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Name(); got != tt.want {
			t.Errorf("Name() with config %q = %q, want %q", tt.name, got, tt.want)
		}
	}
}

package poster

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestParseHTTPURL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://mastodon.example", true},
		{"http://127.0.0.1:8080/hooks/x?token=1", true},
		{"HTTPS://mastodon.example", true},
		{"", false},
		{"mastodon.example", false},
		{"ftp://mastodon.example", false},
		{"https://", false},
		{"https://exa mple.org", false},
	}
	for _, tt := range tests {
		if u, ok := ParseHTTPURL(tt.in); ok != tt.want || ok && u == nil {
			t.Errorf("ParseHTTPURL(%q) = %v, %v; want ok %v", tt.in, u, ok, tt.want)
		}
	}
}

func TestCheckCredential(t *testing.T) {
	tests := []struct{ value, wantErr string }{
		{"t0k3n", ""},
		{"", "access token is empty"},
		{" \n", "access token is empty"},
		{"t0k3n\n", "access token contains white space"},
		{"t0k 3n", "access token contains white space"},
	}
	for _, tt := range tests {
		err := CheckCredential("access token", tt.value)
		if got := fmt.Sprint(err); tt.wantErr == "" && err != nil || tt.wantErr != "" && got != tt.wantErr {
			t.Errorf("CheckCredential(%q) = %v, want %q", tt.value, err, tt.wantErr)
		}
	}
}

// block is a Block whose environment is env; it keeps the problems reported.
type block struct {
	env   map[string]string
	fails []string
}

func (b *block) Decode(any) bool { return true }

func (b *block) Fail(key, format string, args ...any) {
	b.fails = append(b.fails, key+": "+fmt.Sprintf(format, args...))
}

func (b *block) Expand(s string) (string, []string) {
	var unset []string
	out := os.Expand(s, func(name string) string {
		if b.env[name] == "" {
			unset = append(unset, name)
		}
		return b.env[name]
	})
	return out, unset
}

func (b *block) Secret(_, _, _, _ string) (string, string) { return "", "" }

func TestServerURL(t *testing.T) {
	const problem = "must be an http(s) URL, like https://50% off.example"
	tests := []struct {
		name, value  string
		env          map[string]string
		want         string
		wantMissing  string
		wantProblems string
	}{
		{"literal", "https://mastodon.example", nil, "https://mastodon.example", "", ""},
		{"from the environment", "${SERVER}", map[string]string{"SERVER": "https://m.example"}, "https://m.example", "", ""},
		{"variables unset", "${SCHEME}://${HOST}", nil, "://", "environment variable SCHEME, HOST is not set", ""},
		{"empty", "", nil, "", "no server", ""},
		{"not a URL", "mastodon.example", nil, "mastodon.example", "", "server: " + problem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &block{env: tt.env}
			got, missing := ServerURL(b, "server", tt.value, problem)
			if got != tt.want || missing != tt.wantMissing || strings.Join(b.fails, "; ") != tt.wantProblems {
				t.Errorf("ServerURL = %q, %q, problems %q; want %q, %q, %q", got, missing, b.fails, tt.want, tt.wantMissing, tt.wantProblems)
			}
		})
	}
}

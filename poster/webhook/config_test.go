package webhook_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/webhook"
	"github.com/itsecbot/itsecbot/textlen"
)

func TestConfigure(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hmac.key"), []byte("k3y-from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		entry       string
		env         map[string]string
		wantErr     string
		wantMissing string
		wantLimit   int
	}{
		{"plain URL, unsigned", "url: https://csirt.example/hooks/itsecbot", nil, "", "", 10000},
		{"URL from the environment, secret", "url: ${HOOK_URL}\n    secret: ${HOOK_SECRET}\n    max_chars: 3000",
			map[string]string{"HOOK_URL": "https://csirt.example/h?token=t0k3n", "HOOK_SECRET": "s3cr3t"}, "", "", 3000},
		{"secret from a file", "url: https://csirt.example/h\n    secret_file: hmac.key", nil, "", "", 10000},
		{"URL variable unset", "url: ${HOOK_URL}", nil, "", "HOOK_URL is not set", 0},
		{"secret variable unset", "url: https://csirt.example/h\n    secret: ${HOOK_SECRET}", nil, "", "HOOK_SECRET is not set", 0},
		{"no url", "max_chars: 100", nil, "", "no url", 0},
		{"literal secret refused", "url: https://csirt.example/h\n    secret: s3cr3t", nil, "secrets do not belong", "", 0},
		{"bad URL", "url: csirt.example/h", nil, "http(s) URL", "", 0},
		{"negative max_chars", "url: https://csirt.example/h\n    max_chars: -1", nil, "must not be negative", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "feeds:\n  - name: JVN\n    url: https://jvn.jp/rss/jvn.rdf\nposters:\n  - type: webhook\n    " + tt.entry + "\n"
			lookup := func(name string) (string, bool) { v, ok := tt.env[name]; return v, ok }
			c, err := config.Parse(filepath.Join(dir, "config.yaml"), []byte(src), lookup, config.Platforms{"webhook": webhook.Platform{}})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "s3cr3t") {
					t.Fatalf("error %v, want %q without the secret", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pc := c.Posters[0]
			if got := pc.Missing(); (tt.wantMissing == "") != (got == "") || !strings.Contains(got, tt.wantMissing) {
				t.Fatalf("Missing() = %q, want %q", got, tt.wantMissing)
			}
			if pc.Missing() != "" {
				return
			}
			p, err := pc.Settings.New(poster.Env{Common: pc.Common})
			if err != nil {
				t.Fatal(err)
			}
			spec, _ := p.Limits(t.Context())
			if r, err := spec.Rule(); err != nil || r.Platform() != textlen.PlatformWebhook || r.Limit() != tt.wantLimit {
				t.Errorf("rule %+v (%v), want webhook limit %d", spec, err, tt.wantLimit)
			}
		})
	}
}

package config

import (
	"strings"
	"testing"
)

func TestHTTPListen(t *testing.T) {
	tests := []struct {
		listen  string // "" leaves the key out
		want    string // the parsed value
		wantErr string // prefix of the error, "" for none
	}{
		{"", "", ""},
		{"127.0.0.1:8080", "127.0.0.1:8080", ""},
		{"[::1]:9000", "[::1]:9000", ""},
		{":8080", ":8080", ""},
		{"localhost", "", `config.yaml:4:11: http.listen: "localhost" is not an address like 127.0.0.1:8080`},
		{"127.0.0.1:http", "", `config.yaml:4:11: http.listen: port "http" is not a number from 1 to 65535`},
		{"127.0.0.1:70000", "", `config.yaml:4:11: http.listen: port "70000" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.listen, func(t *testing.T) {
			src := "feeds:\n  - {name: a, url: https://a.example/}\n"
			if tt.listen != "" {
				src += "http:\n  listen: \"" + tt.listen + "\"\n"
			}
			c, err := Parse("config.yaml", []byte(src), env(nil), testPlatforms())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want prefix %q", err, tt.wantErr)
			case tt.wantErr == "" && c.HTTP.Listen != tt.want:
				t.Errorf("http.listen = %q, want %q", c.HTTP.Listen, tt.want)
			}
		})
	}
}

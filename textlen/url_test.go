package textlen

import (
	"slices"
	"strings"
	"testing"
)

func urlTexts(d *urlDialect, text string) []string {
	var out []string
	for _, u := range d.extract(text) {
		out = append(out, text[u.start:u.end])
	}
	return out
}

func TestExtractURLsX(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"https://jvn.jp/vu/JVNVU12345678/ を参照", []string{"https://jvn.jp/vu/JVNVU12345678/"}},
		{"詳細はexample.com/path です", []string{"example.com/path"}},
		{"ipa.go.jp と jpcert.or.jp。", []string{"ipa.go.jp", "jpcert.or.jp"}},
		{"foo-bar.com _x.com -y.com /z.com .w.com", []string{"foo-bar.com"}},
		{"x.co.jp:8080/a?b=1", []string{"x.co.jp:8080/a?b=1"}},
		{"example.com:8080 example.org?q=1", []string{"example.com", "example.org"}},
		{"Node.js ASP.NET", []string{"ASP.NET"}},
		{"www.twitter.com/jack.", []string{"www.twitter.com/jack"}},
		{"http://日本語.jp/a", []string{"http://日本語.jp/a"}},
		{"日本語.jp", nil},
		{"https://example.xn--wgv71a119e/", []string{"https://example.xn--wgv71a119e/"}},
		{"http://foo_bar.com", nil},
		{"http://sub_domain.example.com", []string{"http://sub_domain.example.com"}},
		{"https://en.wikipedia.org/wiki/Go_(language)", []string{"https://en.wikipedia.org/wiki/Go_(language)"}},
		{"https://example.com/@user/", []string{"https://example.com/@user/"}},
		{"https://t.co/abc123/more", []string{"https://t.co/abc123"}},
		{"https://t.co/" + strings.Repeat("a", 41), nil},
		{"é.foo_bar", []string{"é.foo"}},
		{"https://jvn.jp/a~(1) https://jvn.jp/a(1) ", []string{"https://jvn.jp/a", "https://jvn.jp/a(1)"}},
		{"𝕏-x.jp", []string{"-x.jp"}},
		{strings.Repeat("脆弱性", 22) + "ipa.go.jp", nil},
		{strings.Repeat("脆弱性", 3) + "ipa.go.jp", []string{"ipa.go.jp"}},
		{"@user@mastodon.social", nil},
		{"user@example.com", nil},
		{"no dots here", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := urlTexts(xURLs, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("X URLs in %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestExtractURLsMastodon(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"https://jvn.jp/vu/JVNVU12345678/ を参照", []string{"https://jvn.jp/vu/JVNVU12345678/"}},
		{"https://example.com/a。続き です", []string{"https://example.com/a。続き"}},
		{"https://example.com/a.", []string{"https://example.com/a"}},
		{"https://example.com/検索?q=脆弱性", []string{"https://example.com/検索?q=脆弱性"}},
		{"gemini://example.org/", []string{"gemini://example.org/"}},
		{"example.com jvn.jp", nil},
		{"ftp://example.com", nil},
		{"no colon here.com", nil},
	}
	for _, tt := range tests {
		if got := urlTexts(mastodonURLs, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Mastodon URLs in %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestPunycodeLen(t *testing.T) {
	tests := []struct {
		label string
		want  int
	}{
		{"example", 7},
		{"日本語", len("xn--wgv71a119e")},
		{"ドメイン名例", len("xn--eckwd4c7cu47r2wf")},
		{"a。b", 3},
		{"", 0},
	}
	for _, tt := range tests {
		if got := punycodeLen(tt.label); got != tt.want {
			t.Errorf("punycodeLen(%q) = %d, want %d", tt.label, got, tt.want)
		}
	}
}

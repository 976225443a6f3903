package textlen

import (
	"strings"
	"testing"
)

func TestMastodonLength(t *testing.T) {
	tests := []struct {
		name     string
		warning  string
		text     string
		urlChars int
		want     int
	}{
		{"latin", "", "Hello", 0, 5},
		{"japanese counts 1 each", "", "脆弱性の情報", 0, 6},
		{"half-width katakana with voiced mark is one grapheme", "", "ｶﾞ", 0, 1},
		{"combining dakuten", "", "か\u3099", 0, 1},
		{"combining acute", "", "e\u0301", 0, 1},
		{"ZWJ family is one", "", "👨\u200d👩\u200d👧\u200d👦", 0, 1},
		{"flag is one", "", "🇯🇵", 0, 1},
		{"hashtag", "", "#itsec_jp", 0, 9},
		{"https URL counts 23", "", "https://jvn.jp/vu/JVNVU12345678/index.html", 0, 23},
		{"short URL counts 23 too", "", "http://a.co", 0, 23},
		{"instance URL weight", "", "http://a.co", 30, 30},
		{"bare domain counts in full", "", "example.com", 0, 11},
		{"path runs up to white space", "", "https://example.com/a。続き", 0, 23},
		{"path stops at white space", "", "https://example.com/a 続き", 0, 23 + 1 + 2},
		{"trailing full stop is not in the URL", "", "https://example.com/a.", 0, 23 + 1},
		{"scheme inside Japanese text", "", "詳細はhttps://example.com", 0, 3 + 23},
		{"remote mention counts as local", "", "@alice@mastodon.example", 0, 6},
		{"local mention", "", "@alice", 0, 6},
		{"mail address is not a mention", "", "mail alice@example.com", 0, 22},
		{"mention then URL", "", "@bob@example.social https://example.com/x", 0, 4 + 1 + 23},
		{"blank text counts nothing", "", " \n ", 0, 0},
		{"content warning counts", "注意", "本文", 0, 4},
		{"content warning alone", "CW", "", 0, 2},
		{"content warning and URL", "CW ", "https://example.com", 0, 3 + 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MastodonLength(tt.warning, tt.text, tt.urlChars); got != tt.want {
				t.Errorf("MastodonLength(%q, %q, %d) = %d, want %d", tt.warning, tt.text, tt.urlChars, got, tt.want)
			}
		})
	}
}

func TestMastodonRule(t *testing.T) {
	tests := []struct {
		name     string
		max, url int
		text     string
		wantLen  int
		wantFits bool
	}{
		{"500 kanji fit the default", 0, 0, strings.Repeat("脆", 500), 500, true},
		{"501 kanji do not", 0, 0, strings.Repeat("脆", 501), 501, false},
		{"instance limit", 5000, 0, strings.Repeat("脆", 501), 501, true},
		{"URLs count the instance weight", 30, 10, "https://example.com https://example.org", 21, true},
		{"empty", 0, 0, "", 0, false},
		{"blank", 0, 0, "\u3000\n", 0, false},
		{"long URL fits", 0, 0, strings.Repeat("あ", 477) + "https://example.com/" + strings.Repeat("p", 600), 500, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := Mastodon(tt.max, tt.url)
			if got := rule.Length(tt.text); got != tt.wantLen {
				t.Errorf("Length = %d, want %d", got, tt.wantLen)
			}
			if got := rule.Fits(tt.text); got != tt.wantFits {
				t.Errorf("Fits = %v, want %v", got, tt.wantFits)
			}
		})
	}
}

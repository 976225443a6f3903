package textlen

import (
	"strings"
	"testing"
)

func TestTwitterWeightedLength(t *testing.T) {
	family := "👨\u200d👩\u200d👧\u200d👦"
	tests := []struct {
		name   string
		text   string
		v3, v2 int
	}{
		{"empty", "", 0, 0},
		{"latin", "Hello", 5, 5},
		{"kanji and kana weigh 2", "脆弱性の情報", 12, 12},
		{"full-width letters weigh 2", "ＸＸＸ製", 8, 8},
		{"half-width katakana weigh 2 each", "ﾙｰﾀ", 6, 6},
		{"hashtag", "#itsec_jp", 9, 9},
		{"ideographic space and punctuation", "「注意」\u3000。", 12, 12},
		{"general punctuation is light", "‘’“”…", 4 + 2, 4 + 2},
		{"https URL counts 23", "https://jvn.jp/vu/JVNVU12345678/index.html", 23, 23},
		{"short URL still 23", "http://a.co", 23, 23},
		{"bare domain counts 23", "jvn.jp", 23, 23},
		{"bare domain with path", "jpcert.or.jp/at/2024/at240001.html", 23, 23},
		{"bare domain after Japanese", "詳細はjvn.jp", 6 + 23, 6 + 23},
		{"not a TLD", "Node.js", 7, 7},
		{"URL then Japanese", "https://example.com/a を参照", 23 + 1 + 6, 23 + 1 + 6},
		{"URL stops before CJK punctuation", "https://example.com/a。", 23 + 2, 23 + 2},
		{"two URLs", "https://a.example.com https://b.example.com", 47, 47},
		{"URL after at-sign is not a URL", "user@example.com", 16, 16},
		{"ZWJ family", family, 2, 11},
		{"flag", "🇯🇵", 2, 4},
		{"skin tone", "👍🏽", 2, 4},
		{"emoji presentation selector", "❤️", 2, 4},
		{"text presentation selector", "☺︎", 4, 4},
		{"warning sign takes its selector", "⚠️", 2, 4},
		{"selector after an emoji-style pictograph stands alone", "😀️", 4, 4},
		{"text selector ends a ZWJ sequence", "👨\u200d👩\u200d👧︎", 4, 10},
		{"keycap", "#️⃣", 2, 5},
		{"selector after a kanji is no emoji", "漢\uFE0F", 4, 4},
		{"skin tone after a kanji is no emoji", "漢🏽", 4, 4},
		{"ZWJ between kanji is no emoji", "漢\u200d字", 5, 5},
		{"copyright alone is light", "©", 1, 1},
		{"copyright as emoji", "©️", 2, 3},
		{"combining acute composes", "e\u0301", 1, 1},
		{"dakuten composes", "か\u3099", 2, 2},
		{"mixed", "【注意】 🚨 https://example.com #itsec_jp", 8 + 1 + 2 + 1 + 23 + 1 + 9, 8 + 1 + 2 + 1 + 23 + 1 + 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TwitterWeightedLength(tt.text, true); got != tt.v3 {
				t.Errorf("v3 = %d, want %d", got, tt.v3)
			}
			if got := TwitterWeightedLength(tt.text, false); got != tt.v2 {
				t.Errorf("v2 = %d, want %d", got, tt.v2)
			}
		})
	}
}

func TestXFits(t *testing.T) {
	url := " https://jvn.jp/vu/JVNVU99999999/" + strings.Repeat("x", 200)
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"empty", "", false},
		{"blank", " \n\u3000", false},
		{"280 latin", strings.Repeat("a", 280), true},
		{"281 latin", strings.Repeat("a", 281), false},
		{"140 kana", strings.Repeat("あ", 140), true},
		{"141 kana", strings.Repeat("あ", 141), false},
		{"long URL counts 23", strings.Repeat("あ", 128) + url, true},
		{"one kana too many beside a URL", strings.Repeat("あ", 129) + url, false},
		{"byte order mark is forbidden", "abc\uFEFF", false},
		{"U+FFFF is forbidden", "abc\uFFFF", false},
		{"directional marks are allowed", "\u202Aabc\u202C", true},
		{"140 family emoji", strings.Repeat("👨\u200d👩\u200d👧\u200d👦", 140), true},
	}
	rule := X()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rule.Fits(tt.text); got != tt.want {
				t.Errorf("Fits = %v, want %v (length %d)", got, tt.want, rule.Length(tt.text))
			}
		})
	}
}

package digest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// runeLimit accepts texts of at most n code points.
func runeLimit(n int) func(string) bool {
	return func(s string) bool { return utf8.RuneCountInString(s) <= n }
}

func TestFitTitle(t *testing.T) {
	family := "👨‍👩‍👧‍👦" // one grapheme, seven code points
	tests := []struct {
		name      string
		title     string
		allowHash bool
		fits      func(string) bool
		want      string
		ok        bool
	}{
		{"fits whole", "短いタイトル", false, runeLimit(6), "短いタイトル", true},
		{"japanese cut before katakana word", "信頼できないデータのデシリアライゼーションに関する脆弱性", false, runeLimit(15),
			"信頼できないデータの…", true},
		{"japanese cut between kanji", "脆弱性対策情報データベース更新に関する注意喚起", false, runeLimit(15),
			"脆弱性対策情報データベース更…", true},
		{"english prefers word boundary", "North Korean Hackers Publish 108 Malicious Packages", false, runeLimit(40),
			"North Korean Hackers Publish 108…", true},
		{"emoji family kept whole", strings.Repeat("危", 10) + family + family + "末尾", false, runeLimit(18),
			strings.Repeat("危", 10) + family + "…", true},
		{"link in title not cut", "更新情報あり、詳細は https://example.com/advisory/2026/10/08 を参照", false, runeLimit(40),
			"更新情報あり、詳細は…", true},
		{"link kept whole gets a space", "更新情報あり、詳細は https://example.com/a を参照してください", false, runeLimit(34),
			"更新情報あり、詳細は https://example.com/a …", true},
		{"allowed hashtag not cut", "これは長いお知らせです #verylonghashtag です", true, runeLimit(24),
			"これは長いお知らせです…", true},
		{"no cut between sigil and its zwsp", "0123456789@\u200buser and more words here", false, runeLimit(12),
			"0123456789…", true},
		{"minimum length respected", "0123456789abcdef", false, runeLimit(9), "", false},
		{"too short to cut", "短い", false, runeLimit(1), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := fitTitle(tt.title, tt.allowHash, tt.fits)
			if got != tt.want || ok != tt.ok {
				t.Errorf("fitTitle(%q) = %q, %v; want %q, %v", tt.title, got, ok, tt.want, tt.ok)
			}
			if ok && !tt.fits(got) {
				t.Errorf("fitTitle(%q) = %q, which does not fit", tt.title, got)
			}
		})
	}
}

// TestFitTitleCutsAtGraphemes shortens a title of multi-rune graphemes to
// every limit and checks each result ends on a grapheme boundary.
func TestFitTitleCutsAtGraphemes(t *testing.T) {
	title := strings.Repeat("ｶﾞ🇯🇵👍🏽é\u0301", 6) // half-width voiced kana, flag, skin tone, combining mark
	bounds := map[int]bool{}
	for at, state, rest := 0, -1, title; rest != ""; {
		var c string
		c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		at += len(c)
		bounds[at] = true
	}
	for limit := 10; limit < utf8.RuneCountInString(title); limit++ {
		got, ok := fitTitle(title, false, runeLimit(limit))
		if !ok {
			continue
		}
		kept := strings.TrimSuffix(got, ellipsis)
		if !strings.HasPrefix(title, kept) || !bounds[len(kept)] {
			t.Errorf("limit %d: fitTitle = %q, not cut at a grapheme boundary", limit, got)
		}
		if n := uniseg.GraphemeClusterCount(kept); n < minTitleGraphemes {
			t.Errorf("limit %d: kept %d graphemes, want at least %d", limit, n, minTitleGraphemes)
		}
	}
}

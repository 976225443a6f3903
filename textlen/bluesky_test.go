package textlen

import (
	"reflect"
	"strings"
	"testing"
)

func TestBlueskyRule(t *testing.T) {
	family := "👨\u200d👩\u200d👧\u200d👦" // 25 bytes, one grapheme
	tests := []struct {
		name     string
		text     string
		wantLen  int
		wantFits bool
	}{
		{"japanese", "脆弱性の情報", 6, true},
		{"combining marks join their base", "か\u3099e\u0301", 2, true},
		{"ZWJ family and flag", family + "🇯🇵", 2, true},
		{"URLs count in full", "https://example.com", 19, true},
		{"300 kana fit (900 bytes)", strings.Repeat("あ", 300), 300, true},
		{"301 kana do not", strings.Repeat("あ", 301), 301, false},
		{"120 families are 3000 bytes", strings.Repeat(family, 120), 120, true},
		{"121 families exceed 3000 bytes", strings.Repeat(family, 121), 121, false},
		{"empty", "", 0, false},
		{"blank", "  ", 2, false},
	}
	rule := Bluesky()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rule.Length(tt.text); got != tt.wantLen {
				t.Errorf("Length = %d, want %d", got, tt.wantLen)
			}
			if got := rule.Fits(tt.text); got != tt.wantFits {
				t.Errorf("Fits = %v, want %v", got, tt.wantFits)
			}
		})
	}
}

func TestBlueskyFacets(t *testing.T) {
	link := func(text, uri string) Facet {
		i := strings.Index(text, uri)
		return Facet{ByteStart: i, ByteEnd: i + len(uri), Kind: FacetLink, Value: uri}
	}
	tag := func(text, marked, value string) Facet {
		i := strings.Index(text, marked)
		return Facet{ByteStart: i, ByteEnd: i + len(marked), Kind: FacetTag, Value: value}
	}
	const digest = "【JVN】脆弱性情報 #itsec_jp\nhttps://jvn.jp/vu/JVNVU12345678/"
	long64 := strings.Repeat("あ", 64)
	tests := []struct {
		name string
		text string
		want []Facet
	}{
		{"digest", digest, []Facet{tag(digest, "#itsec_jp", "itsec_jp"), link(digest, "https://jvn.jp/vu/JVNVU12345678/")}},
		{"no facets", "脆弱性情報", nil},
		{"japanese tag without trailing punctuation", "詳細 #脆弱性。", []Facet{tag("詳細 #脆弱性。", "#脆弱性", "脆弱性")}},
		{"full-width hash", "＃注意喚起 です", []Facet{tag("＃注意喚起 です", "＃注意喚起", "注意喚起")}},
		{"tag at start after ideographic space", "\u3000#CVE", []Facet{tag("\u3000#CVE", "#CVE", "CVE")}},
		{"digits only is not a tag", "#123 #2024年", []Facet{tag("#123 #2024年", "#2024年", "2024年")}},
		{"not inside a word", "foo#bar", nil},
		{"keycap is not a tag", "#\ufe0f\u20e3", nil},
		{"64 graphemes", "#" + long64, []Facet{tag("#"+long64, "#"+long64, long64)}},
		{"65 graphemes", "#" + long64 + "あ", nil},
		{"emoji in tag", "#セキュリティ🔒", []Facet{tag("#セキュリティ🔒", "#セキュリティ🔒", "セキュリティ🔒")}},
		{"link stops at CJK punctuation", "詳細はhttps://example.com/a。続き", []Facet{link("詳細はhttps://example.com/a。続き", "https://example.com/a")}},
		{"trailing full stop", "See https://example.com/a.", []Facet{link("See https://example.com/a.", "https://example.com/a")}},
		{"unbalanced paren", "(https://example.com/a)", []Facet{link("(https://example.com/a)", "https://example.com/a")}},
		{"balanced paren", "https://en.wikipedia.org/wiki/Go_(language)", []Facet{link("https://en.wikipedia.org/wiki/Go_(language)", "https://en.wikipedia.org/wiki/Go_(language)")}},
		{"full-width brackets", "（https://example.com）", []Facet{link("（https://example.com）", "https://example.com")}},
		{"upper-case scheme", "HTTPS://EXAMPLE.COM", []Facet{link("HTTPS://EXAMPLE.COM", "HTTPS://EXAMPLE.COM")}},
		{"scheme alone", "https:// x", nil},
		{"inside a word", "xhttps://example.com", nil},
		{"bare domain is not linked", "example.com", nil},
		{"hash in URL is no tag", "https://example.com/#top", []Facet{link("https://example.com/#top", "https://example.com/#top")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BlueskyFacets(tt.text)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("BlueskyFacets(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
			}
		})
	}
}

package misskey

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster"
)

// z writes U+200B as "¦" for readable expectations.
func z(s string) string { return strings.ReplaceAll(s, "¦", "\u200b") }

// neutraliseCases hold what feed titles and our own posts contain; each is
// also checked against mfm.js itself by TestNeutraliseAgainstMFMJS.
var neutraliseCases = []struct{ name, in, want string }{
	{"plain digest", "【JVN】[重要 CVSS 7.5] Foo の脆弱性\nhttps://jvn.jp/vu/JVNVU12345678/\n#itsec_jp #JPCERT", ""},
	{"digest-neutralised sigils", z("@¦user ＃¦tag mail@example.com JVN#84622767 C#"), ""},
	{"bold", "**bold** and **重要**", "*¦*¦bold*¦*¦ and *¦*重要*¦*"},
	{"big", "***tada***", "*¦*¦*¦tada*¦*¦*"},
	{"unclosed bold keeps the link live", "**https://example.com/a", "*¦*https://example.com/a"},
	{"italic", "a *b c* d", "a *¦b c* d"},
	{"spaced asterisks", "2 * 3 * 4", "2 *¦ 3 * 4"},
	{"asterisk after a word", "a*b*", ""},
	{"keycap emoji", "*️⃣ #️⃣ 1️⃣", ""},
	{"bold underscores", "__proto__ pollution", "_¦_¦proto__ pollution"},
	{"snake case", "foo_bar_baz and __init__.py", "foo_bar_baz and _¦_¦init__.py"},
	{"italic underscore", "see _this_", "see _¦this_"},
	{"inline code", "`eval()` injection", z("\uff40¦eval()` injection")},
	{"two code spans", "`a` and `b`", z("\uff40¦a\uff40¦ and \uff40¦b`")},
	{"lone backtick", "it`s", ""},
	{"backtick with acute", "`a´`", ""},
	{"backtick that closes after a defused one", "$``x`", z("$\uff40¦\uff40¦x`")},
	{"code block", "```go\ncode\n```", z("\uff40¦\uff40¦`go\ncode\n\uff40¦\uff40¦`")},
	{"double backticks", "``a`` b", z("\uff40¦\uff40¦a\uff40¦` b")},
	{"strike", "~~取り消し~~ ~x", "~¦~取り消し~¦~ ~x"},
	{"fn", "$[x2 big] $5", "$¦[x2 big] $5"},
	{"tags", "<center>中央</center> <small>s</small> <plain>p</plain> <b>b</b> <i>i</i> <s>s</s> a<br>",
		"<¦center>中央</center> <¦small>s</small> <¦plain>p</plain> <¦b>b</b> <¦i>i</i> <¦s>s</s> a<br>"},
	{"quote", "> 引用\nnot > quote\n>x", "¦> 引用\nnot > quote\n¦>x"},
	{"search", "Advanced Search\n検索 検索\nfoo [search]\nsearch engine", "Advanced ¦Search\n検索 ¦検索\nfoo ¦[search]\nsearch engine"},
	{"search with ideographic space", "脆弱性\u3000検索", "脆弱性\u3000¦検索"},
	{"link", "[title](https://example.com/a) ?[t](<https://example.com/b>) [x](y)",
		"[title]¦(https://example.com/a) ?[t]¦(<https://example.com/b>) [x](y)"},
	{"emoji code", "CVE-2024-1234 :fire: 注意 10:00:00 a:b:c", "CVE-2024-1234 :fire¦: 注意 10:00:00 a:b:c"},
	{"chained emoji codes", ":a:b: ", ":a:b¦: "},
	{"emoji code named like a URL", ":https://example.com/", ":https¦://example.com/"},
	{"mention", "@user @ x a@b", "@¦user @ x a@b"},
	{"math", `\(x^2\) \[y\] \(\)`, z(`\¦(x^2\) \¦[y\] \(\)`)},
	{"URL keeps its characters", "https://example.com/a_b_c~~d?x=$[1]&y=(2)#f_g_", ""},
	{"URL ends where MFM ends it", "https://example.com/a*b*~~c", "https://example.com/a*b*~¦~c"},
	{"bracketed URL", "<https://example.com/**x**>", ""},
	{"markup around a URL", "**https://a.example/x** `https://b.example/`", z("*¦*https://a.example/x*¦* \uff40¦https://b.example/`")},
	{"hashtag keeps its characters", "#itsec_jp #a*b*c (#tag_x)", ""},
	{"digits are no hashtag", "#123 _a_", "#123 _¦a_"},
}

func TestNeutralise(t *testing.T) {
	for _, tt := range neutraliseCases {
		t.Run(tt.name, func(t *testing.T) {
			want := z(tt.want)
			if tt.want == "" {
				want = tt.in
			}
			got, added := Neutralise(tt.in)
			if got != want {
				t.Errorf("Neutralise(%q)\n got %q\nwant %q", tt.in, got, want)
			}
			if n := utf8.RuneCountInString(got) - utf8.RuneCountInString(tt.in); added != n {
				t.Errorf("added = %d, the text grew by %d", added, n)
			}
			back := Unneutralise(got)
			if !poster.SameText(tt.in, back) || strings.Contains(back, "\uff40") != strings.Contains(tt.in, "\uff40") {
				t.Errorf("Unneutralise(%q) = %q, not the posted %q", got, back, tt.in)
			}
		})
	}
}

// mfmAlphabet is what random texts are made of: every character MFM
// gives a meaning to, in the combinations its grammar looks for.
var mfmAlphabet = []string{
	"*", "**", "_", "__", "~~", "`", "´", "$[", "$", "[", "]", "(", ")", "<", ">", "\\", ":", "@", "#", "?[",
	" ", "\u3000", "\t", "\n", "\r\n", "a", "Z", "1", "x2 ", "検索", "search", "[検索]", "https://", "http://",
	"example.com/", "<https://", "center>", "/center>", "plain>", "b>", "i>", "s>", "small>", ".", ",", "!",
	"「", "」", "（", "）", "【", "】", "あ", "🇯🇵", "*️⃣", "#itsec_jp", "\uff40", "fire", "-", "+", "'",
}

// randomMFM returns n texts built from mfmAlphabet, the same on every run.
func randomMFM(n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range 1 + rng.IntN(24) {
			b.WriteString(mfmAlphabet[rng.IntN(len(mfmAlphabet))])
		}
		out[i] = b.String()
	}
	return out
}

// TestNeutraliseIsStable checks, on random texts, properties that hold
// whatever the grammar: a neutralised text needs nothing more, only
// U+200B and defused backticks were added, and read back it is the text.
func TestNeutraliseIsStable(t *testing.T) {
	for _, in := range randomMFM(5000) {
		out, added := Neutralise(in)
		if again, n := Neutralise(out); again != out || n != 0 {
			t.Fatalf("Neutralise(%q) = %q, and again %q", in, out, again)
		}
		stripped := strings.ReplaceAll(strings.ReplaceAll(out, graveMarker, "`"), "\u200b", "")
		if stripped != in || added < 0 {
			t.Fatalf("Neutralise(%q) = %q changed more than markers (added %d)", in, out, added)
		}
		if !poster.SameText(in, Unneutralise(out)) {
			t.Fatalf("Unneutralise(Neutralise(%q)) = %q", in, Unneutralise(out))
		}
	}
}

// BenchmarkNeutralise measures a 20-story digest of 2,365 characters:
// Japanese titles, links, and escapes in every story.
func BenchmarkNeutralise(b *testing.B) {
	var s strings.Builder
	for i := range 20 {
		fmt.Fprintf(&s, "%d. 【JVN】[重要 CVSS 7.5] 複数の製品における `__proto__` 汚染の脆弱性とOSコマンドインジェクションの脆弱性について（続報）対策版を公開\nhttps://jvn.jp/vu/JVNVU%08d/\n", i+1, i)
	}
	s.WriteString("#itsec_jp #JVN")
	text := s.String()
	for b.Loop() {
		Neutralise(text)
	}
	b.ReportMetric(float64(utf8.RuneCountInString(text)), "chars")
}

package slack

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

const link = "https://jvn.jp/vu/JVNVU12345678/"

func TestMrkdwn(t *testing.T) {
	stories := []poster.Story{{Link: link}, {Link: "https://example.com/?a=1&b=|2"}}
	tests := []struct {
		name, text, want string
	}{
		{"escapes", "a & <b> c", "a &amp; &lt;b&gt; c"},
		{"no mention", "<!channel> <!here> <@U123|bob> <#C1>", "&lt;!channel&gt; &lt;!here&gt; &lt;@U123|bob&gt; &lt;#C1&gt;"},
		{"formatting replaced", "*bold* _it_ ~s~ `c` ＊全角＊", "∗bold∗ ˍitˍ ∼s∼ ˋcˋ ﹡全角﹡"},
		{"inside ASCII words kept", "itsec_jp CVE_2024 a*b", "itsec_jp CVE_2024 a*b"},
		{"next to Japanese replaced", "脆弱性_注意", "脆弱性ˍ注意"},
		{"quote at line start", "> 引用\n  ＞ 全角\nx > y", "\u00ad&gt; 引用\n  \u00ad＞ 全角\nx &gt; y"},
		{"story link labelled", "1. *注意* & 対策\n" + link, "1. <" + link + "|∗注意∗ &amp; 対策>"},
		{"bare story link", link, "<" + link + ">"},
		{"link target escaped", "t\nhttps://example.com/?a=1&b=|2", "<https://example.com/?a=1&amp;b=%7C2|t>"},
		{"other URL bare, not formatted", "see https://example.com/a_b_c", "see <https://example.com/a_b_c>"},
		{"invalid UTF-8 replaced", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mrkdwn(tt.text, stories); got != tt.want {
				t.Errorf("mrkdwn(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

// The rule's length bounds what is sent, so that a text the composer fitted
// is never longer once marked up.
func TestLengthBoundsMrkdwn(t *testing.T) {
	pieces := []string{"1. ", "【JVN】", "脆弱性", " ", "\n", link, "https://example.com/?q=a&b|c", "HTTP://X.JP/(y)", "&", "<", ">", "＞", "|",
		"*", "_", "~", "`", "＊", "@everyone", "\u00ad", "a", "9"}
	stories := []poster.Story{{Link: link}, {Link: "https://example.com/?q=a&b|c"}}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var b strings.Builder
		for range r.IntN(16) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		got, bound := utf8.RuneCountInString(mrkdwn(text, stories)), textlen.SlackLength(text)
		if got > bound {
			t.Fatalf("mrkdwn(%q) has %d characters, more than SlackLength %d", text, got, bound)
		}
	}
}

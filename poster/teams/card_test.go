package teams

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

const link = "https://jvn.jp/vu/JVNVU12345678/"

func TestBlockText(t *testing.T) {
	stories := []poster.Story{{Link: link}, {Link: "https://example.com/a_(b)"}}
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"emphasis replaced", "**b** *i* _u_ itsec_jp 脆弱性_x", []string{"∗∗b∗∗ ∗i∗ ˍuˍ itsec_jp 脆弱性ˍx"}},
		{"links from feed text broken", "[x](https://evil.example)", []string{"［x］(https://evil.example)"}},
		{"backslash replaced", `a\*b`, []string{"a＼∗b"}},
		{"list markers kept literal", "1. a\n- b\n+ c\n3) d\n-x", []string{"\u20601. a", "\u2060- b", "\u2060+ c", "\u20603) d", "-x"}},
		{"story link", "2. 注意 [重要]\n" + link, []string{"\u20602. [注意 ［重要］](" + link + ")"}},
		{"target encoded", "t\nhttps://example.com/a_(b)", []string{"[t](https://example.com/a_%28b%29)"}},
		{"bare URL untouched", "see https://example.com/a_b*c", []string{"see https://example.com/a_b*c"}},
		{"blank lines dropped", "a\n\n \nb", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, b := range envelope(tt.text, stories).Attachments[0].Content.Body {
				got = append(got, b.Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("blocks of %q\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

// The rule's length bounds the card: what the text adds to the request is
// at most TeamsLength, and the card's fixed parts fit the 1000 bytes the
// default limit leaves under MaxBody.
func TestLengthBoundsCard(t *testing.T) {
	empty := encode(t, envelope("", nil))
	if fixed := len(empty); fixed > MaxBody-textlen.Teams(0).Limit() {
		t.Fatalf("an empty card takes %d bytes, more than the %d the rule leaves", fixed, MaxBody-textlen.Teams(0).Limit())
	}
	pieces := []string{"1. ", "【JVN】", "脆弱性", " ", "\n", link, "https://example.com/a_(b)[c]", "HTTP://X.JP/<y>", "\"", "\\", "*", "_",
		"[", "]", "(", ")", "<", ">", "-", "\t", "\u2028", "🇯🇵", "a", "\xff"}
	stories := []poster.Story{{Link: link}, {Link: "https://example.com/a_(b)[c]"}}
	r := rand.New(rand.NewPCG(7, 8))
	for range 3000 {
		var b strings.Builder
		for range r.IntN(16) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		got := len(encode(t, envelope(text, stories))) - len(empty)
		if bound := textlen.TeamsLength(text); got > bound {
			t.Fatalf("the card of %q takes %d bytes more than an empty one, more than TeamsLength %d", text, got, bound)
		}
	}
}

func encode(t *testing.T, m message) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

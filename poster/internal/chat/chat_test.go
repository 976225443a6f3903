package chat

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster"
)

const (
	jvn    = "https://jvn.jp/vu/JVNVU12345678/"
	jpcert = "https://www.jpcert.or.jp/at/2026/at260001.html"
)

func TestParse(t *testing.T) {
	stories := []poster.Story{{Title: "a", Link: jvn}, {Title: "b", Link: " " + jpcert + " "}}
	tests := []struct {
		name string
		text string
		want []Line
	}{
		{"digest", "【まとめ】(1/2)\n1. 【JVN】[緊急] 脆弱性\n" + jvn + "\n2. 注意喚起\n" + jpcert + "\n#itsec_jp", []Line{
			{{Text: "【まとめ】(1/2)"}},
			{{Text: "1. "}, {Text: "【JVN】[緊急] 脆弱性", URL: jvn}},
			{{Text: "2. "}, {Text: "注意喚起", URL: jpcert}},
			{{Text: "#itsec_jp"}},
		}},
		{"each layout: title without numbering", "脆弱性\n" + jvn, []Line{{{Text: "脆弱性", URL: jvn}}}},
		{"link first is bare", jvn + "\ntext", []Line{{{URL: jvn}}, {{Text: "text"}}}},
		{"two links: the second is bare", "t\n" + jvn + "\n" + jpcert, []Line{{{Text: "t", URL: jvn}}, {{URL: jpcert}}}},
		{"numbering alone takes no link", "3. \n" + jvn, []Line{{{Text: "3. "}}, {{URL: jvn}}}},
		{"blank line between", "t\n\n" + jvn, []Line{{{Text: "t"}}, nil, {{URL: jvn}}}},
		{"other URLs stay bare", "t\nhttps://example.com/x", []Line{{{Text: "t"}}, {{URL: "https://example.com/x"}}}},
		{"URL inside a title", "見よ https://example.com/a_b。続き", []Line{{{Text: "見よ "}, {URL: "https://example.com/a_b"}, {Text: "。続き"}}}},
		{"trailing punctuation", "(see https://example.com/x).", []Line{{{Text: "(see "}, {URL: "https://example.com/x"}, {Text: ")."}}}},
		{"balanced parentheses kept", "https://en.example/wiki/A_(b)", []Line{{{URL: "https://en.example/wiki/A_(b)"}}}},
		{"upper-case scheme", "HTTP://A.JP/x", []Line{{{URL: "HTTP://A.JP/x"}}}},
		{"scheme only is text", "http://. and https://", []Line{{{Text: "http://. and https://"}}}},
		{"title after a URL line is not a label", "https://example.com\n" + jvn, []Line{{{URL: "https://example.com"}}, {{URL: jvn}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.text, stories)
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("Parse(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

// plain is what the lines show: links as their labels, then their URLs.
func plain(lines []Line) string {
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		for _, s := range line {
			b.WriteString(s.Text)
			if s.URL != "" && s.Text != "" {
				b.WriteByte('\n')
			}
			b.WriteString(s.URL)
		}
	}
	return b.String()
}

// Parsing loses nothing: the lines show the text they were parsed from.
func TestParseKeepsText(t *testing.T) {
	pieces := []string{"1. ", "【JVN】", "脆弱性", " ", "\n", jvn, jpcert, "https://example.com/(x)", ").", "@everyone", "&<>|*_~`", "12.", "\u3000"}
	stories := []poster.Story{{Link: jvn}, {Link: jpcert}}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		if got := plain(Parse(text, stories)); got != text {
			t.Fatalf("Parse(%q) shows %q", text, got)
		}
	}
}

func TestEscapeTarget(t *testing.T) {
	tests := []struct{ u, ends, want string }{
		{"https://example.com/a_(b)", "()<>[]", "https://example.com/a_%28b%29"},
		{"https://example.com/[x] y", "()<>[] ", "https://example.com/%5Bx%5D%20y"},
		{"https://example.com/?a=1|2&b=<3>", "|<>", "https://example.com/?a=1%7C2&b=%3C3%3E"},
		{"https://例え.jp/（全角）", "()", "https://例え.jp/（全角）"},
	}
	for _, tt := range tests {
		if got := EscapeTarget(tt.u, tt.ends); got != tt.want {
			t.Errorf("EscapeTarget(%q, %q) = %q, want %q", tt.u, tt.ends, got, tt.want)
		}
	}
}

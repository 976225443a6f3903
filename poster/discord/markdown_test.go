package discord

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

const link = "https://jvn.jp/vu/JVNVU12345678/"

func TestMarkdown(t *testing.T) {
	stories := []poster.Story{{Link: link}, {Link: "https://example.com/a_(b)"}}
	tests := []struct {
		name, text, want string
	}{
		{"markdown escaped", "*b* _i_ ~~s~~ ||x|| `c` # h - l > q", `\*b\* \_i\_ \~\~s\~\~ \|\|x\|\| \` + "`c\\`" + ` \# h \- l \> q`},
		{"mentions broken", "@everyone ＠here <@123>", "@\u200beveryone ＠\u200bhere \\<@\u200b123\\>"},
		{"zero-width space not doubled", "@\u200beveryone", "@\u200beveryone"},
		{"masked link from feed text escaped", "[x](y)", `\[x\]\(y\)`},
		{"story link masked", "1. 注意 *緊急*\n" + link, "1. [注意 \\*緊急\\*](" + link + ")"},
		{"story link bare", link, "<" + link + ">"},
		{"target encoded", "t\nhttps://example.com/a_(b)", "[t](https://example.com/a_%28b%29)"},
		{"other URL not escaped", "see https://example.com/a-b_c", "see <https://example.com/a-b_c>"},
		{"backslash", `C:\path`, `C:\\path`},
		{"numbering kept as a list", "12. x", "12. x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := markdown(tt.text, stories); got != tt.want {
				t.Errorf("markdown(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

// The rule's length bounds the content sent.
func TestLengthBoundsMarkdown(t *testing.T) {
	pieces := []string{"1. ", "【JVN】", "脆弱性", " ", "\n", link, "https://example.com/a_(b)[c]", "HTTP://X.JP/<y>", "@", "＠", "\u200b",
		"*", "_", "~", "`", "|", "#", "-", ">", "<", "[", "]", "(", ")", "\\", "a"}
	stories := []poster.Story{{Link: link}, {Link: "https://example.com/a_(b)[c]"}}
	r := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		var b strings.Builder
		for range r.IntN(16) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		got, bound := utf8.RuneCountInString(markdown(text, stories)), textlen.DiscordLength(text)
		if got > bound {
			t.Fatalf("markdown(%q) has %d characters, more than DiscordLength %d", text, got, bound)
		}
	}
}

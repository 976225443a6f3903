package digest

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		allowHash bool
		want      string
	}{
		{"plain japanese", "libjxl におけるゼロ除算に関する脆弱性", false, "libjxl におけるゼロ除算に関する脆弱性"},
		{"white space collapses", "  a\t\tb\n\nc\u00a0d\u2028e  ", false, "a b c d e"},
		{"ideographic space kept", "注意喚起\u3000更新", false, "注意喚起\u3000更新"},
		{"run with ideographic space", " \u3000 a \u3000\t b\u2028c\u3000", false, "a\u3000b c"},
		{"controls removed", "bad\x00\x01\x1b[31mchar\x7f\u0085x", false, "bad[31mchar x"},
		{"bidi controls removed", "abc\u202etxt.exe\u202c \u2066x\u2069\u200e\u200f\u061c", false, "abctxt.exe x"},
		{"bom and noncharacters removed", "\ufeffa\ufffeb\uffffc\ufdd0d\U0001fffe", false, "abcd"},
		{"feed zwsp removed", "a\u200bb", false, "ab"},
		{"invalid utf-8 replaced", "a\xffb", false, "a\ufffdb"},
		{"nfc composed", "Cafe\u0301", false, "Caf\u00e9"},
		{"mention", "@user さん", false, "@\u200buser さん"},
		{"remote mention", "cc @user@example.com", false, "cc @\u200buser@example[.]com"},
		{"fullwidth mention", "＠user", false, "＠\u200buser"},
		{"e-mail sigil left alone, domain defanged", "mail user@example.com", false, "mail user@example[.]com"},
		{"hashtag", "#spam です", false, "＃\u200bspam です"},
		{"fullwidth hashtag", "＃スパム", false, "＃\u200bスパム"},
		{"hash after japanese", "脆弱性#spam", false, "脆弱性＃\u200bspam"},
		{"hash after ascii word", "C# と JVN#84622767", false, "C# と JVN#84622767"},
		{"hash allowed", "#cve and ＃タグ", true, "#cve and ＃タグ"},
		{"mention still defused when hash allowed", "@user #tag", true, "@\u200buser #tag"},
		{"removed control does not hide sigil", "\x01#tag", false, "＃\u200btag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanText(tt.in, tt.allowHash); got != tt.want {
				t.Errorf("cleanText(%q, %v) = %q, want %q", tt.in, tt.allowHash, got, tt.want)
			}
		})
	}
}

// TestNeutralisedAgainstGrammars checks the defused text against each
// platform's extraction grammar, and that the raw text did trigger it.
func TestNeutralisedAgainstGrammars(t *testing.T) {
	inputs := []string{
		"@user", "(@user)", "x @user.bsky.social y", "＠user", "@user@host.example",
		"#tag", "＃タグ", "脆弱性 #脆弱性", "「#タグ」", "(#tag)", "#tag_1 #tag2",
	}
	for _, in := range inputs {
		out := cleanText(in, false)
		rawHits := 0
		for _, g := range grammars {
			rawHits += len(g.mentions(in)) + len(g.hashtags(in))
			if got := append(g.mentions(out), g.hashtags(out)...); len(got) > 0 {
				t.Errorf("%s: cleanText(%q) = %q still yields %q", g.name, in, out, got)
			}
		}
		if rawHits == 0 {
			t.Errorf("no grammar finds anything in raw %q; the input tests nothing", in)
		}
	}
}

// TestZWSPAloneFailsOnMisskey records why '#' becomes '＃'+U+200B: mfm.js
// accepts U+200B inside a hashtag.
func TestZWSPAloneFailsOnMisskey(t *testing.T) {
	for _, g := range grammars {
		got := g.hashtags("#\u200btag")
		if wantTag := g.name == "misskey"; (len(got) > 0) != wantTag {
			t.Errorf("%s: hashtags(%q) = %q, want a tag: %v", g.name, "#\u200btag", got, wantTag)
		}
	}
}

func TestCleanURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://jvn.jp/vu/JVNVU91137775/", "https://jvn.jp/vu/JVNVU91137775/"},
		{"  http://example.com/a?b=1#c  ", "http://example.com/a?b=1#c"},
		{"HTTPS://Example.com/X", "https://Example.com/X"},
		{"https://ja.wikipedia.org/wiki/脆弱性", "https://ja.wikipedia.org/wiki/脆弱性"},
		{"javascript:alert(1)", ""},
		{"ftp://example.com/file", ""},
		{"data:text/html,<b>x</b>", ""},
		{"//example.com/no-scheme", ""},
		{"example.com", ""},
		{"https://", ""},
		{"https://user:pw@example.com/", ""},
		{"https://example.com/a b", ""},
		{"https://example.com/\u202egpj.exe", ""},
		{"https://example.com/\u200b", ""},
		{"https:example.com", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cleanURL(tt.in); got != tt.want {
			t.Errorf("cleanURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanHashtags(t *testing.T) {
	got, err := cleanHashtags([]string{"#itsec_jp", " JPCERT ", "#脆弱性"})
	if err != nil {
		t.Fatalf("cleanHashtags: %v", err)
	}
	if want := "#itsec_jp #JPCERT #脆弱性"; strings.Join(got, " ") != want {
		t.Errorf("cleanHashtags = %q, want %q", got, want)
	}
	for _, bad := range []string{"", "#", "#a b", "#a#b", "#a＃b", "#a@b", "#a＠b", "#a\u202eb", "#a\u3000b", "#a\x00", "#a\xff"} {
		if _, err := cleanHashtags([]string{bad}); err == nil {
			t.Errorf("cleanHashtags(%q): no error, want one", bad)
		}
		if err := CheckHashtag(bad); err == nil {
			t.Errorf("CheckHashtag(%q): no error, want one", bad)
		}
	}
	for _, good := range []string{"#2026", "#itsec_jp", "JPCERT", "#ＣＶＥ"} {
		if err := CheckHashtag(good); err != nil {
			t.Errorf("CheckHashtag(%q) = %v, want nil", good, err)
		}
	}
}

func TestHashtagSetDeduplicatesIgnoringCase(t *testing.T) {
	var s hashtagSet
	s.add("#itsec_jp", "#JVN")
	s.add("#ITSEC_JP", "#jvn", "#IPA")
	if got, want := s.line(), "#itsec_jp #JVN #IPA"; got != want {
		t.Errorf("line() = %q, want %q", got, want)
	}
}

func TestBadge(t *testing.T) {
	tests := []struct {
		severity string
		score    float64
		want     string
	}{
		{"Critical", 9.8, "[緊急 CVSS 9.8]"},
		{"High", 7.5, "[重要 CVSS 7.5]"},
		{"medium", 5, "[警告 CVSS 5.0]"},
		{" LOW ", 3.1, "[注意 CVSS 3.1]"},
		{"High", 0, "[重要]"},
		{"None", 0, ""},
		{"None", 4.3, "[CVSS 4.3]"},
		{"", 10, "[CVSS 10.0]"},
		{"Unknown", 0, ""},
		{"", 11, ""},
		{"", -1, ""},
	}
	for _, tt := range tests {
		if got := newSeverity(tt.severity, tt.score).Badge(); got != tt.want {
			t.Errorf("badge(%q, %v) = %q, want %q", tt.severity, tt.score, got, tt.want)
		}
	}
}

// FuzzCleanText checks that no input survives cleaning as a mention, a
// hashtag, a control or bidi character, or invalid UTF-8.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"@user", "＃タグ #tag", "C# a@b.example", "\u202e@x\u3000#y", "Cafe\u0301#x", "\u212a#x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := cleanText(in, false)
		if !utf8.ValidString(out) {
			t.Fatalf("cleanText(%q) = %q, invalid UTF-8", in, out)
		}
		prev := rune(0)
		for _, r := range out {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Fatalf("cleanText(%q) = %q keeps %U", in, out, r)
			}
			if r == '\u200b' && !strings.ContainsRune("@＠＃", prev) {
				t.Fatalf("cleanText(%q) = %q has U+200B after %q", in, out, prev)
			}
			prev = r
		}
		for _, g := range grammars {
			if got := append(g.mentions(out), g.hashtags(out)...); len(got) > 0 {
				t.Fatalf("%s: cleanText(%q) = %q yields %q", g.name, in, out, got)
			}
		}
	})
}

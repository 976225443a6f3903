package config

import "testing"

func TestVisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain 脆弱性 text", "plain 脆弱性 text"},
		{"a\tb", "a<TAB>b"},
		{"\u00a0url", "<NBSP U+00A0>url"},
		{"u\u200brl", "u<ZERO WIDTH SPACE U+200B>rl"},
		{"\ufeffdatabase", "<BOM U+FEFF>database"},
		{"全角\u3000空白", "全角<IDEOGRAPHIC SPACE U+3000>空白"},
		{"rtl\u202e", "rtl<U+202E>"},
		{"line\nbreak", "line<LF>break"},
		{"bad\xffbyte", "bad<byte 0xFF>byte"},
		{"emoji 🔒 stays", "emoji 🔒 stays"},
	}
	for _, tt := range tests {
		if got := visible(tt.in); got != tt.want {
			t.Errorf("visible(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "c.yaml", Msg: "m"}, "c.yaml: m"},
		{Error{File: "c.yaml", Line: 3, Msg: "m"}, "c.yaml:3: m"},
		{Error{File: "c.yaml", Line: 3, Col: 7, Key: "feeds[0].url", Msg: "m"}, "c.yaml:3:7: feeds[0].url: m"},
		{Error{File: "c.yaml", Col: 7, Key: "k", Msg: "m"}, "c.yaml: k: m"}, // a column without a line says nothing
		{Error{File: "c.yaml", Line: 1, Col: 1, Key: "\u00a0k", Msg: "tab\there"}, "c.yaml:1:1: <NBSP U+00A0>k: tab<TAB>here"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

package feeds

import "testing"

func TestPlainText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "OpenSSL の脆弱性", "OpenSSL の脆弱性"},
		{"tags", "<p>ルータには<b>脆弱性</b>が存在します。</p>", "ルータには 脆弱性 が存在します。"},
		{"block tags separate words", "<p>one</p><p>two</p>", "one two"},
		{"entities", "Tom &amp; Jerry &copy; &#8217;s &#x2014; caf&eacute;", "Tom & Jerry © ’s — café"},
		{"double escaped tag stays text", "&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>"},
		{"script and style dropped", "a<script>alert('x')</script>b<style>p{color:red}</style>c", "a b c"},
		{"noscript dropped", "<noscript><img src=x></noscript>text", "text"},
		{"whitespace collapsed", "  a \t\r\n b\u00a0\u00a0c\u3000d  ", "a b c d"},
		{"nbsp entity", "a&nbsp;&nbsp;b", "a b"},
		{"control chars removed", "bad\x01char\x7f\x1bs", "badchars"},
		{"bidi overrides removed", "evil\u202Egnp.exe\u2066x\u2069", "evilgnp.exex"},
		{"bom removed", "\ufeffhello", "hello"},
		{"invalid utf8 removed", "ok\xffok", "okok"},
		{"comment dropped", "a<!-- hidden -->b", "ab"},
		{"bare ampersand kept", "AT&T R&D", "AT&T R&D"},
		{"less-than with space kept", "1 < 2", "1 < 2"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

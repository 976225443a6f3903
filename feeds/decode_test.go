package feeds

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

const (
	// jaTitle has half-width kana, full-width Latin and a Windows-31J
	// (NEC row 13) character.
	jaTitle = "ＸＸＸ製 ﾙｰﾀ におけるOSコマンドインジェクションの脆弱性 ①"
	// jisTitle avoids half-width kana, which ISO-2022-JP cannot carry.
	jisTitle = "ルータにおけるOSコマンドインジェクションの脆弱性"
	// kanjiTitle has no kana, so undeclared detection cannot recognise a
	// document made of it: only the charset header can.
	kanjiTitle = "脆弱性対策情報"
)

// jaDoc is an RSS 2.0 document in UTF-8; prolog is "" or an XML declaration.
func jaDoc(prolog, title string) string {
	return rssDoc(prolog, title, "ルータには脆弱性が存在します。")
}

func rssDoc(prolog, title, desc string) string {
	return prolog + `<rss version="2.0"><channel><title>` + title + `</title><link>https://example.jp/</link>` +
		`<item><title>` + title + `</title><link>https://example.jp/1</link>` +
		`<description>` + desc + `</description></item></channel></rss>`
}

func prolog(enc string) string { return `<?xml version="1.0" encoding="` + enc + `"?>` + "\n" }

func encode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

// encodingCase is one encoded document and the title Parse must read from it.
type encodingCase struct {
	name, contentType string
	body              []byte
	title             string
}

func encodingCases(t testing.TB) []encodingCase {
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	utf16be := unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	return []encodingCase{
		{"Shift_JIS prolog", "", encode(t, japanese.ShiftJIS, jaDoc(prolog("Shift_JIS"), jaTitle)), jaTitle},
		{"Shift_JIS prolog beats lying header", "text/xml; charset=UTF-8", encode(t, japanese.ShiftJIS, jaDoc(prolog("Shift_JIS"), jaTitle)), jaTitle},
		{"Windows-31J prolog", "", encode(t, japanese.ShiftJIS, jaDoc(prolog("Windows-31J"), jaTitle)), jaTitle},
		{"EUC-JP prolog", "", encode(t, japanese.EUCJP, jaDoc(prolog("EUC-JP"), jaTitle)), jaTitle},
		{"EUC-JP header only", "application/rss+xml; charset=EUC-JP", encode(t, japanese.EUCJP, rssDoc("", kanjiTitle, "注意喚起")), kanjiTitle},
		{"EUC-JP prolog without encoding, header", `text/xml; charset="euc-jp"`, encode(t, japanese.EUCJP, rssDoc(`<?xml version="1.0"?>`, kanjiTitle, "注意喚起")), kanjiTitle},
		{"ISO-2022-JP prolog", "", encode(t, japanese.ISO2022JP, jaDoc(prolog("ISO-2022-JP"), jisTitle)), jisTitle},
		{"UTF-16LE BOM", "", encode(t, utf16le, jaDoc(prolog("UTF-16"), jaTitle)), jaTitle},
		{"UTF-16BE BOM", "", encode(t, utf16be, jaDoc(prolog("UTF-16"), jaTitle)), jaTitle},
		{"UTF-16LE without BOM", "", encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), jaDoc(prolog("UTF-16"), jaTitle)), jaTitle},
		{"UTF-8 BOM", "", append([]byte("\xEF\xBB\xBF"), jaDoc(prolog("UTF-8"), jaTitle)...), jaTitle},
		{"UTF-8 despite Latin-1 header", "text/xml; charset=ISO-8859-1", []byte(jaDoc("", jaTitle)), jaTitle},
		{"Latin-1 header on Latin-1 bytes", "text/xml; charset=ISO-8859-1", encode(t, charmap.ISO8859_1, rssDoc("", "Café", "été")), "Café"},
		{"undeclared Shift_JIS", "", encode(t, japanese.ShiftJIS, jaDoc("", jaTitle)), jaTitle},
		{"undeclared EUC-JP", "", encode(t, japanese.EUCJP, jaDoc(`<?xml version="1.0"?>`, jaTitle)), jaTitle},
		{"undeclared ISO-2022-JP", "", encode(t, japanese.ISO2022JP, jaDoc("", jisTitle)), jisTitle},
		{"EUC-JP despite UTF-8 header", "text/xml; charset=utf-8", encode(t, japanese.EUCJP, jaDoc("", jaTitle)), jaTitle},
		{"undeclared windows-1252", "", encode(t, charmap.Windows1252, rssDoc("", "Café – naïve", "été")), "Café – naïve"},
		{"unknown label on UTF-8", "", []byte(jaDoc(prolog("x-bogus"), jaTitle)), jaTitle},
		{"UTF-16 label on ASCII-compatible bytes", "", []byte(jaDoc(prolog("UTF-16"), jaTitle)), jaTitle},
	}
}

func TestParseEncodings(t *testing.T) {
	for _, tc := range encodingCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			feed, err := Parse(tc.body, ParseOptions{ContentType: tc.contentType})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(feed.Items) != 1 {
				t.Fatalf("got %d items, want 1", len(feed.Items))
			}
			if feed.Title != tc.title || feed.Items[0].Title != tc.title {
				t.Errorf("titles = %q, %q; want %q", feed.Title, feed.Items[0].Title, tc.title)
			}
		})
	}
}

func TestToUTF8RewritesProlog(t *testing.T) {
	body := encode(t, japanese.ShiftJIS, jaDoc(prolog("Shift_JIS"), jaTitle))
	got, err := toUTF8(body, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := prolog("UTF-8") + "<rss"; !bytes.HasPrefix(got, []byte(want)) {
		t.Errorf("toUTF8 starts %q, want %q", got[:min(len(got), 60)], want)
	}
	if !bytes.Contains(got, []byte(jaTitle)) {
		t.Errorf("toUTF8 lost the title: %q", got)
	}
}

func TestToUTF8UnsupportedEncoding(t *testing.T) {
	body := append([]byte(prolog("x-bogus")+"<rss>"), 0xff, 0xfe, 0x81)
	_, err := toUTF8(body, "")
	if err == nil || !strings.Contains(err.Error(), `unsupported encoding "x-bogus"`) {
		t.Errorf("toUTF8 error = %v, want unsupported encoding", err)
	}
}

func TestDetectJapanese(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"ascii", []byte("plain ascii"), ""},
		{"latin-1 prose", encode(t, charmap.Windows1252, "Une société où l'été est très chaud"), ""},
		{"shift_jis", encode(t, japanese.ShiftJIS, jaTitle), "shift_jis"},
		{"euc-jp", encode(t, japanese.EUCJP, jaTitle), "euc-jp"},
		{"iso-2022-jp", encode(t, japanese.ISO2022JP, jisTitle), "iso-2022-jp"},
		{"kanji only is not enough", encode(t, japanese.ShiftJIS, kanjiTitle), ""},
		{"broken shift_jis", append(encode(t, japanese.ShiftJIS, jaTitle), 0x81), ""},
	}
	for _, tt := range tests {
		if _, got := detectJapanese(tt.in); got != tt.want {
			t.Errorf("%s: detectJapanese = %q, want %q", tt.name, got, tt.want)
		}
	}
}

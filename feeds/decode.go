package feeds

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// prologEncoding finds the encoding pseudo-attribute of an XML declaration.
var prologEncoding = regexp.MustCompile(`^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']`)

// prologWindow bounds how far into the body the XML declaration is looked for.
const prologWindow = 512

// toUTF8 returns body as UTF-8 with any encoding declaration in the prolog
// rewritten to UTF-8, so the XML parser never decodes a second time. The
// encoding comes from, in order: a byte order mark or the UTF-16 shape of
// "<?"; the prolog's declaration; the Content-Type charset (unless the bytes
// already are UTF-8 text); JIS escapes (ISO-2022-JP); valid UTF-8; a
// recognisable Shift_JIS or EUC-JP; else windows-1252, which never fails.
func toUTF8(body []byte, contentType string) ([]byte, error) {
	doc, _, err := decodeBody(body, contentType)
	return doc, err
}

// decodeBody is toUTF8 that also names the encoding it read.
func decodeBody(body []byte, contentType string) (doc []byte, name string, err error) {
	if enc, n := utf16Encoding(body); enc != nil {
		return decodeWith(enc, "utf-16", body[n:])
	}
	body = bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF"))
	label := declaredEncoding(body)
	if label == "" && !utf8Text(body) {
		// A header charset is often a server default unrelated to the file,
		// so it is not allowed to turn valid UTF-8 into mojibake.
		label = contentTypeCharset(contentType)
	}
	if label != "" {
		enc, name := charset.Lookup(label)
		switch {
		case strings.HasPrefix(name, "utf-16"):
			// Claims UTF-16 but has neither BOM nor UTF-16 shape: the bytes
			// are ASCII-compatible, so the label is wrong.
		case (enc == nil || name == "replacement") && !utf8.Valid(body):
			return nil, "", fmt.Errorf("decode: unsupported encoding %q", label)
		case enc != nil && name != "utf-8" && name != "replacement":
			return decodeWith(enc, name, body)
		}
	}
	// ESC is illegal in XML, so 7-bit text with JIS escapes is ISO-2022-JP.
	if isISO2022JP(body) {
		return decodeWith(japanese.ISO2022JP, "iso-2022-jp", body)
	}
	if utf8.Valid(body) {
		return rewriteProlog(body), "utf-8", nil
	}
	if enc, name := detectJapanese(body); enc != nil {
		return decodeWith(enc, name, body)
	}
	if label != "" {
		// Declared UTF-8 but a few bytes are broken: keep the rest readable.
		return rewriteProlog(bytes.ToValidUTF8(body, []byte("\uFFFD"))), "utf-8 (invalid bytes replaced)", nil
	}
	return decodeWith(charmap.Windows1252, "windows-1252", body)
}

// utf16Encoding recognises UTF-16 by its BOM, or by "<?" encoded as UTF-16,
// and returns the decoder and the number of BOM bytes to skip.
func utf16Encoding(b []byte) (encoding.Encoding, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(b, []byte{0x00, '<', 0x00, '?'}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 0
	case bytes.HasPrefix(b, []byte{'<', 0x00, '?', 0x00}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 0
	}
	return nil, 0
}

func decodeWith(enc encoding.Encoding, name string, b []byte) ([]byte, string, error) {
	out, _, err := transform.Bytes(enc.NewDecoder(), b)
	if err != nil {
		return nil, name, fmt.Errorf("decode %s: %w", name, err)
	}
	out = bytes.TrimPrefix(out, []byte("\xEF\xBB\xBF"))
	return rewriteProlog(out), name, nil
}

// utf8Text reports valid UTF-8 that has non-ASCII characters (pure ASCII
// reads the same in every ASCII-compatible charset, and may be ISO-2022-JP).
func utf8Text(b []byte) bool {
	return utf8.Valid(b) && slices.ContainsFunc(b, func(c byte) bool { return c >= 0x80 })
}

// declaredEncoding returns the prolog's encoding label, or "".
func declaredEncoding(b []byte) string {
	m := prologEncoding.FindSubmatch(b[:min(len(b), prologWindow)])
	if m == nil {
		return ""
	}
	return strings.TrimSpace(string(m[1]))
}

// contentTypeCharset returns the charset parameter of an HTTP Content-Type.
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(params["charset"])
}

// rewriteProlog makes the XML declaration say UTF-8, which the document now is.
func rewriteProlog(b []byte) []byte {
	m := prologEncoding.FindSubmatchIndex(b[:min(len(b), prologWindow)])
	if m == nil || strings.EqualFold(string(b[m[2]:m[3]]), "utf-8") {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:m[2]]...)
	out = append(out, "UTF-8"...)
	return append(out, b[m[3]:]...)
}

// dropControls removes the C0 control characters XML forbids (all but tab,
// LF and CR), as gofeed does while reading, so that the structure scan sees
// the very bytes the parser will. It copies only when there are any.
func dropControls(b []byte) []byte {
	i := slices.IndexFunc(b, illegalControl)
	if i < 0 {
		return b
	}
	out := make([]byte, i, len(b))
	copy(out, b[:i])
	for _, c := range b[i:] {
		if !illegalControl(c) {
			out = append(out, c)
		}
	}
	return out
}

func illegalControl(c byte) bool { return c < 0x20 && c != '\t' && c != '\n' && c != '\r' }

package feeds

import (
	"bytes"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
)

// minKana is how many kana characters undeclared bytes must contain before
// they are taken for Japanese: real Japanese prose is full of kana, while
// Latin-1 text that happens to be valid Shift_JIS contains almost none.
const minKana = 2

// detectJapanese recognises undeclared ISO-2022-JP, EUC-JP and Shift_JIS.
// It answers only when the bytes are well-formed in that encoding and read as
// kana there; otherwise it returns nil. EUC-JP is tried before Shift_JIS
// because EUC-JP text is often also well-formed Shift_JIS (as half-width
// katakana), while Shift_JIS kana (lead bytes 0x82/0x83) are never valid EUC-JP.
func detectJapanese(b []byte) (encoding.Encoding, string) {
	switch {
	case isISO2022JP(b):
		return japanese.ISO2022JP, "iso-2022-jp"
	case eucJPKana(b) >= minKana:
		return japanese.EUCJP, "euc-jp"
	case shiftJISKana(b) >= minKana:
		return japanese.ShiftJIS, "shift_jis"
	}
	return nil, ""
}

// isISO2022JP reports 7-bit text that switches to JIS X 0208.
func isISO2022JP(b []byte) bool {
	if !bytes.Contains(b, []byte("\x1b$B")) && !bytes.Contains(b, []byte("\x1b$@")) {
		return false
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// eucJPKana returns the number of hiragana/katakana characters if b is
// well-formed EUC-JP, else -1.
func eucJPKana(b []byte) int {
	kana := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c < 0x80:
			continue
		case c == 0x8E && i+1 < len(b) && inRange(b[i+1], 0xA1, 0xDF):
			i++
		case c == 0x8F && i+2 < len(b) && inRange(b[i+1], 0xA1, 0xFE) && inRange(b[i+2], 0xA1, 0xFE):
			i += 2
		case inRange(c, 0xA1, 0xFE) && i+1 < len(b) && inRange(b[i+1], 0xA1, 0xFE):
			if c == 0xA4 || c == 0xA5 {
				kana++
			}
			i++
		default:
			return -1
		}
	}
	return kana
}

// shiftJISKana returns the number of hiragana/katakana characters if b is
// well-formed Shift_JIS (Windows-31J), else -1.
func shiftJISKana(b []byte) int {
	kana := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c < 0x80, inRange(c, 0xA1, 0xDF):
			continue
		case (inRange(c, 0x81, 0x9F) || inRange(c, 0xE0, 0xFC)) && i+1 < len(b) && sjisTrail(b[i+1]):
			if c == 0x82 && b[i+1] >= 0x9F || c == 0x83 && b[i+1] <= 0x96 {
				kana++
			}
			i++
		default:
			return -1
		}
	}
	return kana
}

func sjisTrail(c byte) bool { return inRange(c, 0x40, 0x7E) || inRange(c, 0x80, 0xFC) }

func inRange(c, lo, hi byte) bool { return c >= lo && c <= hi }

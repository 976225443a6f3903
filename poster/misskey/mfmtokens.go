package misskey

import "strings"

// The tokens Neutralise copies unchanged, measured as mfm.js reads them.

// urlLen returns the length of the URL mfm.js reads at i: "http://" or
// "https://", then URL characters and balanced () or [] groups. Trailing
// dots and commas are not part of it, unless nothing else follows the
// scheme: then mfm.js takes the whole run as text, so it is still one
// token.
func urlLen(rs []rune, i int) int {
	var j int
	switch {
	case hasPrefix(rs[i:], "https://"):
		j = i + len("https://")
	case hasPrefix(rs[i:], "http://"):
		j = i + len("http://")
	default:
		return 0
	}
	start := j
	for {
		k, ok := urlItem(rs, j, 0)
		if !ok {
			break
		}
		j = k
	}
	if j == start {
		return 0
	}
	end := j
	for end > start && (rs[end-1] == '.' || rs[end-1] == ',') {
		end--
	}
	if end == start {
		return j - i
	}
	return end - i
}

func urlItem(rs []rune, j, depth int) (int, bool) {
	if j >= len(rs) {
		return j, false
	}
	if depth < mfmNestLimit {
		for _, pair := range [...][2]rune{{'(', ')'}, {'[', ']'}} {
			if k, ok := group(rs, j, pair, depth, urlItem); ok {
				return k, true
			}
		}
	}
	if isURLChar(rs[j]) {
		return j + 1, true
	}
	return j, false
}

func isURLChar(r rune) bool {
	return isASCIIAlnum(r) || strings.ContainsRune(".,_/:%#@$&?!~=+-", r)
}

// urlAltLen returns the length of "<http(s)://...>" at i: no space or tab
// inside, line breaks allowed.
func urlAltLen(rs []rune, i int) int {
	if at(rs, i) != '<' {
		return 0
	}
	j := i + 1
	switch {
	case hasPrefix(rs[j:], "https://"):
		j += len("https://")
	case hasPrefix(rs[j:], "http://"):
		j += len("http://")
	default:
		return 0
	}
	start := j
	for j < len(rs) && rs[j] != '>' && !isMFMSpace(rs[j]) {
		j++
	}
	if j == start || j == len(rs) || rs[j] != '>' {
		return 0
	}
	return j + 1 - i
}

// hashtagLen returns the length of the hashtag mfm.js reads at i: '#' not
// after an ASCII letter or digit, then tag characters and balanced (),
// [], 「」 or （） groups, not all digits. "#" followed by U+FE0F or U+20E3
// is the keycap emoji.
func hashtagLen(rs []rune, i int, prev rune) int {
	if at(rs, i) != '#' || isASCIIAlnum(prev) {
		return 0
	}
	if next := at(rs, i+1); next == '\ufe0f' || next == '\u20e3' {
		return 0
	}
	j := i + 1
	for {
		k, ok := tagItem(rs, j, 0)
		if !ok {
			break
		}
		j = k
	}
	if j == i+1 || allDigits(rs[i+1:j]) {
		return 0
	}
	return j - i
}

func tagItem(rs []rune, j, depth int) (int, bool) {
	if j >= len(rs) {
		return j, false
	}
	if depth < mfmNestLimit {
		for _, pair := range [...][2]rune{{'(', ')'}, {'[', ']'}, {'「', '」'}, {'（', '）'}} {
			if k, ok := group(rs, j, pair, depth, tagItem); ok {
				return k, true
			}
		}
	}
	if isTagChar(rs[j]) {
		return j + 1, true
	}
	return j, false
}

func isTagChar(r rune) bool {
	return !isMFMSpace(r) && !strings.ContainsRune(".,!?'\"#:/[]【】()「」（）<>\r\n", r)
}

// group matches pair[0], any number of items one level deeper, and
// pair[1].
func group(rs []rune, j int, pair [2]rune, depth int, item func([]rune, int, int) (int, bool)) (int, bool) {
	if rs[j] != pair[0] {
		return j, false
	}
	k := j + 1
	for {
		next, ok := item(rs, k, depth+1)
		if !ok {
			break
		}
		k = next
	}
	if k < len(rs) && rs[k] == pair[1] {
		return k + 1, true
	}
	return j, false
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

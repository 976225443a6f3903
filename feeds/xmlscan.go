package feeds

import "bytes"

// xmlScanner walks markup the way encoding/xml (non-strict, as gofeed uses
// it) tokenises it, without allocating. Where the two could disagree it
// counts more, never less, so the parser never builds more than was counted;
// where the document is malformed the parser stops there anyway.
type xmlScanner struct {
	doc   []byte
	lim   limits
	depth int // elements open
	got   structure
	// text is the direct text so far of the open element at each depth
	// (the last slot is shared by any deeper ones, for unlimited scans).
	text [MaxDepth + 2]int64
}

// scanXML counts the markup of doc. Unterminated markup ends the scan: the
// parser fails there too.
func scanXML(doc []byte, lim limits) (structure, error) {
	s := xmlScanner{doc: doc, lim: lim}
	for i := 0; i < len(doc); {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			return s.got, s.addText(i, len(doc)-i)
		}
		if err := s.addText(i, j); err != nil {
			return s.got, err
		}
		end, err := s.markup(i + j)
		if err != nil || end < 0 {
			return s.got, err
		}
		i = end
	}
	return s.got, nil
}

// markup counts the construct starting with '<' at i and returns the
// offset just after it, or -1 when it is not terminated.
func (s *xmlScanner) markup(i int) (int, error) {
	rest := s.doc[i+1:]
	if len(rest) > 0 && rest[0] == '/' {
		s.depth = max(s.depth-1, 0)
		return after(s.doc, i+2, ">"), nil
	}
	s.got.nodes++
	if s.got.nodes > s.lim.nodes {
		return 0, tooComplex(s.doc, i, "more than %d elements and other markup nodes", s.lim.nodes)
	}
	switch {
	case bytes.HasPrefix(rest, []byte("!--")):
		return after(s.doc, i+4, "-->"), nil
	case bytes.HasPrefix(rest, []byte("![CDATA[")):
		end := after(s.doc, i+9, "]]>")
		if end < 0 {
			return -1, nil
		}
		return end, s.addText(i, end-i-len("<![CDATA[]]>"))
	case bytes.HasPrefix(rest, []byte("?")):
		return after(s.doc, i+2, "?>"), nil
	case bytes.HasPrefix(rest, []byte("!")):
		// encoding/xml takes the byte after "<!" as it is, even a quote or '>'.
		return directiveEnd(s.doc, i+3), nil
	}
	return s.element(i)
}

// element counts the start tag at i and its attributes.
func (s *xmlScanner) element(i int) (int, error) {
	if s.depth+1 > s.lim.depth {
		return 0, tooComplex(s.doc, i, "elements nested deeper than %d", s.lim.depth)
	}
	s.got.depth = max(s.got.depth, s.depth+1)
	attrs, end := startTag(s.doc, i+1)
	if attrs > s.lim.elementAttrs {
		return 0, tooComplex(s.doc, i, "an element with more than %d attributes", s.lim.elementAttrs)
	}
	s.got.attrs += attrs
	if s.got.attrs > s.lim.attrs {
		return 0, tooComplex(s.doc, i, "more than %d attributes", s.lim.attrs)
	}
	if end < 0 {
		return -1, nil
	}
	if s.doc[end-2] != '/' {
		s.depth++
		s.text[min(s.depth, len(s.text)-1)] = 0
	}
	return end, nil
}

// addText counts a text piece of n bytes (a run of text or a CDATA
// section) at off. gofeed joins the pieces of an extension element by
// repeated concatenation, so each piece after the first copies all the text
// so far. The root element is never an extension: the white space between
// the items of an RSS 1.0 or Atom feed is not counted.
func (s *xmlScanner) addText(off, n int) error {
	s.got.text = max(s.got.text, n)
	if n > s.lim.text {
		return tooComplex(s.doc, off, "a text of more than %d bytes", s.lim.text)
	}
	if n <= 0 || s.depth <= 1 {
		return nil
	}
	t := &s.text[min(s.depth, len(s.text)-1)]
	if *t > 0 {
		s.got.joined += *t + int64(n)
	}
	*t += int64(n)
	if s.got.joined > s.lim.joined {
		return tooComplex(s.doc, off, "text split into pieces that take more than %d bytes to join", s.lim.joined)
	}
	return nil
}

// after returns the offset just past the first sep at or after i, or -1.
func after(doc []byte, i int, sep string) int {
	if i > len(doc) {
		return -1
	}
	j := bytes.Index(doc[i:], []byte(sep))
	if j < 0 {
		return -1
	}
	return i + j + len(sep)
}

// startTag reads the tag whose name starts at i up to its '>' (quoted
// values may hold '>'), counting as attributes the runs of name characters
// after the element name outside quotes. An unquoted value, which the
// non-strict parser accepts, counts as one more: that only errs high. It
// returns the offset after '>', or -1 when the tag is unterminated.
func startTag(doc []byte, i int) (attrs, end int) {
	var quote byte
	inWord, pastName := true, false
	for ; i < len(doc); i++ {
		c := doc[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '>':
			return attrs, i + 1
		case c == '"' || c == '\'':
			quote, inWord = c, false
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '=' || c == '/':
			inWord, pastName = false, true
		case !inWord:
			inWord = true
			if pastName {
				attrs++
			}
		}
	}
	return attrs, -1
}

// directiveEnd finds the '>' closing a declaration such as <!DOCTYPE ...>
// from i on, as encoding/xml does: quoted text and comments do not count,
// nested '<' ... '>' pairs do. It returns -1 when unterminated.
func directiveEnd(doc []byte, i int) int {
	var quote byte
	depth := 0
	for ; i < len(doc); i++ {
		c := doc[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			if depth == 0 {
				return i + 1
			}
			depth--
		case c == '<':
			if !bytes.HasPrefix(doc[i+1:], []byte("!--")) {
				depth++
				continue
			}
			end := after(doc, i+4, "-->")
			if end < 0 {
				return -1
			}
			i = end - 1
		}
	}
	return -1
}

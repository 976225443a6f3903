package config

import (
	"strings"
	"unicode/utf8"
)

// opener is where a flow collection ([…] or {…}) starts.
type opener struct {
	ch        byte
	line, col int
}

// flowScan is the state of unclosedOpener between lines, and within one.
type flowScan struct {
	stack       []opener
	quote       byte // ' or " while inside a quoted scalar (it may span lines)
	blockIndent int  // >= 0 inside a | or > block scalar started at this indent
	plain       bool // a plain scalar ended the last line and may continue
	plainParent int  // lines indented deeper than this continue it
	await       bool // the last line ended before its value ("key:", "-")
	awaitParent int  // the indent of that key or entry

	n       int    // line number
	text    string // the line
	indent  int    // contentIndent of the line
	atStart bool   // at the start of a node: a quote or bracket here is syntax
	parent  int    // the indent a plain scalar's next lines must exceed
	content bool   // the line holds more than white space and a comment
}

// unclosedOpener finds a [ or { that is never closed. The YAML parser
// notices only where the collection should have ended, often lines later;
// a person needs the place where it was opened. It reads just enough YAML
// to know where a bracket is syntax: at the start of a value, not inside
// quotes, comments, block scalars or plain text ("a[1]").
func unclosedOpener(lines []string) (opener, bool) {
	s := flowScan{blockIndent: -1}
	for n, line := range lines {
		if o, bad := s.line(line, n+1); bad {
			return o, true
		}
	}
	if len(s.stack) > 0 && s.quote == 0 { // an open quote is the problem then
		return s.stack[len(s.stack)-1], true // the innermost is the one surely missing its closer
	}
	return opener{}, false
}

// line scans one line; it returns an opener closed by the wrong bracket.
func (s *flowScan) line(line string, n int) (opener, bool) {
	s.n, s.text, s.indent = n, line, contentIndent(line)
	blank := strings.TrimSpace(line) == ""
	if s.blockIndent >= 0 {
		if blank || s.indent > s.blockIndent {
			return opener{}, false
		}
		s.blockIndent = -1
	}
	if s.plain && len(s.stack) == 0 && s.quote == 0 {
		if blank || s.indent > s.plainParent { // deeper lines continue the text
			return opener{}, false
		}
		s.plain = false
	}
	s.atStart, s.parent, s.content = true, s.indent-1, false
	if s.await {
		s.parent = s.awaitParent // a value on the line after its key
	}
	for i := 0; i < len(line); i++ {
		if s.quote != 0 {
			i = s.inQuote(line, i)
			continue
		}
		last, o, stop, bad := s.char(i)
		if bad {
			return o, true
		}
		if stop {
			break
		}
		i = last
	}
	if s.content && len(s.stack) == 0 && s.quote == 0 && s.blockIndent < 0 {
		s.await, s.awaitParent = s.atStart, s.parent
	}
	return opener{}, false
}

// char reads the character at i outside quotes. It returns the index of
// the last byte it used, whether the rest of the line is to be skipped,
// and an opener closed by the wrong bracket.
func (s *flowScan) char(i int) (last int, o opener, stop, bad bool) {
	line, c := s.text, s.text[i]
	next := byte(' ')
	if i+1 < len(line) {
		next = line[i+1]
	}
	flow := len(s.stack) > 0
	s.content = s.content || c != ' ' && c != '\t' && c != '#'
	switch {
	case c == ' ' || c == '\t':
	case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
		return i, o, true, false // comment
	case s.atStart && (c == '"' || c == '\''):
		s.quote = c
	case s.atStart && (c == '[' || c == '{'):
		s.stack = append(s.stack, opener{ch: c, line: s.n, col: utf8.RuneCountInString(line[:i]) + 1})
	case flow && (c == ']' || c == '}'):
		top := s.stack[len(s.stack)-1]
		if closer(top.ch) != c {
			return i, top, false, true
		}
		s.stack = s.stack[:len(s.stack)-1]
		s.atStart = false
	case flow && c == ',':
		s.atStart = true
	case c == ':' && (next == ' ' || next == '\t' || (flow && strings.IndexByte(",[]{}", next) >= 0)):
		s.atStart, s.plain, s.parent = true, false, s.indent // what came before was a key
	case s.atStart && !flow && (c == '-' || c == '?') && (next == ' ' || next == '\t'):
		s.parent = i
	case s.atStart && !flow && (c == '|' || c == '>'):
		s.blockIndent = s.indent
		return i, o, true, false
	case s.atStart && (c == '&' || c == '!'): // anchor or tag: a value may follow
		for i+1 < len(line) && line[i+1] != ' ' {
			i++
		}
	default:
		if s.atStart && !flow {
			s.plain, s.plainParent = true, s.parent
		}
		s.atStart = false
	}
	return i, o, false, false
}

// contentIndent is the column (from 0) where a line's node starts, after
// its indentation and any "- " sequence indicators: lines indented deeper
// than it belong to that node.
func contentIndent(line string) int {
	i := 0
	for i < len(line) {
		switch {
		case line[i] == ' ':
			i++
		case line[i] == '-' && (i+1 == len(line) || line[i+1] == ' '):
			i++
		default:
			return i
		}
	}
	return i
}

// inQuote advances through a quoted scalar from line[i] and returns the
// index of the last byte handled.
func (s *flowScan) inQuote(line string, i int) int {
	c := line[i]
	switch {
	case s.quote == '"' && c == '\\':
		return i + 1
	case c == s.quote && s.quote == '\'' && i+1 < len(line) && line[i+1] == '\'':
		return i + 1 // '' is an escaped apostrophe
	case c == s.quote:
		s.quote = 0
	}
	return i
}

func closer(open byte) byte {
	if open == '[' {
		return ']'
	}
	return '}'
}

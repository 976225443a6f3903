package config

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// syntaxError turns a YAML parse error into an *Error that says where the
// problem is and, for the mistakes people make most, how to fix it.
func syntaxError(file string, lines []string, err error) *Error {
	ye, ok := asYAMLError(err)
	if !ok {
		return &Error{File: file, Msg: err.Error()}
	}
	pos := ye.GetToken().Position
	e := &Error{File: file, Line: pos.Line, Col: pos.Column, Msg: ye.GetMessage()}
	switch {
	case explainChar(e, lines):
	case explainOpener(e, lines):
	case explainQuote(e, lines):
	case explainValue(e, lines):
	case explainIndent(e, lines):
	default:
		explainMessage(e)
	}
	return e
}

// lineAt returns line n (from 1) of the file, or "".
func lineAt(lines []string, n int) string {
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// column is the character column (from 1) of byte offset i in line.
func column(line string, i int) int {
	return utf8.RuneCountInString(line[:i]) + 1
}

// explainChar points at a tab in the indentation, or at a character that
// looks like a space or like nothing, on the line of the error.
func explainChar(e *Error, lines []string) bool {
	line := lineAt(lines, e.Line)
	lead := len(line) - len(strings.TrimLeft(line, " \t-"))
	if i := strings.IndexByte(line[:lead], '\t'); i >= 0 {
		e.Col = column(line, i)
		e.Msg = "a tab (<TAB>) in the indentation: YAML indents with spaces only; replace the tab with spaces"
		return true
	}
	// Only where YAML reads structure: an ideographic space inside
	// Japanese text is ordinary typography, not the problem.
	structure := line
	if _, _, at := splitEntry(line); at >= 0 {
		structure = line[:at]
	}
	i := strings.IndexFunc(structure, func(r rune) bool { return r != '\t' && invisible(r) })
	if i < 0 && strings.Contains(e.Msg, "'\t'") {
		i = strings.IndexByte(line, '\t')
	}
	if i < 0 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(line[i:])
	e.Col = column(line, i)
	e.Msg = fmt.Sprintf("%s here looks like a space or like nothing, but YAML does not read it as one: replace it with a plain space or delete it", runeName(r))
	return true
}

// explainOpener reports an unclosed [ or { where it was opened.
func explainOpener(e *Error, lines []string) bool {
	o, ok := unclosedOpener(lines)
	if !ok || o.line > e.Line {
		return false
	}
	e.Line, e.Col = o.line, o.col
	e.Msg = fmt.Sprintf("unclosed %c opened here: close it with %c, or put the whole value in quotes if the %c is part of the text", o.ch, closer(o.ch), o.ch)
	return true
}

// explainQuote reports an unclosed quote where it was opened.
func explainQuote(e *Error, lines []string) bool {
	if !strings.Contains(e.Msg, "could not find end character of") {
		return false
	}
	q := byte('"')
	how := `close it with "`
	if strings.Contains(e.Msg, "single-quoted") {
		q, how = '\'', "close it with ' (an apostrophe inside single quotes is written '')"
	}
	line := lineAt(lines, e.Line)
	if from := byteIndex(line, e.Col); from >= 0 {
		if i := strings.IndexByte(line[from:], q); i >= 0 {
			e.Col = column(line, from+i)
		}
	}
	e.Msg = fmt.Sprintf("unclosed %c opened here: %s", q, how)
	return true
}

// byteIndex is the byte offset of character column col (from 1), or -1.
func byteIndex(line string, col int) int {
	c := 1
	for i := range line {
		if c == col {
			return i
		}
		c++
	}
	return -1
}

// explainValue spots a plain value YAML reads as more than text: one
// holding ": ", or starting with [, {, ` or @.
func explainValue(e *Error, lines []string) bool {
	line := lineAt(lines, e.Line)
	key, value, at := splitEntry(line)
	if at < 0 || value == "" || value[0] == '"' || value[0] == '\'' {
		return false
	}
	quoted := fmt.Sprintf("%s: %s", key, quoteYAML(value))
	switch {
	case strings.Contains(e.Msg, "mapping value is not allowed") && (strings.Contains(value, ": ") || strings.HasSuffix(value, ":")):
		e.Msg = fmt.Sprintf(`the value contains ": ", which YAML reads as the start of a mapping: put the value in quotes, like %s`, quoted)
	case (value[0] == '[' || value[0] == '{') && extraCloser(value) >= 0:
		i := extraCloser(value)
		e.Col = column(line, at+i)
		e.Msg = fmt.Sprintf("one %c too many: remove it", value[i])
		return true
	case value[0] == '[' || value[0] == '{':
		e.Msg = fmt.Sprintf("a value starting with %c is read as a %s, not as text: put the whole value in quotes, like %s", value[0], map[byte]string{'[': "list", '{': "mapping"}[value[0]], quoted)
	case value[0] == '`' || value[0] == '@':
		e.Msg = fmt.Sprintf("a plain value cannot start with %c: put the value in quotes, like %s", value[0], quoted)
	default:
		return false
	}
	e.Col = column(line, at)
	return true
}

// extraCloser returns the index of a ] or } that follows a complete flow
// collection at the start of value, or -1.
func extraCloser(value string) int {
	depth := 0
	var quote byte
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
			if depth == 0 {
				rest := strings.TrimLeft(value[i+1:], " ")
				if rest != "" && (rest[0] == ']' || rest[0] == '}') {
					return len(value) - len(rest)
				}
				return -1
			}
		}
	}
	return -1
}

// explainIndent reports indentation that fits nothing above it, the most
// common cause of the parser's "not allowed in this context".
func explainIndent(e *Error, lines []string) bool {
	line := lineAt(lines, e.Line)
	_, value, at := splitEntry(line)
	if strings.Contains(e.Msg, "mapping value is not allowed") && at >= 0 && value != "" {
		for n := e.Line + 1; n <= len(lines); n++ {
			next := lines[n-1]
			if strings.TrimSpace(next) == "" {
				continue
			}
			if indent(next) > contentIndent(line) {
				e.Line, e.Col = n, indent(next)+1
				e.Msg = fmt.Sprintf("this line is indented deeper than line %d, whose value is already given, so YAML reads it as more of that value: indent it like line %d", n-1, n-1)
				return true
			}
			break
		}
	}
	seen := map[int]bool{}
	for _, l := range lines[:max(0, min(e.Line-1, len(lines)))] {
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(strings.TrimSpace(l), "#") {
			seen[indent(l)], seen[contentIndent(l)] = true, true
		}
	}
	if n := indent(line); e.Line > 1 && !seen[n] && strings.TrimSpace(line) != "" {
		e.Col = n + 1
		e.Msg = fmt.Sprintf("this line is indented by %d, like no line above it: line it up with the keys or \"- \" entries it belongs with", n)
		return true
	}
	return false
}

func indent(line string) int {
	return len(line) - len(strings.TrimLeft(line, " "))
}

// splitEntry splits a "key: value" line (after any "- ") into the key, the
// value without a trailing comment, and the value's byte offset (-1 when
// the line is not such an entry).
func splitEntry(line string) (key, value string, at int) {
	start := contentIndent(line)
	i := strings.Index(line[start:], ": ")
	if i < 0 {
		return "", "", -1
	}
	key = line[start : start+i]
	at = start + i + 2
	for at < len(line) && line[at] == ' ' {
		at++
	}
	value = line[at:]
	if c := strings.Index(value, " #"); c >= 0 {
		value = value[:c]
	}
	return key, strings.TrimRight(value, " "), at
}

func quoteYAML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

var duplicateKey = regexp.MustCompile(`^mapping key "(.*)" already defined at \[(\d+):\d+\]`)

// explainMessage rewords parser messages that speak of the parser's
// internals.
func explainMessage(e *Error) {
	if m := duplicateKey.FindStringSubmatch(e.Msg); m != nil {
		e.Msg = fmt.Sprintf("key %q is given twice (first on line %s): keep one of them", m[1], m[2])
		return
	}
	if strings.Contains(e.Msg, "unknown escape character") {
		e.Msg += `: inside "double quotes" a backslash starts an escape like \n; write \\ for a backslash, or use 'single quotes'`
	}
}

package config

import (
	"errors"
	"fmt"
	"strings"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Error is one problem in a config file, located by line and key.
type Error struct {
	File string
	Line int    // 0 when unknown
	Key  string // e.g. feeds[2].url; "" for syntax errors
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// IsInvalid reports whether err says the configuration itself is wrong
// (as opposed to, say, an unreadable file).
func IsInvalid(err error) bool {
	var es Errors
	var e *Error
	return errors.As(err, &es) || errors.As(err, &e)
}

// yamlError is the part of the YAML library's errors that locates them.
type yamlError interface {
	GetToken() *token.Token
	GetMessage() string
}

// decodeError turns a YAML decoding error into an *Error with its line and,
// when the document parses, the key at that place.
func decodeError(file string, src []byte, err error) *Error {
	var ye yamlError
	if !errors.As(err, &ye) {
		return &Error{File: file, Msg: err.Error()}
	}
	e := &Error{File: file, Msg: ye.GetMessage()}
	if tk := ye.GetToken(); tk != nil && tk.Position != nil {
		e.Line = tk.Position.Line
		if doc, perr := parser.ParseBytes(src, 0); perr == nil {
			e.Key = keyAt(doc, tk.Position)
		}
	}
	return e
}

// keyAt returns the path (feeds[0].interval) of the mapping entry whose key
// or value starts at pos, or "" when there is none.
func keyAt(doc *ast.File, pos *token.Position) string {
	f := &keyFinder{pos: pos}
	for _, d := range doc.Docs {
		ast.Walk(f, d)
	}
	return strings.TrimPrefix(strings.TrimPrefix(f.path, "$"), ".")
}

type keyFinder struct {
	pos  *token.Position
	path string
}

func (f *keyFinder) Visit(n ast.Node) ast.Visitor {
	mv, ok := n.(*ast.MappingValueNode)
	if !ok || f.path != "" {
		return f
	}
	for _, part := range []ast.Node{mv.Key, mv.Value} {
		if part == nil || part.GetToken() == nil || part.GetToken().Position == nil {
			continue
		}
		if p := part.GetToken().Position; p.Line == f.pos.Line && p.Column == f.pos.Column {
			f.path = mv.GetPath()
			return nil
		}
	}
	return f
}

// locator finds the line of a key path in the parsed document.
type locator struct {
	doc *ast.File
}

// line returns the line of key (like "feeds[2].url"), or of its nearest
// present parent when the key itself is absent; 0 when nothing is found.
func (l locator) line(key string) int {
	if l.doc == nil {
		return 0
	}
	for k := key; ; {
		if n := l.node(k); n != nil {
			return n.GetToken().Position.Line
		}
		i := strings.LastIndexAny(k, ".[")
		if i <= 0 {
			return 0
		}
		k = k[:i]
	}
}

func (l locator) node(key string) ast.Node {
	p, err := yaml.PathString("$." + key)
	if err != nil {
		return nil
	}
	n, err := p.FilterFile(l.doc)
	if err != nil || n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return nil
	}
	return n
}

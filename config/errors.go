package config

import (
	"errors"
	"fmt"
	"strings"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Error is one problem in a config file, located by line, column and key.
type Error struct {
	File string
	Line int    // 0 when unknown
	Col  int    // 0 when unknown; counted in characters, from 1
	Key  string // e.g. feeds[2].url; "" for syntax errors
	Msg  string
}

// Error prints file:line:col: key: message, leaving out what is unknown.
// Characters an editor does not show are printed by name (see visible).
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(visible(e.Key) + ": ")
	}
	b.WriteString(visible(e.Msg))
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

// asYAMLError returns the located YAML error inside err, if any.
func asYAMLError(err error) (yamlError, bool) {
	var ye yamlError
	if !errors.As(err, &ye) || ye.GetToken() == nil || ye.GetToken().Position == nil {
		return nil, false
	}
	return ye, true
}

// path is a key path as segments: "feeds", "[0]", "url".
type path []string

func (p path) String() string {
	var b strings.Builder
	for i, s := range p {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// slot is a node in the document with its key path and a way to replace
// it in its parent, so that a bad value can be taken out and the rest of
// the file decoded again.
type slot struct {
	path  path
	node  ast.Node
	isKey bool // node is the key of the mapping entry at path
	set   func(ast.Node)
	drop  func() // removes the whole mapping entry (keys only)
}

// findToken returns the slot of the node whose token is tk (the very token
// a decoding error carries), searching body depth first.
func findToken(body ast.Node, set func(ast.Node), tk *token.Token) (slot, bool) {
	var found slot
	ok := walkSlots(body, nil, set, func(s slot) bool {
		if s.node != nil && s.node.GetToken() == tk {
			found = s
			return true
		}
		return false
	})
	return found, ok
}

// walkSlots calls visit for n and every node below it until visit returns true.
func walkSlots(n ast.Node, p path, set func(ast.Node), visit func(slot) bool) bool {
	if n == nil {
		return false
	}
	if visit(slot{path: p, node: n, set: set}) {
		return true
	}
	switch n := n.(type) {
	case *ast.MappingNode:
		for i, mv := range n.Values {
			drop := func() { n.Values = append(n.Values[:i:i], n.Values[i+1:]...) }
			if walkEntry(mv, p, drop, visit) {
				return true
			}
		}
	case *ast.MappingValueNode:
		empty := func() { set(ast.Mapping(n.GetToken(), false)) }
		return walkEntry(n, p, empty, visit)
	case *ast.SequenceNode:
		for i, v := range n.Values {
			setItem := func(x ast.Node) { n.Values[i] = x }
			if walkSlots(v, append(p[:len(p):len(p)], fmt.Sprintf("[%d]", i)), setItem, visit) {
				return true
			}
		}
	case *ast.AnchorNode:
		return walkSlots(n.Value, p, func(x ast.Node) { n.Value = x }, visit)
	case *ast.TagNode:
		return walkSlots(n.Value, p, func(x ast.Node) { n.Value = x }, visit)
	}
	return false
}

func walkEntry(mv *ast.MappingValueNode, p path, drop func(), visit func(slot) bool) bool {
	kp := append(p[:len(p):len(p)], keyName(mv.Key))
	if mv.Key != nil && visit(slot{path: kp, node: mv.Key, isKey: true, drop: drop}) {
		return true
	}
	return walkSlots(mv.Value, kp, func(x ast.Node) { mv.Value = x }, visit)
}

// keyName is a mapping key as the decoder matches it against yaml tags.
func keyName(k ast.MapKeyNode) string {
	switch k := k.(type) {
	case nil:
		return ""
	case *ast.StringNode:
		return k.Value
	case *ast.MappingKeyNode:
		if k.Value != nil {
			return k.Value.String()
		}
	}
	return k.String()
}

// start is where a node begins as a reader sees it: a block mapping at its
// first key rather than at its first ':'.
func start(n ast.Node) *token.Position {
	switch m := n.(type) {
	case *ast.MappingNode:
		if !m.IsFlowStyle && len(m.Values) > 0 {
			return start(m.Values[0])
		}
	case *ast.MappingValueNode:
		if m.Key != nil && m.Key.GetToken() != nil {
			return m.Key.GetToken().Position
		}
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Position
	}
	return nil
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

// column returns the column where the value of key starts when it is on
// line, else 0: a parent's position says which line, not which column.
func (l locator) column(key string, line int) int {
	if l.doc == nil || key == "" {
		return 0
	}
	n := l.node(key)
	if n == nil || n.Type() == ast.NullType { // "key:" with nothing after it
		return 0
	}
	if p := start(n); p != nil && p.Line == line {
		return p.Column
	}
	return 0
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

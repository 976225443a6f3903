package config

import (
	"fmt"
	"reflect"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// maxProblems bounds how often a damaged file is decoded again: each pass
// takes one bad value out.
const maxProblems = 25

// decoded is the outcome of decoding a config file.
type decoded struct {
	doc  *ast.File
	errs Errors
	// taken holds the keys already reported as wrong, and the keys that
	// typos stand for: value checks at or below them would only repeat a
	// problem in other words.
	taken []string
	// complete is false when decoding stopped early; checking the values
	// then would report the damage as if it were the operator's choice.
	complete bool
	listed   map[string]bool // levels whose known keys were listed once
}

// decodeFile parses src and decodes it into cfg. Unlike a single strict
// decode, which stops at the first problem, it reports every unknown key
// and wrongly typed value: each is taken out of the document and the rest
// decoded again. Syntax errors still stop everything: after one, the
// parser cannot say what the rest of the file means.
func decodeFile(file string, src []byte, lines []string, cfg *Config) decoded {
	f, err := parse(src)
	if err != nil {
		return decoded{errs: Errors{syntaxError(file, lines, err)}}
	}
	d := decoded{doc: f, listed: map[string]bool{}}
	docs := settings(f)
	if len(docs) == 0 {
		d.errs = Errors{{File: file, Msg: "the file has no settings (only comments or blank lines): start from examples/demo.yaml or the example in README.md"}}
		return d
	}
	if len(docs) > 1 {
		d.errs = append(d.errs, secondDocument(file, docs[1]))
	}
	body := docs[0].Body
	set := func(n ast.Node) { body = n; docs[0].Body = n }
	d.complete = d.prune(file, lines, cfg, &body, set)
	if d.complete {
		for _, e := range coercions(file, body, reflect.TypeOf(cfg), nil) {
			d.errs = append(d.errs, e)
			d.taken = append(d.taken, e.Key)
		}
	}
	return d
}

// parse parses YAML; the library can panic on some malformed input.
func parse(src []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot parse YAML: %v", r)
		}
	}()
	return parser.ParseBytes(src, 0)
}

// settings returns the documents that hold anything but comments,
// directives or an explicit null.
func settings(f *ast.File) []*ast.DocumentNode {
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d.Body == nil {
			continue
		}
		switch d.Body.Type() {
		case ast.NullType, ast.CommentType, ast.DirectiveType:
			continue
		}
		docs = append(docs, d)
	}
	return docs
}

func secondDocument(file string, doc *ast.DocumentNode) *Error {
	e := &Error{File: file, Msg: "a second YAML document starts here, and only the first is read: put every setting in one document (remove the --- line)"}
	if tk := doc.Start; tk != nil && tk.Position != nil {
		e.Line = tk.Position.Line
	} else if p := start(doc.Body); p != nil {
		e.Line = p.Line
	}
	return e
}

// prune decodes body into cfg, taking out each value the decoder rejects
// and trying again. It reports false when it had to stop before the
// whole file decoded.
func (d *decoded) prune(file string, lines []string, cfg *Config, body *ast.Node, set func(ast.Node)) bool {
	root := reflect.TypeOf(cfg)
	seen := map[any]bool{}
	for range maxProblems {
		c := Default()
		err := decodeNode(*body, c)
		if err == nil {
			*cfg = *c
			return true
		}
		ye, ok := asYAMLError(err)
		if !ok {
			d.errs = append(d.errs, undecodable(file, err, *body))
			return false
		}
		s, found := findToken(*body, set, ye.GetToken())
		if !found || len(s.path) == 0 || seen[ye.GetToken()] {
			d.errs = append(d.errs, topLevel(file, lines, ye, s, found))
			return false
		}
		seen[ye.GetToken()] = true
		e, meant := decodeMessage(file, err, s, root, d.listed)
		d.errs = append(d.errs, e)
		d.taken = append(d.taken, s.path.String())
		if meant != nil {
			d.taken = append(d.taken, meant.String())
		}
		if s.isKey {
			s.drop()
		} else {
			s.set(ast.Null(s.node.GetToken())) // null keeps the default
		}
	}
	d.errs = append(d.errs, &Error{File: file, Msg: fmt.Sprintf("stopped after %d problems: fix these and check again", maxProblems)})
	return false
}

// decodeNode decodes strictly. The YAML library can panic on some
// malformed tags; that must be a config error, not a crash.
func decodeNode(body ast.Node, cfg *Config) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot decode YAML: %v", r)
		}
	}()
	return yaml.NodeToValue(body, cfg, yaml.Strict())
}

// undecodable reports an error the decoder gives without a place. Those
// come from YAML tags (!x) it cannot handle, so the first tag is named.
func undecodable(file string, err error, body ast.Node) *Error {
	e := &Error{File: file, Msg: err.Error()}
	walkSlots(body, nil, func(ast.Node) {}, func(s slot) bool {
		tn, ok := s.node.(*ast.TagNode)
		if !ok || tn.Start == nil || tn.Start.Position == nil {
			return false
		}
		e.Line, e.Col, e.Key = tn.Start.Position.Line, tn.Start.Position.Column, s.path.String()
		e.Msg = fmt.Sprintf("cannot decode YAML at the tag %s: this file needs no tags; remove it", tn.Start.Value)
		return true
	})
	return e
}

// topLevel reports a problem with the document as a whole, like a file
// that is a list, or one the decoder cannot place in the document.
func topLevel(file string, lines []string, ye yamlError, s slot, found bool) *Error {
	pos := ye.GetToken().Position
	e := &Error{File: file, Line: pos.Line, Col: pos.Column, Msg: ye.GetMessage()}
	if explainChar(e, lines) {
		return e
	}
	if found && len(s.path) == 0 {
		e.Msg = fmt.Sprintf("the file must hold settings as key: value lines (like \"feeds:\"), not %s", describe(s.node))
	}
	return e
}

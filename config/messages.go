package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// decodeMessage explains a decoding error at slot s in words about the
// file rather than about Go types. For a misspelt key it also returns the
// key meant, when there is one.
func decodeMessage(file string, err error, s slot, root reflect.Type, listed map[string]bool) (*Error, path) {
	e := &Error{File: file, Key: s.path.String()}
	if p := start(s.node); p != nil {
		e.Line, e.Col = p.Line, p.Column
	}
	var (
		unknown  *yaml.UnknownFieldError
		kind     *yaml.UnexpectedNodeTypeError
		typ      *yaml.TypeError
		overflow *yaml.OverflowError
		meant    path
	)
	switch {
	case errors.As(err, &unknown):
		e.Msg, meant = unknownKey(s.path, root, listed)
	case errors.As(err, &kind):
		e.Msg = wrongKind(kind.Expected, s, root)
	case errors.As(err, &typ):
		e.Msg = wrongType(typ.DstType, s.node)
	case errors.As(err, &overflow):
		e.Msg = fmt.Sprintf("the number %s is too large here", overflow.SrcNum)
	default:
		ye, _ := asYAMLError(err)
		e.Msg = ye.GetMessage()
	}
	return e, meant
}

// unknownKey says which key was probably meant: a near one at the same
// level, or the same key one level down ("timeout" for fetch.timeout).
// Invisible characters in the key are named first: they are the problem.
// Failing all that, it lists the keys known at that level, once per level.
func unknownKey(p path, root reflect.Type, listed map[string]bool) (string, path) {
	key, parent := p[len(p)-1], p[:len(p)-1]
	msg := `unknown field "` + key + `"`
	clean := strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, key)
	if lead, _ := utf8.DecodeRuneInString(key); invisible(lead) && unicode.IsSpace(lead) {
		return fmt.Sprintf("%s: the line is indented with %s, which YAML does not read as a space: indent with plain spaces", msg, runeName(lead)), nil
	} else if clean != key {
		msg += ": the key holds a character that does not show; delete it"
	}
	t, ok := typeAt(root, parent)
	if !ok {
		return msg, nil
	}
	known := knownKeys(t)
	meant := SuggestKey(clean, known)
	switch {
	case meant != "" && clean != key && normalKey(meant) == normalKey(clean):
		msg += ` to leave "` + meant + `"`
	case meant != "":
		msg += ` (did you mean "` + meant + `"?)`
	case keyBelow(t, clean) != "":
		return fmt.Sprintf("%s here (did you mean %s.%s?)", msg, keyBelow(t, clean), clean), nil
	case len(known) > 0 && clean == key && !listed[parent.String()]:
		listed[parent.String()] = true
		msg += fmt.Sprintf(" (known keys here: %s)", strings.Join(known, ", "))
	}
	if meant == "" {
		return msg, nil
	}
	return msg, append(parent[:len(parent):len(parent)], meant)
}

// keyBelow returns the key of t under which key is known, like "fetch"
// for "timeout", or "feeds[]" for a key of every feed.
func keyBelow(t reflect.Type, key string) string {
	for _, k := range knownKeys(t) {
		ft, ok := typeAt(t, path{k})
		suffix := ""
		if ok && (ft.Kind() == reflect.Slice || ft.Kind() == reflect.Array) {
			ft, suffix = deref(ft.Elem()), "[]"
		}
		if !ok || opaque(ft) {
			continue
		}
		for _, sub := range knownKeys(ft) {
			if normalKey(sub) == normalKey(key) {
				return k + suffix
			}
		}
	}
	return ""
}

// wrongKind explains a list given for a mapping and the other way round.
func wrongKind(expected ast.NodeType, s slot, root reflect.Type) string {
	found := describe(s.node)
	t, _ := typeAt(root, s.path)
	switch expected {
	case ast.SequenceType:
		example := "- …"
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			if keys := knownKeys(t.Elem()); len(keys) > 0 {
				example = "- " + keys[0] + ": …"
			}
		}
		if s.node.Type() == ast.MappingType || s.node.Type() == ast.MappingValueType {
			return fmt.Sprintf("expected a list, found %s: start each entry with \"- \" on its own line, like %q", found, example)
		}
		return fmt.Sprintf("expected a list, found %s: write a list, like [%s], or one %q line per entry", found, quoteYAML(scalarText(s.node)), example)
	case ast.MappingType:
		keys := knownKeys(t)
		like := ""
		if len(keys) > 0 {
			like = fmt.Sprintf(" like %q", keys[0]+": …")
		}
		if s.node.Type() == ast.SequenceType {
			return fmt.Sprintf("expected keys%s, found a list: remove the \"- \" in front of the keys", like)
		}
		return fmt.Sprintf("expected keys%s, found %s", like, found)
	}
	return fmt.Sprintf("expected %s, found %s", strings.ToLower(expected.String()), found)
}

// yamlWords are the YAML 1.1 booleans this YAML 1.2 decoder reads as text.
var yamlWords = map[string]bool{"yes": true, "no": true, "on": true, "off": true, "y": true, "n": true}

// wrongType explains a value of the wrong type for its key.
func wrongType(dst reflect.Type, n ast.Node) string {
	found := describe(n)
	switch deref(dst).Kind() {
	case reflect.Bool:
		msg := "expected true or false, found " + found
		if yamlWords[strings.ToLower(scalarText(n))] {
			msg += " (YAML 1.2 reads yes, no, on and off as text: write true or false)"
		}
		return msg
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "expected a whole number, found " + found
	case reflect.Float32, reflect.Float64:
		return "expected a number, found " + found
	case reflect.String:
		msg := "expected text, found " + found
		if tk := n.GetToken(); tk != nil && (tk.Value == "[" || tk.Value == "{") {
			msg += fmt.Sprintf(": if the %s is part of the text, put the whole value in quotes", tk.Value)
		}
		return msg
	}
	return fmt.Sprintf("expected %s, found %s", deref(dst).Kind(), found)
}

// describe names what a node is, as a person reading the file sees it.
func describe(n ast.Node) string {
	switch n.Type() {
	case ast.SequenceType:
		return "a list"
	case ast.MappingType, ast.MappingValueType:
		return "a mapping (key: value)"
	case ast.NullType:
		return "nothing"
	}
	return `"` + scalarText(n) + `"` // not %q: Error names invisible characters
}

// scalarText is a scalar as written in the file.
func scalarText(n ast.Node) string {
	if s, ok := n.(*ast.StringNode); ok {
		return s.Value
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return n.String()
}

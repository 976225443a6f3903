package config

import (
	"fmt"
	"math"
	"reflect"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// coercions finds unquoted values the decoder would change without a
// word: 1.10 given as text becomes "1.1", 0x10 becomes "16", True becomes
// "true", and 1.5 given for a whole number becomes 1. The file would say
// one thing and the bot do another.
func coercions(file string, n ast.Node, t reflect.Type, p path) Errors {
	t = deref(t)
	if n == nil || t == nil || opaque(t) {
		return nil
	}
	switch n := n.(type) {
	case *ast.AnchorNode:
		return coercions(file, n.Value, t, p)
	case *ast.TagNode:
		return coercions(file, n.Value, t, p)
	case *ast.MappingNode:
		var errs Errors
		for _, mv := range n.Values {
			errs = append(errs, coercions(file, mv, t, p)...)
		}
		return errs
	case *ast.MappingValueNode:
		k := keyName(n.Key)
		ft, ok := typeAt(t, path{k})
		if !ok || k == "<<" {
			return nil
		}
		return coercions(file, n.Value, ft, append(p[:len(p):len(p)], k))
	case *ast.SequenceNode:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return nil
		}
		var errs Errors
		for i, v := range n.Values {
			errs = append(errs, coercions(file, v, t.Elem(), append(p[:len(p):len(p)], fmt.Sprintf("[%d]", i)))...)
		}
		return errs
	}
	if msg := coerced(n, t); msg != "" {
		e := &Error{File: file, Key: p.String(), Msg: msg}
		if pos := start(n); pos != nil {
			e.Line, e.Col = pos.Line, pos.Column
		}
		return Errors{e}
	}
	return nil
}

// coerced says what the decoder would make of scalar n for type t, when
// that differs from what is written.
func coerced(n ast.Node, t reflect.Type) string {
	written := scalarText(n)
	switch t.Kind() {
	case reflect.String:
		var what string
		switch n.Type() {
		case ast.IntegerType, ast.FloatType, ast.InfinityType, ast.NanType:
			what = "a number"
		case ast.BoolType:
			what = "a boolean"
		default:
			return ""
		}
		var got string
		if err := yaml.NodeToValue(n, &got); err != nil || got == written {
			return ""
		}
		return fmt.Sprintf("YAML reads %s as %s, which becomes %q: put it in quotes (%s) to keep it as written", written, what, got, quoteYAML(written))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		f, ok := n.(*ast.FloatNode)
		if ok && f.Value != math.Trunc(f.Value) {
			return fmt.Sprintf("expected a whole number, found %s (it would be cut to %d)", written, int64(f.Value))
		}
	}
	return ""
}

package config

import (
	"encoding"
	"reflect"
	"strings"
	"time"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// SuggestKey returns the key in known nearest to unknown, or "" when none
// is close enough to be a likely typo. Case, '-' against '_' and invisible
// characters do not count as differences. Packages that decode their own
// blocks of the config (posters) call it for their unknown keys.
func SuggestKey(unknown string, known []string) string {
	u := []rune(normalKey(unknown))
	if len(u) == 0 {
		return ""
	}
	limit := 1 // a typo budget that grows with the key: nme→name, intervall→interval
	switch {
	case len(u) > 8:
		limit = 3
	case len(u) > 4:
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, k := range known {
		kr := []rune(normalKey(k))
		if d := distance(u, kr); d < bestDist && d < len(kr) {
			best, bestDist = k, d
		}
	}
	return best
}

func normalKey(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '-' {
			return '_'
		}
		if r == ' ' || invisible(r) {
			return -1
		}
		return r
	}, s)
	return strings.ToLower(s)
}

// distance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost one.
func distance(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// knownKeys lists the keys a struct type accepts, from its yaml tags as
// the decoder reads them (untagged fields by lower-cased name, inline
// structs flattened); nil for anything but a struct.
func knownKeys(t reflect.Type) []string {
	t = deref(t)
	if t == nil || t.Kind() != reflect.Struct || opaque(t) {
		return nil
	}
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, inline, ok := yamlName(f)
		switch {
		case !ok:
		case inline:
			keys = append(keys, knownKeys(f.Type)...)
		default:
			keys = append(keys, name)
		}
	}
	return keys
}

// yamlName is the key of a struct field, following the decoder's rules.
func yamlName(f reflect.StructField) (name string, inline, ok bool) {
	tag := f.Tag.Get("yaml")
	if tag == "" {
		tag = f.Tag.Get("json")
	}
	if tag == "-" || (f.PkgPath != "" && !f.Anonymous) {
		return "", false, false
	}
	opts := strings.Split(tag, ",")
	name = opts[0]
	if name == "" {
		name = strings.ToLower(f.Name)
	}
	for _, o := range opts[1:] {
		inline = inline || o == "inline"
	}
	return name, inline, true
}

// field returns the type of the struct field decoded from key.
func field(t reflect.Type, key string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, inline, ok := yamlName(f)
		if !ok {
			continue
		}
		if inline {
			if ft := deref(f.Type); ft.Kind() == reflect.Struct {
				if got, ok := field(ft, key); ok {
					return got, true
				}
			}
			continue
		}
		if name == key {
			return f.Type, true
		}
	}
	return nil, false
}

// typeAt follows p from root to the type decoded there. It stops (false)
// where decoding is handed to a custom unmarshaler, an interface or an
// AST node: that part of the file belongs to whoever decodes it.
func typeAt(root reflect.Type, p path) (reflect.Type, bool) {
	t := deref(root)
	for _, seg := range p {
		if t == nil || opaque(t) {
			return nil, false
		}
		switch {
		case strings.HasPrefix(seg, "[") && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			t = deref(t.Elem())
		case t.Kind() == reflect.Map:
			t = deref(t.Elem())
		case t.Kind() == reflect.Struct:
			ft, ok := field(t, seg)
			if !ok {
				return nil, false
			}
			t = deref(ft)
		default:
			return nil, false
		}
	}
	if t == nil || opaque(t) {
		return nil, false
	}
	return t, true
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

var (
	unmarshalers = []reflect.Type{
		reflect.TypeFor[yaml.BytesUnmarshaler](),
		reflect.TypeFor[yaml.BytesUnmarshalerContext](),
		reflect.TypeFor[yaml.InterfaceUnmarshaler](),
		reflect.TypeFor[yaml.InterfaceUnmarshalerContext](),
		reflect.TypeFor[yaml.NodeUnmarshaler](),
		reflect.TypeFor[yaml.NodeUnmarshalerContext](),
		reflect.TypeFor[encoding.TextUnmarshaler](),
	}
	astNode  = reflect.TypeFor[ast.Node]()
	timeType = reflect.TypeFor[time.Time]()
	durType  = reflect.TypeFor[time.Duration]()
)

// opaque reports types the decoder does not walk key by key.
func opaque(t reflect.Type) bool {
	if t.Kind() == reflect.Interface || t == astNode || t == timeType || t == durType {
		return true
	}
	pt := reflect.PointerTo(t)
	for _, u := range unmarshalers {
		if pt.Implements(u) {
			return true
		}
	}
	return false
}

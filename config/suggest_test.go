package config

import (
	"reflect"
	"slices"
	"testing"

	"github.com/goccy/go-yaml/ast"
)

func TestSuggestKey(t *testing.T) {
	known := []string{"name", "url", "tags", "filter", "interval", "backfill", "max_age", "timezone", "disabled"}
	tests := []struct{ unknown, want string }{
		{"intervall", "interval"},
		{"intervl", "interval"},
		{"inetrval", "interval"}, // swapped neighbours cost one
		{"nmae", "name"},
		{"uri", "url"},
		{"tag", "tags"},
		{"MaxAge", "max_age"},
		{"max-age", "max_age"},
		{"Time_Zone", "timezone"},
		{"\u200burl", "url"},
		{"backfil", "backfill"},
		{"disable", "disabled"},
		{"colour", ""},
		{"x", ""},
		{"", ""},
		{"frobnicate", ""},
		{"timeout", ""},
	}
	for _, tt := range tests {
		if got := SuggestKey(tt.unknown, known); got != tt.want {
			t.Errorf("SuggestKey(%q) = %q, want %q", tt.unknown, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "ab", 2}, {"name", "name", 0},
		{"nmae", "name", 1}, {"kitten", "sitting", 3}, {"ca", "abc", 3}, {"脆弱性", "脆弱", 1},
	}
	for _, tt := range tests {
		if got := distance([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// Types standing in for config structs that change: keys come from their
// tags, not from a list kept by hand.
type (
	inner struct {
		Depth int    `yaml:"depth"`
		Label string `json:"label"`
	}
	selfDecoding struct{ raw ast.Node }
	outer        struct {
		Inline  inner            `yaml:",inline"`
		Items   []*inner         `yaml:"items"`
		ByName  map[string]inner `yaml:"by_name"`
		Plain   string
		Skipped string `yaml:"-"`
		secret  string
		Block   selfDecoding   `yaml:"block"`
		Node    ast.Node       `yaml:"node"`
		Any     map[string]any `yaml:"any"`
	}
)

func (b *selfDecoding) UnmarshalYAML(n ast.Node) error { b.raw = n; return nil }

func TestKnownKeysFollowTags(t *testing.T) {
	want := []string{"depth", "label", "items", "by_name", "plain", "block", "node", "any"}
	if got := knownKeys(reflect.TypeFor[*outer]()); !slices.Equal(got, want) {
		t.Errorf("knownKeys(outer) = %q, want %q", got, want)
	}
	if got := knownKeys(reflect.TypeFor[selfDecoding]()); got != nil {
		t.Errorf("knownKeys of a self-decoding block = %q, want none", got)
	}
}

func TestTypeAt(t *testing.T) {
	root := reflect.TypeFor[*outer]()
	tests := []struct {
		path path
		want reflect.Type // nil: not walked
	}{
		{path{}, reflect.TypeFor[outer]()},
		{path{"depth"}, reflect.TypeFor[int]()},
		{path{"items", "[3]"}, reflect.TypeFor[inner]()},
		{path{"by_name", "anything"}, reflect.TypeFor[inner]()},
		{path{"by_name", "anything", "label"}, reflect.TypeFor[string]()},
		{path{"block"}, nil},
		{path{"block", "x"}, nil},
		{path{"node"}, nil},
		{path{"any", "k"}, nil},
		{path{"nope"}, nil},
		{path{"items", "depth"}, nil},
	}
	for _, tt := range tests {
		got, ok := typeAt(root, tt.path)
		if ok != (tt.want != nil) || got != tt.want {
			t.Errorf("typeAt(%v) = %v, %v; want %v", tt.path, got, ok, tt.want)
		}
	}
}

func TestUnknownKeyFollowsTheDecodedType(t *testing.T) {
	root := reflect.TypeFor[*outer]()
	tests := []struct {
		path  path
		want  string
		meant string
	}{
		{path{"items", "[0]", "dept"}, `unknown field "dept" (did you mean "depth"?)`, "items[0].depth"},
		{path{"by_name", "k", "lable"}, `unknown field "lable" (did you mean "label"?)`, "by_name.k.label"},
		{path{"zzz"}, `unknown field "zzz" (known keys here: depth, label, items, by_name, plain, block, node, any)`, ""},
		{path{"block", "x"}, `unknown field "x"`, ""},
	}
	for _, tt := range tests {
		got, meant := unknownKey(tt.path, root, map[string]bool{})
		if got != tt.want || meant.String() != tt.meant {
			t.Errorf("unknownKey(%v) = %q, %q; want %q, %q", tt.path, got, meant, tt.want, tt.meant)
		}
	}
}

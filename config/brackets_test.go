package config

import (
	"os"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/ast"
)

func TestUnclosedOpener(t *testing.T) {
	tests := []struct {
		name, src string
		want      opener // zero: none
	}{
		{"closed", "a: [b, {c: d}]\n", opener{}},
		{"unclosed at the end", "a: [b\n\nc: d\n", opener{'[', 1, 4}},
		{"unclosed brace", "feeds:\n  - {name: a\nb: 1\n", opener{'{', 2, 5}},
		{"innermost of two", "a: [b, [c\n", opener{'[', 1, 8}},
		{"wrong closer", "a: {b: [c}\n", opener{'[', 1, 8}},
		{"spans lines", "a: [\n  b,\n  c\n]\nd: [\n", opener{'[', 5, 4}},
		{"after a japanese value", "名前: 脆弱性\nタグ: [a\n", opener{'[', 2, 5}},
		{"in plain text", "a: x[1\nb: y{\n", opener{}},
		{"in quotes", "a: \"[x\"\nb: 'it''s ['\nc: \"\\\"[\"\n", opener{}},
		{"in a comment", "a: b # [x\n# {y\n", opener{}},
		{"in a block scalar", "item: |\n  {{.Title}} [x\n  more {\nb: c\n", opener{}},
		{"in a block scalar of a list entry", "- each: >-\n    [x\n- b\n", opener{}},
		{"after a block scalar", "item: |\n  x\nb: [c\n", opener{'[', 3, 4}},
		{"continued plain text", "a: some\n  [text\nb: c\n", opener{}},
		{"text continued in a list", "- a\n  [b\n", opener{}},
		{"anchor before", "a: &x [b\n", opener{'[', 1, 7}},
		{"list entry", "- [a\n", opener{'[', 1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := unclosedOpener(strings.Split(tt.src, "\n"))
			if ok != (tt.want != opener{}) || got != tt.want {
				t.Errorf("unclosedOpener(%q) = %+v, %v; want %+v", tt.src, got, ok, tt.want)
			}
		})
	}
}

// TestUnclosedOpenerQuietOnRealFiles keeps the scanner from inventing
// brackets in the files we ship.
func TestUnclosedOpenerQuietOnRealFiles(t *testing.T) {
	for _, name := range []string{"../config.yaml", "../examples/demo.yaml"} {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if o, ok := unclosedOpener(strings.Split(string(src), "\n")); ok {
			t.Errorf("%s: opener reported at %+v", name, o)
		}
	}
}

// FuzzUnclosedOpener checks that a file the parser reads as a mapping has
// no unclosed bracket. Mismatched closers are left out: the parser
// tolerates some ("[}]"), which is invalid YAML all the same.
func FuzzUnclosedOpener(f *testing.F) {
	f.Add(good)
	f.Add("a: [b, {c: d}]\ne: |\n  [x\nf: 'it''s [' \ng: \"[\\\"\"\n")
	f.Add("s: a\n  [b\n")
	f.Add("l:\n- a\n- [b,\n  c]\n")
	f.Fuzz(func(t *testing.T, src string) {
		if strings.Contains(src, "]") && strings.Contains(src, "}") || strings.Contains(src, "\r") {
			return
		}
		f, err := parse([]byte(src))
		if err != nil || len(f.Docs) != 1 || f.Docs[0].Body == nil || f.Docs[0].Body.Type() != ast.MappingType {
			return
		}
		o, ok := unclosedOpener(strings.Split(src, "\n"))
		if ok && !(o.ch == '[' && strings.Contains(src, "}")) && !(o.ch == '{' && strings.Contains(src, "]")) {
			t.Fatalf("%q parses, but an unclosed %c is reported at %d:%d", src, o.ch, o.line, o.col)
		}
	})
}

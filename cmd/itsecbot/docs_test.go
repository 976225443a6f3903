package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster"
)

// configKeys walks t's yaml tags: nested structs give a.b, slices of
// structs a[].b; fields tagged "-" are derived, not read.
func configKeys(t reflect.Type, prefix string, keys *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := range t.NumField() {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		ft := t.Field(i).Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if opts == "inline" && ft.Kind() == reflect.Struct {
			configKeys(ft, prefix, keys)
			continue
		}
		if name == "" || name == "-" {
			continue
		}
		switch {
		case ft.Kind() == reflect.Struct:
			configKeys(ft, prefix+name+".", keys)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			configKeys(ft.Elem(), prefix+name+"[].", keys)
		default:
			*keys = append(*keys, prefix+name)
		}
	}
}

// decodeCapture is a poster.Block that records the settings type a
// platform decodes its keys into.
type decodeCapture struct{ t reflect.Type }

func (b *decodeCapture) Decode(v any) bool                         { b.t = reflect.TypeOf(v); return false }
func (b *decodeCapture) Fail(string, string, ...any)               {}
func (b *decodeCapture) Expand(s string) (string, []string)        { return s, nil }
func (b *decodeCapture) Secret(_, _, _, _ string) (string, string) { return "", "" }

// section returns the text under heading, up to the next heading of the
// same or a higher level.
func section(doc, heading string) string {
	_, rest, ok := strings.Cut(doc, "\n"+heading+"\n")
	if !ok {
		return ""
	}
	level := strings.Count(strings.Fields(heading)[0], "#")
	for _, line := range strings.SplitAfter(rest, "\n") {
		if h := strings.Fields(line); len(h) > 0 && strings.Trim(h[0], "#") == "" && len(h[0]) <= level {
			return rest[:strings.Index(rest, line)]
		}
	}
	return rest
}

// TestConfigReferenceIsComplete fails when a key the program reads is
// missing from docs/config.md, or when the reference documents a key the
// program does not read.
func TestConfigReferenceIsComplete(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "config.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	var keys []string
	configKeys(reflect.TypeFor[config.Config](), "", &keys)
	for _, k := range poster.CommonKeys() {
		keys = append(keys, "posters[]."+k)
	}
	known := slices.Clone(keys)
	for _, k := range keys {
		if !strings.Contains(doc, "| `"+k+"` |") {
			t.Errorf("docs/config.md has no row for `%s`", k)
		}
	}
	for name, p := range platforms() {
		var b decodeCapture
		p.Configure(&b, &poster.Common{})
		if b.t == nil {
			t.Errorf("platform %s decodes no settings", name)
			continue
		}
		sec := section(doc, "### `"+name+"`")
		if sec == "" {
			t.Errorf("docs/config.md has no section ### `%s`", name)
			continue
		}
		var pkeys []string
		configKeys(b.t, "", &pkeys)
		for _, k := range pkeys {
			known = append(known, k)
			if !strings.Contains(sec, "| `"+k+"` |") {
				t.Errorf("docs/config.md section %s has no row for `%s`", name, k)
			}
		}
	}
	row := regexp.MustCompile("(?m)^\\| `([^`]+)` \\|")
	for _, m := range row.FindAllStringSubmatch(doc, -1) {
		if !slices.Contains(known, m[1]) {
			t.Errorf("docs/config.md documents `%s`, which the program does not read", m[1])
		}
	}
}

package config

import (
	"fmt"
	"strings"
	"testing"
)

// feed is a valid feeds block, for tests that need one to be otherwise valid.
const feed = "feeds:\n  - name: a\n    url: https://a.example/\n"

// TestProblemsAreExplained runs the mistakes a new operator makes through
// Parse and checks the whole report, line by line.
func TestProblemsAreExplained(t *testing.T) {
	noSettings := "config.yaml: the file has no settings (only comments or blank lines): start from examples/demo.yaml or the example in README.md"
	tests := []struct {
		name, src string
		want      []string
	}{
		// A file without settings is one problem, not one per default it lost.
		{"only a comment", "# only a comment\n", []string{noSettings}},
		{"empty", "", []string{noSettings}},
		{"blank lines", "\n  \n\n", []string{noSettings}},
		{"document marker and comment", "---\n# nothing yet\n", []string{noSettings}},

		// Byte order marks.
		{"bom then typo keeps line numbers", "\ufeff" + feed + "databse: x.db\n",
			[]string{`config.yaml:4:1: databse: unknown field "databse" (did you mean "database"?)`}},
		{"bom mid-file", feed + "\ufeffdatabase: x.db\n",
			[]string{`config.yaml:4:1: <BOM U+FEFF>database: unknown field "<BOM U+FEFF>database": the key holds a character that does not show; delete it to leave "database"`}},

		// Characters that do not show.
		{"tab indenting a list", "database: x.db\nfeeds:\n\t- {name: a, url: https://a.example/}\n",
			[]string{"config.yaml:3:1: a tab (<TAB>) in the indentation: YAML indents with spaces only; replace the tab with spaces"}},
		{"tab after spaces", "feeds:\n  - name: a\n  \t  url: https://a.example/\n",
			[]string{"config.yaml:3:3: a tab (<TAB>) in the indentation: YAML indents with spaces only; replace the tab with spaces"}},
		{"nbsp after colon", "feeds:\n  - name: a\n    url:\u00a0https://a.example/\n",
			[]string{"config.yaml:3:9: <NBSP U+00A0> here looks like a space or like nothing, but YAML does not read it as one: replace it with a plain space or delete it"}},
		{"nbsp in indentation", "feeds:\n  - name: a\n  \u00a0 url: https://a.example/\n",
			[]string{"config.yaml:3:3: <NBSP U+00A0> here looks like a space or like nothing, but YAML does not read it as one: replace it with a plain space or delete it"}},
		{"ideographic space in indentation", "feeds:\n  - name: a\n\u3000\u3000url: https://a.example/\n",
			[]string{ // the parser reads the line as a top-level key, so url is missing too
				"config.yaml:2: feeds[0].url: must not be empty",
				`config.yaml:3:1: <IDEOGRAPHIC SPACE U+3000><IDEOGRAPHIC SPACE U+3000>url: unknown field "<IDEOGRAPHIC SPACE U+3000><IDEOGRAPHIC SPACE U+3000>url": the line is indented with <IDEOGRAPHIC SPACE U+3000>, which YAML does not read as a space: indent with plain spaces`,
			}},
		{"zero width space in a key", "feeds:\n  - name: a\n    \u200burl: https://a.example/\n",
			[]string{`config.yaml:3:5: feeds[0].<ZERO WIDTH SPACE U+200B>url: unknown field "<ZERO WIDTH SPACE U+200B>url": the key holds a character that does not show; delete it to leave "url"`}},
		{"ideographic space inside a value is text", "feeds:\n  - name: 注意喚起\u3000更新\n    url: https://a.example/\nlog: {level: loud}\n",
			[]string{`config.yaml:4:14: log.level: must be debug, info, warn or error, not "loud"`}},

		// Lists and mappings.
		{"mapping where a list is expected", "feeds:\n  name: a\n  url: https://a.example/\n",
			[]string{`config.yaml:2:3: feeds: expected a list, found a mapping (key: value): start each entry with "- " on its own line, like "- name: …"`}},
		{"list where a mapping is expected", feed + "    filter:\n      - include: [x]\n",
			[]string{`config.yaml:5:7: feeds[0].filter: expected keys like "include: …", found a list: remove the "- " in front of the keys`}},
		{"text where a list is expected", feed + "    tags: \"#a\"\n",
			[]string{`config.yaml:4:11: feeds[0].tags: expected a list, found "#a": write a list, like ["#a"], or one "- …" line per entry`}},
		{"text where a feed is expected", "feeds:\n  - https://a.example/\n",
			[]string{`config.yaml:2:5: feeds[0]: expected keys like "name: …", found "https://a.example/"`}},
		{"the file is a list", "- name: a\n  url: https://a.example/\n",
			[]string{`config.yaml:1:1: the file must hold settings as key: value lines (like "feeds:"), not a list`}},

		// yes, no, on and off.
		{"yes for a boolean", feed + "    disabled: yes\n",
			[]string{`config.yaml:4:15: feeds[0].disabled: expected true or false, found "yes" (YAML 1.2 reads yes, no, on and off as text: write true or false)`}},
		{"off for a boolean", feed + "digest: {allow_feed_hashtags: off}\n",
			[]string{`config.yaml:4:31: digest.allow_feed_hashtags: expected true or false, found "off" (YAML 1.2 reads yes, no, on and off as text: write true or false)`}},
		{"no stays the text no", feed + "log: {level: no}\n",
			[]string{`config.yaml:4:14: log.level: must be debug, info, warn or error, not "no"`}},

		// Values YAML reads as more than text.
		{"colon in a value", "feeds:\n  - name: JVN: 更新情報\n    url: https://a.example/\n",
			[]string{`config.yaml:2:11: the value contains ": ", which YAML reads as the start of a mapping: put the value in quotes, like name: "JVN: 更新情報"`}},
		{"value starting with a bracket", "feeds:\n  - name: [JPCERT] 注意喚起\n    url: https://a.example/\n",
			[]string{`config.yaml:2:11: a value starting with [ is read as a list, not as text: put the whole value in quotes, like name: "[JPCERT] 注意喚起"`}},
		{"template without quotes", feed + "digest:\n  templates:\n    item: {{.Title}}\n",
			[]string{`config.yaml:6:11: a value starting with { is read as a mapping, not as text: put the whole value in quotes, like item: "{{.Title}}"`}},
		{"number for text", "feeds:\n  - name: 1.10\n    url: https://a.example/\n",
			[]string{`config.yaml:2:11: feeds[0].name: YAML reads 1.10 as a number, which becomes "1.1": put it in quotes ("1.10") to keep it as written`}},
		{"fraction for a whole number", feed + "backfill: 1.5\n",
			[]string{`config.yaml:4:11: backfill: expected a whole number, found 1.5 (it would be cut to 1)`}},
		{"list for text", feed + "database: [a.db]\n",
			[]string{`config.yaml:4:11: database: expected text, found a list: if the [ is part of the text, put the whole value in quotes`}},

		// Unknown keys.
		{"near key", feed + "intervall: 15m\n",
			[]string{`config.yaml:4:1: intervall: unknown field "intervall" (did you mean "interval"?)`}},
		{"near key in a feed", feed + "    intervall: 1h\n",
			[]string{`config.yaml:4:5: feeds[0].intervall: unknown field "intervall" (did you mean "interval"?)`}},
		{"key one level down", feed + "timeout: 10s\n",
			[]string{`config.yaml:4:1: timeout: unknown field "timeout" here (did you mean fetch.timeout?)`}},
		{"key of every feed", feed + "url: https://b.example/\n",
			[]string{`config.yaml:4:1: url: unknown field "url" here (did you mean feeds[].url?)`}},
		{"far key lists the known ones", feed + "log: {colour: true}\n",
			[]string{`config.yaml:4:7: log.colour: unknown field "colour" (known keys here: level, format)`}},

		// Brackets and quotes are reported where they were opened.
		{"unclosed bracket", feed + "    tags: [\"#a\", \"#b\"\n\nlog:\n  level: info\n",
			[]string{"config.yaml:4:11: unclosed [ opened here: close it with ], or put the whole value in quotes if the [ is part of the text"}},
		{"unclosed brace", "feeds:\n  - {name: a, url: https://a.example/\ndigest: {layout: each}\n",
			[]string{"config.yaml:2:5: unclosed { opened here: close it with }, or put the whole value in quotes if the { is part of the text"}},
		{"wrong closer", feed + "    filter: {include: [a, b}\n",
			[]string{"config.yaml:4:23: unclosed [ opened here: close it with ], or put the whole value in quotes if the [ is part of the text"}},
		{"unclosed double quote", feed + "    tags: [\"#a]\nlog: {level: info}\n",
			[]string{`config.yaml:4:12: unclosed " opened here: close it with "`}},

		// Other syntax.
		{"key given twice", "feeds:\n  - name: a\n    name: b\n",
			[]string{`config.yaml:3:5: key "name" is given twice (first on line 2): keep one of them`}},
		{"backslash in double quotes", feed + "database: \"C:\\db\\itsecbot.db\"\n",
			[]string{`config.yaml:4:15: found unknown escape character 'd': inside "double quotes" a backslash starts an escape like \n; write \\ for a backslash, or use 'single quotes'`}},
		{"one bracket too many", feed + "    tags: [\"#a\"]]\n",
			[]string{"config.yaml:4:17: one ] too many: remove it"}},
		{"line indented under a value", "database: a.db\n  timezone: UTC\n" + feed,
			[]string{"config.yaml:2:3: this line is indented deeper than line 1, whose value is already given, so YAML reads it as more of that value: indent it like line 1"}},
		{"indentation like no line above", "feeds:\n- name: a\n  tags:\n  - \"#a\"\n - \"#b\"\n",
			[]string{`config.yaml:5:2: this line is indented by 1, like no line above it: line it up with the keys or "- " entries it belongs with`}},
		{"tag the decoder cannot handle", feed + "    tags: !!str\n",
			[]string{"config.yaml:4:11: feeds[0].tags: cannot decode YAML at the tag !!str: this file needs no tags; remove it"}},
		{"hex number for text", feed + "database: 0x10\n",
			[]string{`config.yaml:4:11: database: YAML reads 0x10 as a number, which becomes "16": put it in quotes ("0x10") to keep it as written`}},
		{"True for text is reported once", feed + "digest: {layout: True}\n",
			[]string{`config.yaml:4:18: digest.layout: YAML reads True as a boolean, which becomes "true": put it in quotes ("True") to keep it as written`}},
		{"number too large", feed + "    backfill: 99999999999999999999\n",
			[]string{"config.yaml:4:15: feeds[0].backfill: the number 99999999999999999999 is too large here"}},

		// Encodings and documents.
		{"shift_jis", "feeds:\n  - name: \x92\x8d\x88\xd3\n", []string{
			"config.yaml:2:11: byte 0x92 is not UTF-8 text (is the file Shift_JIS or EUC-JP?): save the file as UTF-8"}},
		{"utf-16", "\xff\xfef\x00", []string{"config.yaml:1:1: the file is UTF-16 text: save it as UTF-8"}},
		{"second document", feed + "---\nlog: {level: debug}\n", []string{
			"config.yaml:4: a second YAML document starts here, and only the first is read: put every setting in one document (remove the --- line)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("config.yaml", []byte(tt.src), env(nil), testPlatforms())
			if err == nil {
				t.Fatal("no error")
			}
			if !IsInvalid(err) {
				t.Errorf("IsInvalid(%v) = false", err)
			}
			got := strings.Split(err.Error(), "\n")
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				if got[i] != w && !(strings.HasSuffix(w, ":") && strings.HasPrefix(got[i], w)) {
					t.Errorf("problem %d:\n got %s\nwant %s", i, got[i], w)
				}
			}
		})
	}
}

// TestSeveralProblemsAtOnce: unknown keys and wrong types no longer hide
// each other or the invalid values, and a value taken out is not reported
// a second time by the value checks.
func TestSeveralProblemsAtOnce(t *testing.T) {
	src := `timezone: Mars/Base
intervall: 15m
fetch: {concurrency: many, timeout: 10s}
feeds:
  - nmae: JPCERT
    url: https://a.example/
    disabled: yes
  - name: b
    url: ftp://b.example/
    backfill: [1]
digest: {layout: grid, colour: red, hashtags: [a, b]}
`
	want := []string{
		`config.yaml:1:11: timezone: unknown time zone "Mars/Base"`,
		`config.yaml:2:1: intervall: unknown field "intervall" (did you mean "interval"?)`,
		`config.yaml:3:22: fetch.concurrency: expected a whole number, found "many"`,
		`config.yaml:5:5: feeds[0].nmae: unknown field "nmae" (did you mean "name"?)`,
		`config.yaml:7:15: feeds[0].disabled: expected true or false, found "yes" (YAML 1.2 reads yes, no, on and off as text: write true or false)`,
		`config.yaml:9:10: feeds[1].url: scheme must be http, https or file, not "ftp"`,
		`config.yaml:10:15: feeds[1].backfill: expected a whole number, found a list`,
		`config.yaml:11:18: digest.layout: must be digest or each, not "grid"`,
		`config.yaml:11:24: digest.colour: unknown field "colour" (known keys here: layout, hashtags, max_stories, allow_feed_hashtags, templates)`,
		`config.yaml:11:48: digest.hashtags[0]: "a" is not a hashtag like #itsec_jp (no spaces, # or @ after the first #)`,
		`config.yaml:11:51: digest.hashtags[1]: "b" is not a hashtag like #itsec_jp (no spaces, # or @ after the first #)`,
	}
	_, err := Parse("config.yaml", []byte(src), env(nil), testPlatforms())
	if err == nil {
		t.Fatal("no error")
	}
	got := strings.Split(err.Error(), "\n")
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("problem %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

// TestStopsAfterManyProblems bounds the work on a file that is mostly wrong.
func TestStopsAfterManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(feed)
	for i := range maxProblems + 5 {
		fmt.Fprintf(&b, "unknown_%d: x\n", i)
	}
	_, err := Parse("config.yaml", []byte(b.String()), env(nil), testPlatforms())
	lines := strings.Split(fmt.Sprint(err), "\n")
	if len(lines) != maxProblems+1 || !strings.Contains(lines[0], "stopped after 25 problems") {
		t.Errorf("got %d lines, first %q; want %d problems and a note that it stopped", len(lines), lines[0], maxProblems)
	}
}

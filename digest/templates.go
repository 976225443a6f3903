package digest

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"time"
)

// ItemData is what the Each and Item templates see for one story. Text
// fields are already cleaned: control characters removed and mentions and
// feed hashtags neutralised.
type ItemData struct {
	Number     int       // 1-based position in the digest; 1 in the Each layout
	Source     string    // feed name, or the names joined: "JPCERT/CC / IPA"
	Sources    []string  // every feed that told the story, e.g. ["JPCERT/CC", "IPA"]
	Title      string    // possibly shortened at a grapheme boundary with "…"
	URL        string    // http(s) link, or "" when the story has none
	Identifier string    // e.g. "JVNDB-2024-000001", or ""
	CVEs       []string  // e.g. ["CVE-2024-1234"]
	Severity   string    // 緊急, 重要, 警告, 注意 or ""
	Score      string    // CVSS base score such as "9.8", or ""
	Badge      string    // "[緊急 CVSS 9.8]", "[緊急]", "[CVSS 9.8]", preceded by "[悪用確認]" when exploited, or ""
	Exploited  bool      // known to be exploited (CISA KEV)
	Published  time.Time // in Options.Location; zero when unknown
}

// HeaderData is what the Header template sees for one post of a digest.
type HeaderData struct {
	Slot      time.Time // Options.Slot in Options.Location
	Date      string    // "2026/10/08"
	Weekday   string    // "木"
	Time      string    // "09:00"
	Count     int       // stories in the whole digest
	Part      int       // this post's number, from 1
	Parts     int       // posts in the thread
	Numbering string    // "2/3", or "" when the digest is a single post
}

// TemplateSource holds text/template overrides from config; empty fields
// keep the built-in.
type TemplateSource struct{ Each, Header, Item string }

// Templates are parsed and checked templates for Compose. The zero value
// and nil both mean the built-in defaults.
type Templates struct{ each, header, item *template.Template }

// Built-in layouts. Hashtags are not part of any template: Compose always
// appends them as the last line, so an override cannot lose them.
const (
	defaultEach   = "{{with .Source}}【{{.}}】{{end}}{{with .Badge}}{{.}} {{end}}{{.Title}}{{with .URL}}\n{{.}}{{end}}"
	defaultHeader = "【セキュリティ情報まとめ】{{.Date}}({{.Weekday}}) {{.Time}} 全{{.Count}}件{{with .Numbering}} ({{.}}){{end}}"
	defaultItem   = "{{.Number}}. {{with .Source}}【{{.}}】{{end}}{{with .Badge}}{{.}} {{end}}{{.Title}}{{with .URL}}\n{{.}}{{end}}"
)

var builtin = Templates{
	each:   template.Must(newTemplate("each").Parse(defaultEach)),
	header: template.Must(newTemplate("header").Parse(defaultHeader)),
	item:   template.Must(newTemplate("item").Parse(defaultItem)),
}

var weekdaysJA = [...]string{"日", "月", "火", "水", "木", "金", "土"}

func newTemplate(name string) *template.Template {
	return template.New(name).Option("missingkey=error").Funcs(template.FuncMap{
		"join": strings.Join,
	})
}

// ParseTemplates parses and test-executes overrides on sample stories, so
// `check` can report errors before a run. Each and Item must show the
// title; Header must show the thread numbering (e.g. "2/3") when a digest
// spans several posts.
func ParseTemplates(src TemplateSource) (*Templates, error) {
	t := &Templates{}
	var errs []error
	for _, f := range []struct {
		name, text string
		dst        **template.Template
		check      func(*template.Template) error
	}{
		{"each", src.Each, &t.each, checkItem},
		{"header", src.Header, &t.header, checkHeader},
		{"item", src.Item, &t.item, checkItem},
	} {
		if strings.TrimSpace(f.text) == "" {
			continue
		}
		tpl, err := newTemplate(f.name).Parse(f.text)
		if err == nil {
			err = f.check(tpl)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("check %s template: %w", f.name, err))
			continue
		}
		*f.dst = tpl
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return t, nil
}

// sampleItems are a full and a sparse story, so that a template which only
// works when every field is set fails here rather than during a run.
var sampleItems = [...]ItemData{
	{
		Number: 3, Source: "JVN iPedia", Title: "サンプル製品におけるクロスサイトスクリプティングの脆弱性",
		URL: "https://jvndb.jvn.jp/ja/contents/2026/JVNDB-2026-000001.html", Identifier: "JVNDB-2026-000001",
		CVEs: []string{"CVE-2026-0001"}, Severity: "警告", Score: "6.1", Badge: "[警告 CVSS 6.1]",
		Published: time.Date(2026, 10, 8, 9, 0, 0, 0, tokyo),
	},
	{Number: 1, Title: "Sample advisory without link or score"},
}

func checkItem(tpl *template.Template) error {
	for _, d := range sampleItems {
		out, err := execute(tpl, d)
		if err != nil {
			return err
		}
		if !strings.Contains(out, d.Title) {
			return fmt.Errorf("output %q does not show .Title", out)
		}
	}
	return nil
}

func checkHeader(tpl *template.Template) error {
	d := newHeaderData(time.Date(2026, 10, 8, 9, 0, 0, 0, tokyo), 12)
	d.Part, d.Parts, d.Numbering = 2, 3, "2/3"
	out, err := execute(tpl, d)
	if err != nil {
		return err
	}
	if !strings.Contains(out, "2/3") {
		return fmt.Errorf("output %q does not show the numbering (.Numbering or .Part/.Parts)", out)
	}
	return nil
}

// execute runs tpl and trims the white space around its output.
func execute(tpl *template.Template, data any) (string, error) {
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("execute %s template: %w", tpl.Name(), err)
	}
	return strings.TrimSpace(buf.String()), nil
}

// pick returns the override when there is one, else the built-in.
func (t *Templates) pick() Templates {
	out := builtin
	if t == nil {
		return out
	}
	if t.each != nil {
		out.each = t.each
	}
	if t.header != nil {
		out.header = t.header
	}
	if t.item != nil {
		out.item = t.item
	}
	return out
}

func newHeaderData(slot time.Time, count int) HeaderData {
	return HeaderData{
		Slot:    slot,
		Date:    slot.Format("2006/01/02"),
		Weekday: weekdaysJA[slot.Weekday()],
		Time:    slot.Format("15:04"),
		Count:   count,
		Part:    1,
		Parts:   1,
	}
}

package digest

import (
	"strings"
	"testing"
	"time"
)

func TestParseTemplatesRejects(t *testing.T) {
	tests := []struct {
		name    string
		src     TemplateSource
		wantErr string
	}{
		{"syntax error", TemplateSource{Each: "{{.Title"}, "check each template"},
		{"unknown field", TemplateSource{Item: "{{.Titel}}"}, "can't evaluate field Titel"},
		{"title missing", TemplateSource{Each: "{{.Source}} {{.URL}}"}, "does not show .Title"},
		{"fails on sparse story", TemplateSource{Item: "{{.Title}} {{index .CVEs 0}}"}, "check item template"},
		{"header without numbering", TemplateSource{Header: "まとめ {{.Date}}"}, "does not show the numbering"},
		{"unknown function", TemplateSource{Header: "{{upper .Date}}"}, "check header template"},
		{"all errors reported", TemplateSource{Each: "{{", Item: "{{"}, "check item template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTemplates(tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseTemplates(%+v) = %v, %v; want error containing %q", tt.src, got, err, tt.wantErr)
			}
		})
	}
}

func TestParseTemplatesAccepts(t *testing.T) {
	src := TemplateSource{
		Each:   "{{.Title}}{{with .CVEs}} ({{join . \", \"}}){{end}}",
		Header: "まとめ {{.Part}}/{{.Parts}}",
		Item:   "・{{.Title}}",
	}
	tpl, err := ParseTemplates(src)
	if err != nil {
		t.Fatalf("ParseTemplates: %v", err)
	}
	stories := []Story{{ID: 7, Title: "GROWIにおけるアクセス制限不備の脆弱性", CVEs: []string{"CVE-2026-1", "CVE-2026-2"}}}
	threads, err := Compose(stories, runeRule(500), Options{Layout: Each, Templates: tpl})
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	if got, want := threads[0].Posts[0].Text, "GROWIにおけるアクセス制限不備の脆弱性 (CVE-2026-1, CVE-2026-2)"; got != want {
		t.Errorf("each override: got %q, want %q", got, want)
	}
	threads, err = Compose(stories, runeRule(500), Options{Templates: tpl, Hashtags: []string{"#itsec_jp"}})
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	if got, want := threads[0].Posts[0].Text, "まとめ 1/1\n・GROWIにおけるアクセス制限不備の脆弱性\n#itsec_jp"; got != want {
		t.Errorf("digest override: got %q, want %q", got, want)
	}
}

func TestParseTemplatesEmptyKeepsBuiltin(t *testing.T) {
	tpl, err := ParseTemplates(TemplateSource{Item: "  "})
	if err != nil {
		t.Fatalf("ParseTemplates: %v", err)
	}
	if got := tpl.pick(); got != builtin {
		t.Errorf("pick() = %+v, want the built-in templates", got)
	}
}

func TestHeaderData(t *testing.T) {
	slot := time.Date(2026, 10, 7, 23, 30, 0, 0, time.UTC).In(tokyo)
	d := newHeaderData(slot, 5)
	if d.Date != "2026/10/08" || d.Weekday != "木" || d.Time != "08:30" || d.Count != 5 {
		t.Errorf("newHeaderData = %+v, want 2026/10/08 木 08:30 count 5", d)
	}
}

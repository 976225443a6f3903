package web

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/store"
)

//go:embed status.html
var statusHTML string

//go:embed style.css
var styleCSS string

// page is the status page's template and its Content-Security-Policy,
// which allows only the page's own inline style: no script, no other
// origin.
type page struct {
	tmpl *template.Template
	csp  string
}

func newPage() *page {
	sum := sha256.Sum256([]byte(styleCSS))
	return &page{
		tmpl: template.Must(template.New("status").Funcs(template.FuncMap{
			"excerpt": excerpt,
			"part":    func(seq int) int { return seq + 1 },
			"minus":   func(a, b int) int { return a - b },
			"first": func(n int, xs []string) []string {
				return xs[:min(n, len(xs))]
			},
		}).Parse(statusHTML)),
		csp: "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
			"img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	}
}

// view is what the template gets: the data, the style, and the clock and
// zone its times are shown in.
type view struct {
	statusData
	Style template.CSS
	loc   *time.Location
}

// When formats t in the page's zone; "—" for never.
func (v view) When(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(v.loc).Format("01/02 15:04")
}

// Ago says how long before the page t was.
func (v view) Ago(t time.Time) string { return ago(v.Generated, t) }

// Next says when a queued post is tried again.
func (v view) Next(p store.Post) string {
	switch {
	case p.State == store.PostFailed:
		return "断念（itsecbot retry " + fmt.Sprint(p.ID) + " で再送）"
	case p.NextAttempt.IsZero() || !p.NextAttempt.After(v.Generated):
		return "次のサイクル"
	default:
		return v.When(p.NextAttempt) + "（" + ago(v.Generated, p.NextAttempt) + "）"
	}
}

func (p *page) render(w http.ResponseWriter, code int, d statusData, loc *time.Location) {
	var b bytes.Buffer
	if err := p.tmpl.Execute(&b, view{statusData: d, Style: template.CSS(styleCSS), loc: loc}); err != nil {
		http.Error(w, "render the status page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", p.csp)
	w.WriteHeader(code)
	w.Write(b.Bytes()) //nolint:errcheck // the client went away
}

// ago is t relative to now, in Japanese: "3分前", "2時間後".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	suffix := "前"
	if d < 0 {
		d, suffix = -d, "後"
	}
	if d < time.Minute {
		if suffix == "前" {
			return "たった今"
		}
		return "まもなく"
	}
	return jaDuration(d) + suffix
}

// jaDuration rounds d down to its largest unit, in Japanese.
func jaDuration(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d分", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d時間", int(d/time.Hour))
	default:
		return fmt.Sprintf("%d日", int(d/(24*time.Hour)))
	}
}

// excerpt is the start of text on one line, at most n characters.
func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return string(r[:n-1]) + "…"
}

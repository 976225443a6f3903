package web

import (
	"encoding/xml"
	"html"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Atom (RFC 4287) documents.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator atomGen     `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel   string `xml:"rel,attr"`
	Type  string `xml:"type,attr,omitempty"`
	Href  string `xml:"href,attr"`
	Title string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomGen struct {
	URI     string `xml:"uri,attr"`
	Version string `xml:"version,attr,omitempty"`
	Name    string `xml:",chardata"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
}

func (s *Server) atom(w http.ResponseWriter, r *http.Request) {
	s.serveFeed(w, r, "application/atom+xml; charset=utf-8", func(b *strings.Builder, entries []entry, root string) error {
		f := atomFeed{
			Lang: "ja", Title: feedTitle, Subtitle: feedDescription, ID: root + "feed.atom",
			Updated: rfc3339(feedUpdated(entries, s.now())),
			Links: []atomLink{
				{Rel: "self", Type: "application/atom+xml", Href: root + "feed.atom"},
				{Rel: "alternate", Type: "text/html", Href: root},
			},
			Author:    atomPerson{Name: "itsecbot"},
			Generator: atomGen{URI: "https://github.com/itsecbot/itsecbot", Version: s.version, Name: "itsecbot"},
		}
		for _, e := range entries {
			f.Entries = append(f.Entries, atomEntryOf(e))
		}
		b.WriteString(xml.Header)
		enc := xml.NewEncoder(b)
		enc.Indent("", " ")
		return enc.Encode(f)
	})
}

func atomEntryOf(e entry) atomEntry {
	a := atomEntry{
		Title: e.Title, ID: e.ID, Published: rfc3339(e.Published), Updated: rfc3339(e.Updated),
		Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: e.Link}},
		Summary: atomText{Type: "text", Body: e.summary()},
		Content: atomText{Type: "html", Body: contentHTML(e)},
	}
	var feeds []string
	for _, src := range e.Sources {
		if src.Link != e.Link {
			a.Links = append(a.Links, atomLink{Rel: "related", Type: "text/html", Href: src.Link, Title: src.Feed})
		}
		if !slices.Contains(feeds, src.Feed) {
			feeds = append(feeds, src.Feed)
			a.Authors = append(a.Authors, atomPerson{Name: src.Feed})
		}
	}
	for _, c := range e.categories() {
		a.Categories = append(a.Categories, atomCategory{Term: c})
	}
	return a
}

// contentHTML is the entry as HTML: the summary line, then each source's
// item with its link.
func contentHTML(e entry) string {
	var b strings.Builder
	b.WriteString("<p>" + html.EscapeString(e.summary()) + "</p><ul>")
	for _, src := range e.Sources {
		b.WriteString(`<li>` + html.EscapeString(src.Feed) + `: <a href="` + html.EscapeString(src.Link) + `">` +
			html.EscapeString(src.Title) + `</a></li>`)
	}
	b.WriteString("</ul>")
	return b.String()
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

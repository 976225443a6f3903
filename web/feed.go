package web

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/selection"
	"github.com/itsecbot/itsecbot/store"
)

// feedStories bounds the curated feeds.
const feedStories = 50

// The feeds' title and description.
const (
	feedTitle       = "itsecbot: 注目のセキュリティ情報"
	feedDescription = "JPCERT/CC、IPA、JVN、ベンダーなどのフィードから itsecbot が選んだセキュリティ情報。複数の情報源が伝える話題は1件にまとめています。"
)

// entry is one story of the curated feeds.
type entry struct {
	ID        string // stable across runs: from the story's first accepted item
	Title     string
	Link      string
	Published time.Time // its earliest publication
	Updated   time.Time // when its last source joined (first seen)
	Sources   []source
	Severity  string  // CVSS severity word of its worst item, "" when none
	CVSS      float64 // that item's score, 0 when none
	CVEs      []string
	KEV       []string // those CVEs in CISA's KEV catalog
	Tags      []string // the hashtags of its feeds
	Score     float64
}

// source is one feed's item telling the story.
type source struct {
	Feed, Title, Link string
}

// curated reads the stories the filter accepted, newest first, as the
// selection groups and rates them.
func (s *Server) curated(ctx context.Context) ([]entry, error) {
	st, err := s.db.get(ctx)
	if err != nil {
		return nil, err
	}
	c := &pipeline.Cycle{Config: s.cfg, Store: st, Now: s.now}
	stories, err := c.Curated(ctx, feedStories)
	if err != nil {
		return nil, err
	}
	tags := map[string][]string{}
	for _, f := range s.cfg.Feeds {
		tags[f.Name] = f.Tags
	}
	out := make([]entry, len(stories))
	for i, st := range stories {
		out[i] = toEntry(st, tags)
	}
	return out, nil
}

func toEntry(s *selection.Story, tags map[string][]string) entry {
	e := entry{
		ID: storyID(s.Items[0]), Title: s.Best.Title, Link: s.Best.Link, Published: s.Published(),
		CVEs: s.CVEs, KEV: s.KEV, Score: s.Score.Total,
	}
	for _, it := range bestFirst(s) {
		e.Sources = append(e.Sources, source{Feed: it.Feed, Title: it.Title, Link: it.Link})
		if it.FirstSeen.After(e.Updated) {
			e.Updated = it.FirstSeen
		}
		switch { // the worst score, else the first severity word
		case it.CVSSScore > e.CVSS:
			e.CVSS, e.Severity = it.CVSSScore, it.CVSSSeverity
		case e.CVSS == 0 && e.Severity == "":
			e.Severity = it.CVSSSeverity
		}
	}
	if e.Published.After(e.Updated) {
		e.Updated = e.Published
	}
	for _, src := range s.Sources {
		for _, t := range tags[src] {
			if !slices.Contains(e.Tags, t) {
				e.Tags = append(e.Tags, t)
			}
		}
	}
	return e
}

// storyID names a story by its first accepted item, by feed and key: the
// same in every run and every database that stored that item, whatever
// sources join later. It is a name-based UUID (version 5 layout, SHA-256).
func storyID(first store.Item) string {
	sum := sha256.Sum256([]byte("itsecbot story\x00" + first.Feed + "\x00" + first.Key))
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

// bestFirst lists the story's items: the one whose link it shows first,
// then by source in the story's order (weight, then who told it first).
func bestFirst(s *selection.Story) []store.Item {
	out := []store.Item{s.Best}
	for _, src := range s.Sources {
		for _, it := range s.Items {
			if it.Feed == src && it.ID != s.Best.ID {
				out = append(out, it)
			}
		}
	}
	return out
}

// summary is an entry in one line of text: its sources, severity, CVEs
// and whether it is known to be exploited.
func (e entry) summary() string {
	var feeds []string
	for _, src := range e.Sources {
		if !slices.Contains(feeds, src.Feed) {
			feeds = append(feeds, src.Feed)
		}
	}
	parts := []string{"情報源: " + strings.Join(feeds, " / ")}
	if sev := e.severityText(); sev != "" {
		parts = append(parts, "深刻度: "+sev)
	}
	if len(e.CVEs) > 0 {
		parts = append(parts, strings.Join(e.CVEs, ", "))
	}
	if len(e.KEV) > 0 {
		parts = append(parts, "悪用確認（CISA KEV: "+strings.Join(e.KEV, ", ")+"）")
	}
	return strings.Join(parts, " ・ ")
}

func (e entry) severityText() string {
	switch {
	case e.CVSS > 0 && e.Severity != "":
		return fmt.Sprintf("%s (CVSS %.1f)", e.Severity, e.CVSS)
	case e.CVSS > 0:
		return fmt.Sprintf("CVSS %.1f", e.CVSS)
	}
	return e.Severity
}

// categories are the entry's tags for feed readers: severity, CVEs, KEV
// and its feeds' hashtags.
func (e entry) categories() []string {
	var out []string
	if e.Severity != "" {
		out = append(out, "severity:"+strings.ToLower(e.Severity))
	}
	out = append(out, e.CVEs...)
	if len(e.KEV) > 0 {
		out = append(out, "kev")
	}
	return append(out, e.Tags...)
}

// base is the address the client reached this server at, for the feeds'
// own links; a proxy in front says https with X-Forwarded-Proto.
func base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/"
}

// feedUpdated is when the feed last changed: its newest entry's update.
func feedUpdated(entries []entry, now time.Time) time.Time {
	var t time.Time
	for _, e := range entries {
		if e.Updated.After(t) {
			t = e.Updated
		}
	}
	if t.IsZero() {
		return now
	}
	return t
}

// serveFeed reads the stories and writes them with write; a database that
// cannot be read is 503.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, contentType string, write func(*strings.Builder, []entry, string) error) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	entries, err := s.curated(ctx)
	if err != nil {
		s.log.Warn("feed: cannot read the database", "error", err.Error())
		http.Error(w, "503 the database cannot be read: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	var b strings.Builder
	if err := write(&b, entries, base(r)); err != nil {
		http.Error(w, "500 "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "max-age=300")
	io.WriteString(w, b.String()) //nolint:errcheck // the client went away
}

package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// JSON Feed 1.1 (https://jsonfeed.org/version/1.1) documents.
type jsonFeedDoc struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description"`
	Language    string         `json:"language"`
	Authors     []jsonAuthor   `json:"authors"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonFeedItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentText   string       `json:"content_text"`
	ContentHTML   string       `json:"content_html"`
	Summary       string       `json:"summary"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors"`
	Tags          []string     `json:"tags,omitempty"`
	Story         jsonStory    `json:"_itsecbot"`
}

// jsonStory is the feed's extension (JSON Feed allows keys starting with
// an underscore): the story's parts as data.
type jsonStory struct {
	Sources   []jsonSource `json:"sources"`
	Severity  string       `json:"severity,omitempty"`
	CVSSScore float64      `json:"cvss_score,omitempty"`
	CVEs      []string     `json:"cves"`
	KEV       []string     `json:"kev"`
	Hashtags  []string     `json:"hashtags"`
	Score     float64      `json:"score"`
}

type jsonSource struct {
	Feed  string `json:"feed"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

func (s *Server) jsonFeed(w http.ResponseWriter, r *http.Request) {
	s.serveFeed(w, r, "application/feed+json; charset=utf-8", func(b *strings.Builder, entries []entry, root string) error {
		f := jsonFeedDoc{
			Version: "https://jsonfeed.org/version/1.1", Title: feedTitle, HomePageURL: root, FeedURL: root + "feed.json",
			Description: feedDescription, Language: "ja", Authors: []jsonAuthor{{Name: "itsecbot"}}, Items: []jsonFeedItem{},
		}
		for _, e := range entries {
			f.Items = append(f.Items, jsonItemOf(e))
		}
		enc := json.NewEncoder(b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		return enc.Encode(f)
	})
}

func jsonItemOf(e entry) jsonFeedItem {
	it := jsonFeedItem{
		ID: e.ID, URL: e.Link, Title: e.Title, ContentText: e.summary(), ContentHTML: contentHTML(e), Summary: e.summary(),
		DatePublished: rfc3339(e.Published), DateModified: rfc3339(e.Updated), Tags: e.categories(),
		Story: jsonStory{Severity: e.Severity, CVSSScore: e.CVSS, CVEs: nonNil(e.CVEs), KEV: nonNil(e.KEV),
			Hashtags: nonNil(e.Tags), Score: e.Score},
	}
	for _, src := range e.Sources {
		it.Story.Sources = append(it.Story.Sources, jsonSource{Feed: src.Feed, Title: src.Title, URL: src.Link})
		if !slices.Contains(authorNames(it.Authors), src.Feed) {
			it.Authors = append(it.Authors, jsonAuthor{Name: src.Feed})
		}
	}
	return it
}

func authorNames(as []jsonAuthor) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Name
	}
	return out
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

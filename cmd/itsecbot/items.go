package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rivo/uniseg"

	"github.com/itsecbot/itsecbot/refs"
	"github.com/itsecbot/itsecbot/store"
)

// itemJSON is the stable shape of `items -json`, one object per line.
type itemJSON struct {
	Feed         string            `json:"feed"`
	Title        string            `json:"title"`
	Link         string            `json:"link"`
	Published    string            `json:"published"`
	FirstSeen    string            `json:"first_seen"`
	Key          string            `json:"key"`
	Accepted     bool              `json:"accepted"`
	State        string            `json:"state"`
	Reason       string            `json:"reason"`
	Posted       []string          `json:"posted"`
	NotPosted    map[string]string `json:"not_posted,omitempty"`
	Queued       map[string]string `json:"queued,omitempty"`  // poster -> why its post waits
	Waiting      map[string]string `json:"waiting,omitempty"` // poster -> not in a post yet: why`
	Identifier   string            `json:"identifier,omitempty"`
	CVEs         []string          `json:"cves,omitempty"`
	CVSSScore    float64           `json:"cvss_score,omitempty"`
	CVSSSeverity string            `json:"cvss_severity,omitempty"`
	Score        float64           `json:"score"`   // as it stood alone when stored; `explain` shows the story's
	Story        int64             `json:"story"`   // the story it belongs to (the id of its first item)
	Sources      []string          `json:"sources"` // feeds whose accepted items tell the story
}

func runItems(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("items", stderr)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	limit := fs.Int("limit", 0, "show at most this many items (0: all)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, st, err := openForReading(ctx, *path)
	if err != nil {
		return err
	}
	defer st.Close()
	items, err := st.Items(ctx, *limit)
	if err != nil {
		return err
	}
	posters, err := st.Posters(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeItemsJSON(stdout, items, posters)
	}
	return writeItemsTable(stdout, items, posters, cfg.Location)
}

// waiting says, per poster, why an accepted story is in no post yet: it
// waits for a digest, ranked with the others, or its poster joined later.
func waiting(it store.Item, posters map[string]time.Time) map[string]string {
	if it.State != store.Accepted {
		return nil
	}
	out := map[string]string{}
	for name, since := range posters {
		_, queued := it.Queued[name]
		_, skipped := it.NotPostedBy[name]
		if queued || skipped || slices.Contains(it.PostedTo, name) || it.FirstSeen.Before(since) {
			continue
		}
		out[name] = "waiting for a digest of " + name + ": ranked with the other waiting stories, under the cap until its feed's max_age ('itsecbot explain' shows its score)"
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// queuedReasons says, per poster, why a story is accepted but not posted
// yet: "queued for mastodon: waiting since 2026-11-22 09:00: HTTP 401 ...".
func queuedReasons(it store.Item, loc *time.Location) map[string]string {
	if len(it.Queued) == 0 {
		return nil
	}
	out := make(map[string]string, len(it.Queued))
	for name, q := range it.Queued {
		r := fmt.Sprintf("queued for %s: waiting since %s", name, q.Since.In(loc).Format("2006-01-02 15:04"))
		if q.Error != "" {
			r += ": " + q.Error
		}
		out[name] = r
	}
	return out
}

func writeItemsJSON(w io.Writer, items []store.Item, posters map[string]time.Time) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		err := enc.Encode(itemJSON{
			Feed: it.Feed, Title: it.Title, Link: it.Link,
			Published: it.Published.Format(time.RFC3339), FirstSeen: it.FirstSeen.Format(time.RFC3339),
			Key: it.Key, Accepted: it.State == store.Accepted, State: it.State, Reason: it.Reason,
			Posted: it.PostedTo, NotPosted: it.NotPostedBy, Queued: queuedReasons(it, time.UTC), Waiting: waiting(it, posters), Identifier: it.Identifier, CVEs: refs.CVEs(append([]string{it.Title, it.Summary}, it.CVEs...)...),
			CVSSScore: it.CVSSScore, CVSSSeverity: it.CVSSSeverity, Score: it.Score, Story: it.StoryID, Sources: it.Sources,
		})
		if err != nil {
			return fmt.Errorf("write items: %w", err)
		}
	}
	return nil
}

func writeItemsTable(w io.Writer, items []store.Item, posters map[string]time.Time, loc *time.Location) error {
	var t table
	t.add("PUBLISHED", "FEED", "STATE", "POSTED", "TITLE", "REASON")
	for _, it := range items {
		posted := strings.Join(it.PostedTo, ",")
		if posted == "" {
			posted = "-"
		}
		reason := it.Reason
		if q := queuedReasons(it, loc); len(q) > 0 {
			reason = strings.Join(slices.Sorted(maps.Values(q)), "; ")
		} else if w := waiting(it, posters); len(w) > 0 {
			reason = strings.Join(slices.Sorted(maps.Keys(w)), ", ") + ": waiting for a digest"
		}
		t.add(it.Published.In(loc).Format("2006-01-02 15:04"), it.Feed, it.State, posted, truncate(it.Title, 56), reason)
	}
	return t.write(w)
}

// truncate shortens s to at most width display cells, at a grapheme
// boundary, for table display.
func truncate(s string, width int) string {
	if uniseg.StringWidth(s) <= width {
		return s
	}
	var b strings.Builder
	used := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		if used+g.Width() > width-1 {
			break
		}
		used += g.Width()
		b.WriteString(g.Str())
	}
	return b.String() + "…"
}

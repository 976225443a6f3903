package bluesky_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/store"
)

var urlInText = regexp.MustCompile(`https?://\S+`)

// checkFacets slices each stored text by its facets' byte offsets: the PDS
// does not check them, so a wrong offset would be stored and shown wrong.
// Every URL must be a link and every #itsec_jp a tag.
func checkFacets(t *testing.T, recs []storedRecord) {
	t.Helper()
	for _, r := range recs {
		text := r.Value.Text
		links := map[int]bool{}
		tags := 0
		for _, f := range r.Value.Facets {
			start, end := f.Index.ByteStart, f.Index.ByteEnd
			if len(f.Features) != 1 || start < 0 || end <= start || end > len(text) {
				t.Errorf("%s: facet [%d,%d) with %d features on a %d-byte text", r.URI, start, end, len(f.Features), len(text))
				continue
			}
			got, ft := text[start:end], f.Features[0]
			switch ft.Type {
			case "app.bsky.richtext.facet#link":
				links[start] = true
				if got != ft.URI {
					t.Errorf("%s: link facet for %q points at %q", r.URI, ft.URI, got)
				}
			case "app.bsky.richtext.facet#tag":
				tags++
				if got != "#"+ft.Tag {
					t.Errorf("%s: tag facet for %q points at %q", r.URI, ft.Tag, got)
				}
			default:
				t.Errorf("%s: facet type %q", r.URI, ft.Type)
			}
		}
		for _, m := range urlInText.FindAllStringIndex(text, -1) {
			if !links[m[0]] {
				t.Errorf("%s: the URL %q has no link facet", r.URI, text[m[0]:m[1]])
			}
		}
		if want := strings.Count(text, "#itsec_jp"); want == 0 || tags < want {
			t.Errorf("%s: %d tag facets for %d #itsec_jp in %q", r.URI, tags, want, text)
		}
		if !slices.Equal(r.Value.Langs, []string{"ja"}) || !strings.HasSuffix(r.Value.CreatedAt, "Z") {
			t.Errorf("%s: langs %q, createdAt %q", r.URI, r.Value.Langs, r.Value.CreatedAt)
		}
	}
}

// checkThreads requires every reply to answer an earlier post of the
// account, and to name its thread's first post as root.
func checkThreads(t *testing.T, recs []storedRecord) {
	t.Helper()
	seen := map[string]storedRecord{}
	threads := 0
	for _, r := range recs {
		reply := r.Value.Reply
		if reply == nil {
			threads++
			seen[r.URI] = r
			continue
		}
		parent, ok := seen[reply.Parent.URI]
		wantRoot := reply.Parent.URI
		if ok && parent.Value.Reply != nil {
			wantRoot = parent.Value.Reply.Root.URI
		}
		if !ok || parent.CID != reply.Parent.CID || reply.Root.URI != wantRoot {
			t.Errorf("%s: reply to %+v with root %+v; want an earlier post and root %s", r.URI, reply.Parent, reply.Root, wantRoot)
		}
		seen[r.URI] = r
	}
	if threads != 3 || len(recs) < 6 {
		t.Errorf("%d threads in %d records, want 3 threads (one a run) of several posts", threads, len(recs))
	}
}

// checkStoriesOnce requires each story the bot marked posted to be a link
// of exactly one record.
func checkStoriesOnce(t *testing.T, st *store.Store, recs []storedRecord) {
	t.Helper()
	links := map[string]int{}
	for _, r := range recs {
		for _, f := range r.Value.Facets {
			if f.Features[0].Type == "app.bsky.richtext.facet#link" {
				links[f.Features[0].URI]++
			}
		}
	}
	items, err := st.Items(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	posted := 0
	for _, it := range items {
		if !slices.Contains(it.PostedTo, "bluesky") {
			continue
		}
		posted++
		if links[it.Link] != 1 {
			t.Errorf("story %q (%s) is a link of %d records, want 1", it.Title, it.Link, links[it.Link])
		}
	}
	if posted != 24 {
		t.Errorf("%d stories posted in three runs of 8, want 24", posted)
	}
}

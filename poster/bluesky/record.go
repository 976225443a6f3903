package bluesky

import (
	"fmt"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/textlen"
)

// From the app.bsky.feed.post lexicon.
const (
	postCollection = "app.bsky.feed.post"
	maxTextBytes   = 3000 // text maxLength, counted in UTF-8 bytes
	maxLangs       = 3
)

// record is an app.bsky.feed.post record as sent and as read back.
type record struct {
	Type      string    `json:"$type"`
	Text      string    `json:"text"`
	CreatedAt string    `json:"createdAt"`
	Langs     []string  `json:"langs,omitempty"`
	Facets    []facet   `json:"facets,omitempty"`
	Reply     *replyRef `json:"reply,omitempty"`
}

// facet is an app.bsky.richtext.facet: a byte range of the text and what
// it is.
type facet struct {
	Index    byteSlice `json:"index"`
	Features []feature `json:"features"`
}

type byteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

// feature is a link (URI) or a hashtag (Tag, without '#').
type feature struct {
	Type string `json:"$type"`
	URI  string `json:"uri,omitempty"`
	Tag  string `json:"tag,omitempty"`
}

const (
	featureLink = "app.bsky.richtext.facet#link"
	featureTag  = "app.bsky.richtext.facet#tag"
)

// replyRef holds the strong references of a reply: the thread's first post
// and the post answered.
type replyRef struct {
	Root   ref `json:"root"`
	Parent ref `json:"parent"`
}

// ref is a com.atproto.repo.strongRef.
type ref struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// createdAtLayout is ISO 8601 in UTC with milliseconds, as Bluesky's own
// clients write it.
const createdAtLayout = "2006-01-02T15:04:05.000Z"

// newRecord builds a post of text: Bluesky links nothing by itself, so
// every URL and hashtag gets its facet at UTF-8 byte offsets.
func newRecord(text string, langs []string, now time.Time) record {
	r := record{Type: postCollection, Text: text, CreatedAt: now.UTC().Format(createdAtLayout), Langs: langs}
	for _, f := range textlen.BlueskyFacets(text) {
		ft := feature{Type: featureLink, URI: f.Value}
		if f.Kind == textlen.FacetTag {
			ft = feature{Type: featureTag, Tag: f.Value}
		}
		r.Facets = append(r.Facets, facet{Index: byteSlice{ByteStart: f.ByteStart, ByteEnd: f.ByteEnd}, Features: []feature{ft}})
	}
	return r
}

// postID is what a receipt's ID carries: the post's strong reference and,
// for a reply, its thread's root, so that a reply to it can be built from
// the ID alone. It is written "URI|CID" for a thread's first post and
// "URI|CID|ROOT-URI|ROOT-CID" for a reply.
type postID struct {
	Self ref
	Root ref // zero when Self is the root
}

func (id postID) String() string {
	s := id.Self.URI + "|" + id.Self.CID
	if id.Root.URI != "" && id.Root != id.Self {
		s += "|" + id.Root.URI + "|" + id.Root.CID
	}
	return s
}

// threadRoot is the root a reply to id must name.
func (id postID) threadRoot() ref {
	if id.Root.URI == "" {
		return id.Self
	}
	return id.Root
}

func parseID(s string) (postID, error) {
	parts := strings.Split(s, "|")
	var id postID
	switch len(parts) {
	case 2:
		id.Self = ref{URI: parts[0], CID: parts[1]}
	case 4:
		id.Self, id.Root = ref{URI: parts[0], CID: parts[1]}, ref{URI: parts[2], CID: parts[3]}
	default:
		return id, fmt.Errorf("reply target %q is not a Bluesky post id (URI|CID)", s)
	}
	for _, r := range []ref{id.Self, id.threadRoot()} {
		if _, _, ok := splitPostURI(r.URI); !ok || r.CID == "" {
			return id, fmt.Errorf("reply target %q is not a Bluesky post id (URI|CID)", s)
		}
	}
	return id, nil
}

// idOf returns the ID of a record read back: its own reference and its
// thread's root.
func idOf(self ref, reply *replyRef) postID {
	if reply == nil {
		return postID{Self: self}
	}
	return postID{Self: self, Root: reply.Root}
}

// parentID returns the ID of the post a read-back reply answers, as its
// receipt gave it: the parent is the root itself, or a reply in the same
// thread.
func parentID(reply *replyRef) string {
	if reply == nil {
		return ""
	}
	return postID{Self: reply.Parent, Root: reply.Root}.String()
}

// splitPostURI splits at://DID/app.bsky.feed.post/RKEY.
func splitPostURI(uri string) (did, rkey string, ok bool) {
	rest, ok := strings.CutPrefix(uri, "at://")
	if !ok {
		return "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] != postCollection || parts[2] == "" {
		return "", "", false
	}
	return parts[0], parts[2], true
}

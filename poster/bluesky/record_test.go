package bluesky

import (
	"testing"
	"time"
)

func TestPostIDRoundTrip(t *testing.T) {
	root := ref{URI: "at://did:plc:abc/app.bsky.feed.post/3l2aaaaaaaa22", CID: "bafyreiroot"}
	reply := ref{URI: "at://did:plc:abc/app.bsky.feed.post/3l2bbbbbbbb22", CID: "bafyreireply"}
	tests := []struct {
		id       postID
		str      string
		wantRoot ref // root a reply to it names
	}{
		{postID{Self: root}, root.URI + "|" + root.CID, root},
		{postID{Self: root, Root: root}, root.URI + "|" + root.CID, root},
		{postID{Self: reply, Root: root}, reply.URI + "|" + reply.CID + "|" + root.URI + "|" + root.CID, root},
	}
	for _, tt := range tests {
		if got := tt.id.String(); got != tt.str {
			t.Errorf("%+v.String() = %q, want %q", tt.id, got, tt.str)
		}
		parsed, err := parseID(tt.str)
		if err != nil {
			t.Fatalf("parseID(%q): %v", tt.str, err)
		}
		if got := parsed.threadRoot(); got != tt.wantRoot || parsed.Self != tt.id.Self {
			t.Errorf("parseID(%q) = %+v, root %+v; want self %+v, root %+v", tt.str, parsed, got, tt.id.Self, tt.wantRoot)
		}
	}
	// A read-back reply names its parent with the ID the parent's receipt had.
	if got, want := parentID(&replyRef{Root: root, Parent: root}), tests[0].str; got != want {
		t.Errorf("parentID(first reply) = %q, want %q", got, want)
	}
	if got, want := parentID(&replyRef{Root: root, Parent: reply}), tests[2].str; got != want {
		t.Errorf("parentID(later reply) = %q, want %q", got, want)
	}
}

func TestParseIDRefusesOthers(t *testing.T) {
	for _, s := range []string{"", "112345678900000001", "at://did:plc:abc/app.bsky.feed.post/3l2|",
		"at://did:plc:abc/app.bsky.feed.like/3l2|bafy", "https://bsky.app/profile/x/post/3l2|bafy", "a|b|c"} {
		if id, err := parseID(s); err == nil {
			t.Errorf("parseID(%q) = %+v, want an error", s, id)
		}
	}
}

// Facets use UTF-8 byte offsets: Japanese text before a link moves it by
// three bytes a character.
func TestNewRecordFacetOffsets(t *testing.T) {
	text := "脆弱性 https://jvn.jp/vu/JVNVU1/ #itsec_jp"
	r := newRecord(text, []string{"ja"}, time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.FixedZone("JST", 9*3600)))
	want := []facet{
		{Index: byteSlice{10, 35}, Features: []feature{{Type: featureLink, URI: "https://jvn.jp/vu/JVNVU1/"}}},
		{Index: byteSlice{36, 45}, Features: []feature{{Type: featureTag, Tag: "itsec_jp"}}},
	}
	if len(r.Facets) != len(want) {
		t.Fatalf("facets %+v, want %+v", r.Facets, want)
	}
	for i := range want {
		got := r.Facets[i]
		if got.Index != want[i].Index || got.Features[0] != want[i].Features[0] {
			t.Errorf("facet %d = %+v, want %+v", i, got, want[i])
		}
	}
	if r.CreatedAt != "2026-01-01T18:04:05.006Z" || r.Type != "app.bsky.feed.post" {
		t.Errorf("record %+v", r)
	}
}

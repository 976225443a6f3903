package blueskytest

import (
	"regexp"
	"strings"
	"time"
)

// links finds what must be a link facet: every http(s) URL in the text.
var links = regexp.MustCompile(`https?://[^\s<>"　、。（）「」]+`)

// check fails the test on records the PDS would store but the network
// would show wrong: the PDS does not check facet ranges against the text,
// nor that a reply names its thread's root.
func (s *Server) check(rec Record) {
	s.t.Helper()
	if !strings.HasSuffix(rec.CreatedAt, "Z") {
		s.t.Errorf("blueskytest: createdAt %q is not UTC with Z", rec.CreatedAt)
	} else if _, err := time.Parse(time.RFC3339Nano, rec.CreatedAt); err != nil {
		s.t.Errorf("blueskytest: createdAt %q: %v", rec.CreatedAt, err)
	}
	if len(rec.Langs) == 0 {
		s.t.Errorf("blueskytest: record %q has no langs", rec.Text)
	}
	s.checkFacets(rec)
	if rec.Reply != nil {
		s.checkReply(*rec.Reply)
	}
}

func (s *Server) checkFacets(rec Record) {
	text, end := rec.Text, 0
	for _, f := range rec.Facets {
		if f.ByteStart < end || f.ByteEnd <= f.ByteStart || f.ByteEnd > len(text) {
			s.t.Errorf("blueskytest: facet [%d,%d) is out of order or outside the %d-byte text %q", f.ByteStart, f.ByteEnd, len(text), text)
			return
		}
		end = f.ByteEnd
		got := text[f.ByteStart:f.ByteEnd]
		switch f.Type {
		case "app.bsky.richtext.facet#link":
			if got != f.URI {
				s.t.Errorf("blueskytest: link facet for %q covers %q", f.URI, got)
			}
		case "app.bsky.richtext.facet#tag":
			if got != "#"+f.Tag && got != "＃"+f.Tag || f.Tag == "" {
				s.t.Errorf("blueskytest: tag facet for %q covers %q", f.Tag, got)
			}
		default:
			s.t.Errorf("blueskytest: facet feature type %q", f.Type)
		}
	}
	for _, m := range links.FindAllStringIndex(text, -1) {
		if !s.hasLinkAt(rec.Facets, m[0]) {
			s.t.Errorf("blueskytest: the URL at byte %d of %q has no link facet", m[0], text)
		}
	}
}

func (s *Server) hasLinkAt(facets []Facet, start int) bool {
	for _, f := range facets {
		if f.ByteStart == start && f.Type == "app.bsky.richtext.facet#link" {
			return true
		}
	}
	return false
}

// checkReply requires both references to name stored records, and the root
// to be the parent's root (or the parent itself when it is a thread's
// first post).
func (s *Server) checkReply(reply Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var parent *Record
	for i := range s.records {
		if s.records[i].URI == reply.Parent.URI {
			parent = &s.records[i]
		}
	}
	switch {
	case parent == nil || parent.CID != reply.Parent.CID:
		s.t.Errorf("blueskytest: reply parent %+v is not a stored record", reply.Parent)
	case parent.Reply == nil && reply.Root != reply.Parent:
		s.t.Errorf("blueskytest: reply root %+v, want the parent %+v, a thread's first post", reply.Root, reply.Parent)
	case parent.Reply != nil && reply.Root != parent.Reply.Root:
		s.t.Errorf("blueskytest: reply root %+v, want the parent's root %+v", reply.Root, parent.Reply.Root)
	}
}

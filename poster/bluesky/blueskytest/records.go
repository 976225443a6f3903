package blueskytest

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rivo/uniseg"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
)

// Record is one post the server stored, as our client sent it.
type Record struct {
	URI       string
	CID       string
	Text      string
	CreatedAt string
	Langs     []string
	Facets    []Facet
	Reply     *Reply // nil for a thread's first post
	raw       json.RawMessage
}

// Ref is a strong reference to a record.
type Ref struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// Reply holds a reply's references.
type Reply struct {
	Root   Ref `json:"root"`
	Parent Ref `json:"parent"`
}

// Facet is one richtext facet with one feature.
type Facet struct {
	ByteStart, ByteEnd int
	Type               string // app.bsky.richtext.facet#link or #tag
	URI                string
	Tag                string
}

// postJSON is the record as it arrives.
type postJSON struct {
	Type      string   `json:"$type"`
	Text      *string  `json:"text"`
	CreatedAt string   `json:"createdAt"`
	Langs     []string `json:"langs"`
	Reply     *Reply   `json:"reply"`
	Facets    []struct {
		Index struct {
			ByteStart int `json:"byteStart"`
			ByteEnd   int `json:"byteEnd"`
		} `json:"index"`
		Features []struct {
			Type string `json:"$type"`
			URI  string `json:"uri"`
			Tag  string `json:"tag"`
		} `json:"features"`
	} `json:"facets"`
}

func (s *Server) createRecord(w http.ResponseWriter, r *http.Request) {
	s.attempts.Add(1)
	if !s.authorized(w, r) {
		return
	}
	var in struct {
		Repo       string          `json:"repo"`
		Collection string          `json:"collection"`
		Record     json.RawMessage `json:"record"`
	}
	var p postJSON
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || json.Unmarshal(in.Record, &p) != nil {
		s.t.Errorf("blueskytest: createRecord body does not decode: %v", err)
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Invalid request body")
		return
	}
	if in.Collection != "app.bsky.feed.post" || in.Repo != DID {
		s.t.Errorf("blueskytest: createRecord in repo %q collection %q, want %s app.bsky.feed.post", in.Repo, in.Collection, DID)
	}
	rec := recordOf(p, in.Record)
	msg := invalid(p)
	if msg == "" {
		s.check(rec)
	}
	fault, faulty := s.faults.Next()
	if faulty && !fault.Publish {
		s.misbehave(w, r, fault)
		return
	}
	if msg != "" {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.post record: "+msg)
		return
	}
	rec = s.store(rec)
	if faulty {
		s.misbehave(w, r, fault)
		return
	}
	writeJSON(w, map[string]any{"uri": rec.URI, "cid": rec.CID, "validationStatus": "valid",
		"commit": map[string]string{"cid": cidOf(rec.CID), "rev": rkey(rec.URI)}})
}

func recordOf(p postJSON, raw json.RawMessage) Record {
	rec := Record{CreatedAt: p.CreatedAt, Langs: p.Langs, Reply: p.Reply, raw: raw}
	if p.Text != nil {
		rec.Text = *p.Text
	}
	for _, f := range p.Facets {
		for _, ft := range f.Features {
			rec.Facets = append(rec.Facets, Facet{ByteStart: f.Index.ByteStart, ByteEnd: f.Index.ByteEnd, Type: ft.Type, URI: ft.URI, Tag: ft.Tag})
		}
	}
	return rec
}

// invalid returns the lexicon validation message the reference PDS gives
// for p, "" when it is valid. Like the PDS, it does not check facet ranges.
func invalid(p postJSON) string {
	switch {
	case p.Text == nil:
		return `Record must have the property "text"`
	case p.CreatedAt == "":
		return `Record must have the property "createdAt"`
	case uniseg.GraphemeClusterCount(*p.Text) > 300:
		return fmt.Sprintf("grapheme too big (maximum 300, got %d) at $.record.text", uniseg.GraphemeClusterCount(*p.Text))
	case len(*p.Text) > 3000:
		return fmt.Sprintf("string too big (maximum 3000, got %d) at $.record.text", len(*p.Text))
	case len(p.Langs) > 3:
		return fmt.Sprintf("array too long (maximum 3, got %d) at $.record.langs", len(p.Langs))
	}
	if _, err := time.Parse(time.RFC3339Nano, p.CreatedAt); err != nil {
		return "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)"
	}
	return ""
}

// store gives rec its URI and CID and keeps it.
func (s *Server) store(rec Record) Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.records) + 1
	rec.URI = "at://" + DID + "/app.bsky.feed.post/" + tid(uint64(s.now().UnixMicro())<<10|uint64(n))
	sum := sha256.Sum256(fmt.Appendf(nil, "%d|%s", n, rec.raw))
	rec.CID = cidOf(string(sum[:]))
	s.records = append(s.records, rec)
	return rec
}

// cidOf makes a CID-looking string from seed.
func cidOf(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return "bafyrei" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))[:52]
}

// tid encodes v as a record key in base32-sortable, like the PDS's TIDs.
func tid(v uint64) string {
	const alphabet = "234567abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 13)
	for i := 12; i >= 0; i-- {
		b[i] = alphabet[v&31]
		v >>= 5
	}
	return string(b)
}

func rkey(uri string) string { return uri[strings.LastIndexByte(uri, '/')+1:] }

func (s *Server) misbehave(w http.ResponseWriter, r *http.Request, f Fault) {
	switch {
	case f.Hang:
		fake.Hang(r, s.done)
	case f.Drop:
		fake.Drop(w)
	default:
		for k, vs := range f.Header {
			w.Header()[k] = vs
		}
		status, code, msg := f.Status, f.Code, f.Message
		if status == 0 {
			status, code, msg = http.StatusInternalServerError, "InternalServerError", "Internal Server Error"
		}
		writeError(w, status, code, msg)
	}
}

// listRecords lists the account's posts newest first (oldest first with
// reverse), limit 1..100 (default 50), paging by record key.
func (s *Server) listRecords(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if repo := q.Get("repo"); repo != DID && repo != Handle {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Could not find repo: "+repo)
		return
	}
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, http.StatusBadRequest, "InvalidRequest", "Error: limit must be between 1 and 100")
			return
		}
		limit = n
	}
	s.mu.Lock()
	recs := slices.Clone(s.records)
	s.mu.Unlock()
	reverse := q.Get("reverse") == "true"
	if !reverse {
		slices.Reverse(recs)
	}
	type entry struct {
		URI   string          `json:"uri"`
		CID   string          `json:"cid"`
		Value json.RawMessage `json:"value"`
	}
	out := struct {
		Records []entry `json:"records"`
		Cursor  string  `json:"cursor,omitempty"`
	}{Records: []entry{}}
	cursor := q.Get("cursor")
	for _, rec := range recs {
		k := rkey(rec.URI)
		if q.Get("collection") != "app.bsky.feed.post" || cursor != "" && (!reverse && k >= cursor || reverse && k <= cursor) {
			continue
		}
		if len(out.Records) == limit {
			break
		}
		out.Records = append(out.Records, entry{URI: rec.URI, CID: rec.CID, Value: rec.raw})
		out.Cursor = k
	}
	writeJSON(w, out)
}

package misskeytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// aidEpoch is where Misskey's aid ids count milliseconds from.
var aidEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// newID returns an id shaped like Misskey's aid: the time in base 36 and a
// counter, so that ids sort by creation as the API pages by them.
// s.mu is held.
func (s *Server) newID(now time.Time) string {
	s.seq++
	return fmt.Sprintf("%08s%04s", strconv.FormatInt(now.Sub(aidEpoch).Milliseconds(), 36), strconv.FormatInt(int64(s.seq), 36))
}

// errorIDs are the ids Misskey gives its errors.
var errorIDs = map[string]string{
	"RATE_LIMIT_EXCEEDED":       "d5826d14-3982-4d2e-8011-b9e9f02499ef",
	"CREDENTIAL_REQUIRED":       "1384574d-a912-4b81-8601-c7b1c4085df1",
	"AUTHENTICATION_FAILED":     "b0a7f5f8-dc2f-4171-b91f-de88ad238e14",
	"INVALID_PARAM":             "3d81ceae-475f-4600-b2a8-2bc116157532",
	"NO_SUCH_REPLY_TARGET":      "749ee0f6-d3da-459a-bf02-282e2da4292c",
	"PROCESSING":                "3247052c-005d-440e-b3d8-2a64274483b0",
	"CONTAINS_PROHIBITED_WORDS": "aa6e01d3-a85c-669d-758a-76aab43af334",
	"INTERNAL_ERROR":            "5d37dbcb-891e-41ca-a3d6-e690c97775ac",
	"NO_SUCH_USER":              "27e494ba-2ac2-48e8-893b-10d4d8c2387b",
}

func defaultError(status int) (code, message string) {
	switch status {
	case http.StatusAccepted:
		return "PROCESSING", "We are processing your request. Please wait a moment."
	case http.StatusTooManyRequests:
		return "RATE_LIMIT_EXCEEDED", "Rate limit exceeded. Please try again later."
	case http.StatusUnauthorized:
		return "AUTHENTICATION_FAILED", "Authentication failed. Please ensure your token is correct."
	case http.StatusInternalServerError:
		return "INTERNAL_ERROR", "Internal error occurred. Please contact us if the error persists."
	}
	return "ERROR", http.StatusText(status)
}

// writeError answers Misskey's error document.
func writeError(w http.ResponseWriter, status int, code, message string, info map[string]string) {
	kind := "client"
	switch {
	case status >= 500:
		kind = "server"
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		kind = "permission"
	}
	e := map[string]any{"message": message, "code": code, "id": errorIDs[code], "kind": kind}
	if e["id"] == "" {
		e["id"] = "00000000-0000-0000-0000-000000000000"
	}
	if info != nil {
		e["info"] = info
	}
	writeJSON(w, status, map[string]any{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// userLite mirrors Misskey's UserLite of the token's user.
func (s *Server) userLite() map[string]any {
	return map[string]any{
		"id": UserID, "name": "itsecbot", "username": "bot", "host": nil,
		"avatarUrl": s.URL + "/identicon/bot", "avatarBlurhash": nil, "avatarDecorations": []any{},
		"isBot": true, "isCat": false, "emojis": map[string]any{}, "onlineStatus": "unknown",
	}
}

// noteJSON mirrors Misskey's Note as notes/create and users/notes answer
// it; a local note has no uri or url.
func (s *Server) noteJSON(n Note) map[string]any {
	out := map[string]any{
		"id": n.ID, "createdAt": n.Created.Format("2006-01-02T15:04:05.000Z"),
		"userId": UserID, "user": s.userLite(), "text": n.Text, "cw": orNull(n.CW),
		"visibility": n.Visibility, "localOnly": false, "reactionAcceptance": nil,
		"renoteCount": 0, "repliesCount": 0, "reactionCount": 0,
		"reactions": map[string]any{}, "reactionEmojis": map[string]any{}, "emojis": map[string]any{},
		"fileIds": []any{}, "files": []any{}, "replyId": orNull(n.ReplyID), "renoteId": nil,
	}
	if r, ok := s.note(n.ReplyID); ok {
		r.ReplyID = "" // one level, as packed replies are
		out["reply"] = s.noteJSON(r)
	}
	return out
}

// note returns the note with id.
func (s *Server) note(id string) (Note, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.notes {
		if n.ID == id && id != "" {
			return n, true
		}
	}
	return Note{}, false
}

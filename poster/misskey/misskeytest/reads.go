package misskeytest

import (
	"maps"
	"net/http"
	"slices"
)

var (
	userNotesParams = map[string]bool{
		"userId": true, "withReplies": true, "withRenotes": true, "withChannelNotes": true, "limit": true,
		"sinceId": true, "untilId": true, "sinceDate": true, "untilDate": true, "allowPartial": true, "withFiles": true,
	}
	metaParams = map[string]bool{"detail": true}
)

// readAllowed answers a refused read and reports false: bad credentials,
// or a read fault.
func (s *Server) readAllowed(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	fault := s.readFault
	s.mu.Unlock()
	if fault != 0 {
		code, msg := defaultError(fault)
		writeError(w, fault, code, msg, nil)
		return false
	}
	if status, code := s.refuseAuth(r); status != 0 {
		writeError(w, status, code, "Authentication failed. Please ensure your token is correct.", nil)
		return false
	}
	return true
}

// i answers the token's user, shaped like MeDetailed.
func (s *Server) i(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.decode(w, r, nil); !ok || !s.readAllowed(w, r) {
		return
	}
	me := s.userLite()
	maps.Copy(me, map[string]any{
		"url": nil, "uri": nil, "createdAt": "2024-01-01T00:00:00.000Z", "description": "JP security news",
		"followersCount": 0, "followingCount": 0, "notesCount": len(s.Notes()), "isLocked": false,
	})
	writeJSON(w, http.StatusOK, me)
}

// userNotes lists the user's notes newest first, honouring limit (1 to
// 100, default 10) and untilId. Without withReplies it leaves replies out,
// as the server's timeline cache may: our client must ask for them.
func (s *Server) userNotes(w http.ResponseWriter, r *http.Request) {
	body, ok := s.decode(w, r, userNotesParams)
	if !ok || !s.readAllowed(w, r) {
		return
	}
	if body["userId"] != UserID {
		writeError(w, http.StatusBadRequest, "NO_SUCH_USER", "No such user.", nil)
		return
	}
	limit := 10
	if l, ok := body["limit"].(float64); ok {
		if l < 1 || l > 100 {
			writeError(w, http.StatusBadRequest, "INVALID_PARAM", "Invalid param.",
				map[string]string{"param": "#/properties/limit/maximum", "reason": "must be <= 100"})
			return
		}
		limit = int(l)
	}
	until, _ := body["untilId"].(string)
	withReplies, _ := body["withReplies"].(bool)
	notes := s.Notes()
	slices.Reverse(notes)
	out := []map[string]any{}
	for _, n := range notes {
		if len(out) == limit {
			break
		}
		if until != "" && n.ID >= until || n.ReplyID != "" && !withReplies {
			continue
		}
		out = append(out, s.noteJSON(n))
	}
	writeJSON(w, http.StatusOK, out)
}

// meta answers MetaLite, with maxNoteTextLength unless the server was
// made to leave it out.
func (s *Server) meta(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.decode(w, r, metaParams); !ok {
		return
	}
	if r.Header.Get("Authorization") != "" {
		s.t.Errorf("misskeytest: meta is public; the token was sent to it")
	}
	s.mu.Lock()
	s.metaRequests++
	fault := s.metaFault
	s.mu.Unlock()
	if fault != 0 {
		code, msg := defaultError(fault)
		writeError(w, fault, code, msg, nil)
		return
	}
	doc := map[string]any{
		"maintainerName": "admin", "maintainerEmail": nil, "version": "2025.4.1", "providesTarball": false,
		"name": "Fake Misskey", "shortName": nil, "uri": s.URL, "description": "A fake server for tests.",
		"langs": []string{"ja"}, "disableRegistration": true, "emailRequiredForSignup": false,
		"enableHcaptcha": false, "enableRecaptcha": false, "enableTurnstile": false,
		"iconUrl": nil, "ads": []any{}, "notesPerOneAd": 0, "enableEmail": false,
		"translatorAvailable": false, "mediaProxy": s.URL + "/proxy", "enableUrlPreview": true,
		"policies": map[string]any{"rateLimitFactor": 1}, "federation": "all",
	}
	if s.announced > 0 {
		doc["maxNoteTextLength"] = s.announced
	}
	writeJSON(w, http.StatusOK, doc)
}

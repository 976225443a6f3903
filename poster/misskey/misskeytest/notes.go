package misskeytest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
)

// createParams are the parameters of notes/create in upstream Misskey
// (misskey-js's NotesCreateRequest).
var createParams = map[string]bool{
	"visibility": true, "visibleUserIds": true, "cw": true, "localOnly": true, "reactionAcceptance": true,
	"noExtractMentions": true, "noExtractHashtags": true, "noExtractEmojis": true, "replyId": true,
	"renoteId": true, "channelId": true, "text": true, "fileIds": true, "mediaIds": true, "poll": true,
}

var visibilities = map[string]bool{"public": true, "home": true, "followers": true, "specified": true}

func (s *Server) createNote(w http.ResponseWriter, r *http.Request) {
	body, ok := s.decode(w, r, createParams)
	if !ok {
		return
	}
	if _, ok := body["visibility"]; !ok {
		s.t.Errorf("misskeytest: notes/create without visibility (Misskey would post it public): %v", body)
	}
	idx := s.recordAttempt(r, body)
	if status, code := s.refuseAuth(r); status != 0 {
		s.answerError(w, idx, Fault{Status: status, Code: code})
		return
	}
	fault, faulty := s.faults.Next()
	faulty = faulty && !fault.Pass
	var created *Note
	if !faulty || fault.Publish {
		n, refusal := s.create(body)
		if refusal != nil {
			s.answerError(w, idx, *refusal)
			return
		}
		created = &n
	}
	switch {
	case faulty && fault.Hang != nil:
		s.hang(r, fault.Hang)
	case faulty && fault.Drop:
		fake.Drop(w)
	case faulty:
		s.answerError(w, idx, fault)
	default:
		s.setAttemptStatus(idx, http.StatusOK)
		writeJSON(w, http.StatusOK, map[string]any{"createdNote": s.noteJSON(*created)})
	}
}

// decode reads a JSON body and fails the test on what our client must not
// send: another content type, a token in the body ("i"), or a parameter
// not in known.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, known map[string]bool) (map[string]any, bool) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Errorf("misskeytest: %s: Content-Type = %q, want JSON", r.URL.Path, ct)
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	body := map[string]any{}
	if err == nil {
		err = json.Unmarshal(data, &body)
	}
	if err != nil {
		s.t.Errorf("misskeytest: %s: body %q: %v", r.URL.Path, data, err)
		writeError(w, http.StatusBadRequest, "INVALID_PARAM", "Invalid param.", nil)
		return nil, false
	}
	for k := range body {
		if k == "i" {
			s.t.Errorf("misskeytest: %s: the token is in the body; send it in Authorization", r.URL.Path)
		} else if !known[k] {
			s.t.Errorf("misskeytest: %s: parameter %q is not one of upstream Misskey's", r.URL.Path, k)
		}
	}
	return body, true
}

// refuseAuth returns the status and code refusing r's credentials, or 0.
func (s *Server) refuseAuth(r *http.Request) (int, string) {
	switch sent, ok := s.token.Check(r); {
	case !sent:
		return http.StatusUnauthorized, "CREDENTIAL_REQUIRED"
	case !ok:
		return s.authStatus, "AUTHENTICATION_FAILED"
	}
	return 0, ""
}

// create validates body like notes/create's parameter schema and stores
// the note, or returns the refusal.
func (s *Server) create(body map[string]any) (Note, *Fault) {
	text, _ := body["text"].(string)
	visibility, _ := body["visibility"].(string)
	cw, _ := body["cw"].(string)
	reply, _ := body["replyId"].(string)
	switch {
	case visibility != "" && !visibilities[visibility]:
		return Note{}, invalidParam("#/properties/visibility/enum", "must be equal to one of the allowed values")
	case utf8.RuneCountInString(cw) > 100:
		return Note{}, invalidParam("#/properties/cw/maxLength", "must NOT have more than 100 characters")
	case strings.TrimSpace(text) == "":
		return Note{}, invalidParam("#/properties/text/minLength", "must NOT have fewer than 1 characters")
	case utf8.RuneCountInString(text) > s.enforced:
		return Note{}, invalidParam("#/properties/text/maxLength", fmt.Sprintf("must NOT have more than %d characters", s.enforced))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if reply != "" && !s.hasNote(reply) {
		return Note{}, &Fault{Status: http.StatusBadRequest, Code: "NO_SUCH_REPLY_TARGET", Message: "No such reply target."}
	}
	if visibility == "" {
		visibility = "public"
	}
	now := s.now().UTC()
	n := Note{ID: s.newID(now), Text: text, CW: cw, Visibility: visibility, ReplyID: reply, Created: now}
	s.notes = append(s.notes, n)
	return n, nil
}

// invalidParam is the refusal of a parameter by the schema validator.
func invalidParam(param, reason string) *Fault {
	return &Fault{Status: http.StatusBadRequest, Code: "INVALID_PARAM", Message: "Invalid param.",
		Info: map[string]string{"param": param, "reason": reason}}
}

func (s *Server) hasNote(id string) bool {
	for _, n := range s.notes {
		if n.ID == id {
			return true
		}
	}
	return false
}

func (s *Server) recordAttempt(r *http.Request, body map[string]any) int {
	return s.attempts.Add(Attempt{Body: body, UserAgent: r.Header.Get("User-Agent")})
}

func (s *Server) setAttemptStatus(idx, code int) {
	s.attempts.Update(idx, func(a *Attempt) { a.Status = code })
}

// answerError answers f's error, its headers set.
func (s *Server) answerError(w http.ResponseWriter, idx int, f Fault) {
	if f.Status == 0 {
		f.Status = http.StatusInternalServerError
	}
	s.setAttemptStatus(idx, f.Status)
	for k, vs := range f.Header {
		w.Header()[k] = vs
	}
	if f.Page != "" {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		io.WriteString(w, f.Page)
		return
	}
	code, msg := f.Code, f.Message
	if code == "" {
		code, msg = defaultError(f.Status)
	}
	writeError(w, f.Status, code, msg, f.Info)
}

// hang calls notify, then never answers: it returns when the client gives
// up or the server shuts down.
func (s *Server) hang(r *http.Request, notify func()) {
	notify()
	fake.Hang(r, s.done)
}

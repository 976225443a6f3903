package mastodontest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
)

// urlPattern approximates Mastodon's URL extractor well enough for tests:
// each URL with a scheme counts as urlChars characters.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

var visibilities = map[string]bool{"public": true, "unlisted": true, "private": true, "direct": true}

func (s *Server) postStatus(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.t.Errorf("mastodontest: parse form: %v", err)
		writeError(w, http.StatusBadRequest, "bad form")
		return
	}
	s.checkForm(r)
	idx := s.recordAttempt(r)
	if !s.authorized(r) {
		s.answer(w, idx, http.StatusUnauthorized, nil, "The access token is invalid")
		return
	}
	fault, faulty := s.faults.Next()
	faulty = faulty && !fault.Pass
	if faulty && !fault.Publish {
		switch {
		case fault.Hang != nil:
			s.hang(r, fault.Hang)
		case fault.Drop:
			fake.Drop(w)
		default:
			s.answer(w, idx, fault.Status, fault.Header, fault.Message)
		}
		return
	}
	st, code, msg := s.create(r)
	switch {
	case faulty && fault.Hang != nil:
		s.hang(r, fault.Hang)
	case faulty && fault.Drop:
		fake.Drop(w)
	case faulty:
		s.answer(w, idx, fault.Status, fault.Header, fault.Message)
	case code != http.StatusOK:
		s.answer(w, idx, code, nil, msg)
	default:
		s.setAttemptStatus(idx, http.StatusOK)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(s.statusJSON(st))
	}
}

// hang calls notify, then never answers: it returns when the client gives up
// or the server shuts down.
func (s *Server) hang(r *http.Request, notify func()) {
	notify()
	fake.Hang(r, s.done)
}

// checkForm fails the test on requests our client must never send.
func (s *Server) checkForm(r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		s.t.Errorf("mastodontest: Content-Type = %q, want a form", ct)
	}
	for _, field := range []string{"status", "visibility", "language"} {
		if r.PostForm.Get(field) == "" {
			s.t.Errorf("mastodontest: form %v has no %s", r.PostForm, field)
		}
	}
}

func (s *Server) recordAttempt(r *http.Request) int {
	return s.attempts.Add(Attempt{
		IdempotencyKey: r.Header.Get("Idempotency-Key"),
		UserAgent:      r.Header.Get("User-Agent"),
		Form:           cloneValues(r.PostForm),
	})
}

func (s *Server) setAttemptStatus(idx, code int) {
	s.attempts.Update(idx, func(a *Attempt) { a.Status = code })
}

func (s *Server) answer(w http.ResponseWriter, idx, code int, header http.Header, msg string) {
	if code == 0 {
		code = http.StatusInternalServerError
	}
	s.setAttemptStatus(idx, code)
	for k, vs := range header {
		w.Header()[k] = vs
	}
	writeError(w, code, msg)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// create validates the form like PostStatusService and stores the status, or
// returns the earlier status for a repeated Idempotency-Key.
func (s *Server) create(r *http.Request) (Status, int, string) {
	form := r.PostForm
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, ok := s.byKey[key]; ok && key != "" && !s.ignoreKeys {
		return s.statuses[i], http.StatusOK, ""
	}
	text, spoiler := form.Get("status"), form.Get("spoiler_text")
	if strings.TrimSpace(text) == "" {
		return Status{}, http.StatusUnprocessableEntity, "Validation failed: Text can't be blank"
	}
	if v := form.Get("visibility"); v != "" && !visibilities[v] {
		return Status{}, http.StatusUnprocessableEntity, "Visibility is not included in the list"
	}
	if n := s.length(spoiler, text); n > s.maxChars {
		return Status{}, s.lengthStatus, fmt.Sprintf(s.lengthFormat, s.maxChars)
	}
	reply := form.Get("in_reply_to_id")
	if reply != "" && !s.hasStatus(reply) {
		return Status{}, http.StatusNotFound, "Record not found"
	}
	st := Status{
		ID: strconv.FormatInt(firstID+int64(len(s.statuses)), 10), Text: text, SpoilerText: spoiler,
		Visibility: form.Get("visibility"), Language: form.Get("language"),
		InReplyToID: reply, IdempotencyKey: key, Created: s.now().UTC(),
	}
	s.statuses = append(s.statuses, st)
	if key != "" {
		s.byKey[key] = len(s.statuses) - 1
	}
	return st, http.StatusOK, ""
}

// length counts like StatusLengthValidator: spoiler plus text in grapheme
// clusters, each URL as urlChars (or in full, WithURLsInFull).
func (s *Server) length(spoiler, text string) int {
	countable := text
	if !s.urlsInFull {
		countable = urlPattern.ReplaceAllLiteralString(text, strings.Repeat("x", s.urlChars))
	}
	return uniseg.GraphemeClusterCount(spoiler + countable)
}

func (s *Server) hasStatus(id string) bool {
	for _, st := range s.statuses {
		if st.ID == id {
			return true
		}
	}
	return false
}

package mastodontest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
)

// readAllowed answers a refused read and reports false: a wrong token, or
// a read fault.
func (s *Server) readAllowed(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	fault := s.readFault
	s.mu.Unlock()
	switch {
	case fault != 0:
		writeError(w, fault, "read failed")
		return false
	case !s.authorized(r):
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return false
	}
	return true
}

func (s *Server) verifyCredentials(w http.ResponseWriter, r *http.Request) {
	if !s.readAllowed(w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(s.accountJSON())
}

// accountStatuses lists the account's statuses newest first, honouring
// limit (default 20, at most 40) and max_id as Mastodon does.
func (s *Server) accountStatuses(w http.ResponseWriter, r *http.Request) {
	if !s.readAllowed(w, r) {
		return
	}
	if r.PathValue("id") != s.accountJSON().ID {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	limit := 20
	if n, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && n > 0 {
		limit = min(n, 40)
	}
	maxID, _ := strconv.ParseInt(r.URL.Query().Get("max_id"), 10, 64)
	s.mu.Lock()
	statuses := slices.Clone(s.statuses)
	s.mu.Unlock()
	slices.Reverse(statuses)
	out := []statusJSON{}
	for _, st := range statuses {
		id, _ := strconv.ParseInt(st.ID, 10, 64)
		if maxID != 0 && id >= maxID {
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, s.statusJSON(st))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(out)
}

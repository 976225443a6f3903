package blueskytest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// sessionJSON is createSession's and refreshSession's output.
type sessionJSON struct {
	AccessJWT  string `json:"accessJwt"`
	RefreshJWT string `json:"refreshJwt"`
	Handle     string `json:"handle"`
	DID        string `json:"did"`
	Active     bool   `json:"active"`
}

// newSession issues a token pair; the caller holds s.mu.
func (s *Server) newSession() sessionJSON {
	s.nextToken++
	n := strconv.Itoa(s.nextToken)
	out := sessionJSON{AccessJWT: "access-" + n, RefreshJWT: "refresh-" + n, Handle: Handle, DID: DID, Active: true}
	s.access[out.AccessJWT] = tokenValid
	s.refresh[out.RefreshJWT] = tokenValid
	return out
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Identifier string `json:"identifier"`
		Password   string `json:"password"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		s.t.Errorf("blueskytest: createSession body: %v", err)
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Request body must be JSON")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins++
	s.rateLimitHeaders(w, s.loginLimit-s.logins)
	switch {
	case s.logins > s.loginLimit:
		w.Header().Set("Retry-After", "300")
		writeError(w, http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded")
	case (in.Identifier != Handle && in.Identifier != DID) || in.Password != s.password:
		writeError(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
	default:
		writeJSON(w, s.newSession())
	}
}

// refreshSession rotates the pair: the refresh token used is revoked.
func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request) {
	tok, ok := bearer(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusUnauthorized, "AuthMissing", "Authentication Required")
		return
	}
	if code, msg := tokenError(s.refresh[tok]); code != "" {
		if _, isAccess := s.access[tok]; isAccess {
			code, msg = "InvalidToken", "Token could not be verified"
		}
		writeError(w, http.StatusBadRequest, code, msg)
		return
	}
	s.refresh[tok] = tokenRevoked
	s.refreshes++
	writeJSON(w, s.newSession())
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	writeJSON(w, map[string]any{"did": DID, "handle": Handle, "email": "bot@example.com", "emailConfirmed": false, "active": true})
}

// authorized answers the PDS's refusal of a missing, unknown or expired
// access token and reports false.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := bearer(r)
	if !ok {
		writeError(w, http.StatusUnauthorized, "AuthMissing", "Authentication Required")
		return false
	}
	s.mu.Lock()
	st := s.access[tok]
	s.mu.Unlock()
	if code, msg := tokenError(st); code != "" {
		writeError(w, http.StatusBadRequest, code, msg)
		return false
	}
	return true
}

// tokenError is the PDS's answer to a token in state st, "" when valid.
func tokenError(st tokenState) (code, msg string) {
	switch st {
	case tokenValid:
		return "", ""
	case tokenExpired:
		return "ExpiredToken", "Token has expired"
	case tokenRevoked:
		return "ExpiredToken", "Token has been revoked"
	}
	return "InvalidToken", "Token could not be verified"
}

func bearer(r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return tok, ok && tok != ""
}

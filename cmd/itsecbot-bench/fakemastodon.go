package main

import (
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fakeMastodon is the least of a Mastodon server that itsecbot and
// Mastodon.py clients need: instance documents, posting a status, and the
// account lookups some bots make. It accepts every post and counts them.
type fakeMastodon struct {
	url   string
	token string
	srv   *http.Server
	ln    net.Listener
	wg    sync.WaitGroup

	mu        sync.Mutex
	posts     int
	textBytes int
	instance  int        // instance document requests
	recent    []statusJS // newest last, at most recentMax
}

const recentMax = 40

type accountJS struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Acct     string `json:"acct"`
	Bot      bool   `json:"bot"`
	URL      string `json:"url"`
	Created  string `json:"created_at"`
}

type statusJS struct {
	ID          string    `json:"id"`
	CreatedAt   string    `json:"created_at"`
	InReplyToID *string   `json:"in_reply_to_id"`
	Visibility  string    `json:"visibility"`
	Language    string    `json:"language"`
	URI         string    `json:"uri"`
	URL         string    `json:"url"`
	Content     string    `json:"content"`
	SpoilerText string    `json:"spoiler_text"`
	Account     accountJS `json:"account"`
	Media       []any     `json:"media_attachments"`
	Mentions    []any     `json:"mentions"`
	Tags        []any     `json:"tags"`
	Emojis      []any     `json:"emojis"`
}

func startFakeMastodon(token string) (*fakeMastodon, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	m := &fakeMastodon{url: "http://" + ln.Addr().String(), token: token, ln: ln}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/instance", m.instanceDoc)
	mux.HandleFunc("GET /api/v1/instance", m.instanceDoc)
	mux.HandleFunc("GET /api/v1/instance/{$}", m.instanceDoc) // Mastodon.py asks with the slash
	mux.HandleFunc("POST /api/v1/statuses", m.authed(m.postStatus))
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", m.authed(m.verifyCredentials))
	mux.HandleFunc("GET /api/v1/accounts/{id}/statuses", m.accountStatuses)
	m.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	m.wg.Go(func() { _ = m.srv.Serve(ln) })
	return m, nil
}

func (m *fakeMastodon) close() {
	_ = m.srv.Close()
	m.wg.Wait()
}

// counts returns posts accepted and instance lookups since the last reset.
func (m *fakeMastodon) counts() (posts, instance int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.posts, m.instance
}

func (m *fakeMastodon) resetCounts() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.posts, m.textBytes, m.instance = 0, 0, 0
}

func (m *fakeMastodon) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+m.token {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "The access token is invalid"})
			return
		}
		h(w, r)
	}
}

func (m *fakeMastodon) instanceDoc(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	m.instance++
	m.mu.Unlock()
	statuses := map[string]any{"max_characters": 500, "max_media_attachments": 4, "characters_reserved_per_url": 23}
	writeJSON(w, http.StatusOK, map[string]any{
		"uri": "bench.test", "domain": "bench.test", "title": "bench", "version": "4.3.2",
		"languages": []string{"ja", "en"}, "registrations": false,
		"configuration": map[string]any{"statuses": statuses},
	})
}

func (m *fakeMastodon) postStatus(w http.ResponseWriter, r *http.Request) {
	text, replyTo, err := statusParams(r)
	if err != nil || strings.TrimSpace(text) == "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Text can't be blank"})
		return
	}
	m.mu.Lock()
	m.posts++
	m.textBytes += len(text)
	st := m.status(strconv.Itoa(100000+m.posts), text, replyTo)
	m.recent = append(m.recent, st)
	if len(m.recent) > recentMax {
		m.recent = m.recent[1:]
	}
	m.mu.Unlock()
	writeJSON(w, http.StatusOK, st)
}

// statusParams reads the status text from a form or JSON body.
func statusParams(r *http.Request) (text, replyTo string, err error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var body struct {
			Status    string `json:"status"`
			InReplyTo string `json:"in_reply_to_id"`
		}
		err = json.NewDecoder(r.Body).Decode(&body)
		return body.Status, body.InReplyTo, err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		return "", "", err
	}
	return r.FormValue("status"), r.FormValue("in_reply_to_id"), nil
}

func (m *fakeMastodon) status(id, text, replyTo string) statusJS {
	st := statusJS{
		ID: id, CreatedAt: time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), Visibility: "unlisted",
		Language: "ja", URI: m.url + "/users/bench/statuses/" + id, URL: m.url + "/@bench/" + id,
		Content: "<p>" + html.EscapeString(text) + "</p>", Account: m.account(),
		Media: []any{}, Mentions: []any{}, Tags: []any{}, Emojis: []any{},
	}
	if replyTo != "" {
		st.InReplyToID = &replyTo
	}
	return st
}

func (m *fakeMastodon) account() accountJS {
	return accountJS{ID: "1", Username: "bench", Acct: "bench", Bot: true, URL: m.url + "/@bench",
		Created: "2024-01-01T00:00:00.000Z"}
}

func (m *fakeMastodon) verifyCredentials(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, m.account())
}

func (m *fakeMastodon) accountStatuses(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	out := make([]statusJS, 0, len(m.recent))
	for i := len(m.recent) - 1; i >= 0; i-- {
		out = append(out, m.recent[i])
	}
	m.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

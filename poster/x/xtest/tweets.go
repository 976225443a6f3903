package xtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
	"github.com/itsecbot/itsecbot/textlen"
)

// firstID resembles X's snowflake IDs, which the API sends as strings.
const firstID int64 = 1860000000000000001

// X's own refusal texts (problem+json "detail"), as X sends them.
const (
	DuplicateDetail = "You are not allowed to create a Tweet with duplicate content."
	ReplyGoneDetail = "You attempted to reply to a Tweet that is deleted or not visible to you."
	TooLongDetail   = "Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text."
)

// createRequest is the whole body our client may send to POST /2/tweets.
type createRequest struct {
	Text  *string `json:"text"`
	Reply *struct {
		InReplyToTweetID string `json:"in_reply_to_tweet_id"`
	} `json:"reply"`
}

func (s *Server) postTweet(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	idx := s.recordAttempt(r, body)
	if !s.authenticate(w, r, idx, body) {
		return
	}
	req, ok := s.decodeCreate(w, r, idx, body)
	if !ok {
		return
	}
	if s.budgetExhausted(w, idx) {
		return
	}
	fault, faulty := s.faults.Next()
	if faulty && !fault.Publish {
		s.misbehave(w, r, idx, fault)
		return
	}
	tw, status, detail := s.create(req)
	switch {
	case status != http.StatusCreated:
		s.problem(w, idx, status, detail)
	case faulty:
		s.misbehave(w, r, idx, fault)
	default:
		s.answer(w, idx, http.StatusCreated, map[string]any{"data": map[string]string{"id": tw.ID, "text": shortenLinks(tw.Text)}})
	}
}

// decodeCreate checks what our client must send: JSON with the text and,
// for a reply, reply.in_reply_to_tweet_id, and nothing else.
func (s *Server) decodeCreate(w http.ResponseWriter, r *http.Request, idx int, body []byte) (createRequest, bool) {
	var req createRequest
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Errorf("xtest: POST /2/tweets Content-Type = %q, want application/json", ct)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	switch {
	case err != nil:
		s.t.Errorf("xtest: POST /2/tweets body %q: %v", body, err)
	case req.Text == nil:
		s.t.Errorf("xtest: POST /2/tweets body %q has no text", body)
	case req.Reply != nil && req.Reply.InReplyToTweetID == "":
		s.t.Errorf("xtest: POST /2/tweets body %q has a reply without in_reply_to_tweet_id", body)
	default:
		return req, true
	}
	s.answerRaw(w, idx, http.StatusBadRequest, nil, `{"errors":[{"message":"Invalid JSON"}],"title":"Invalid Request",`+
		`"detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`)
	return req, false
}

// create validates the post like X and stores it.
func (s *Server) create(req createRequest) (Tweet, int, string) {
	text := *req.Text
	reply := ""
	if req.Reply != nil {
		reply = req.Reply.InReplyToTweetID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// textlen.X is checked against twitter-text's own conformance file.
	if !textlen.X().Fits(text) {
		return Tweet{}, http.StatusBadRequest, TooLongDetail
	}
	if reply != "" && !s.hasTweet(reply) {
		return Tweet{}, http.StatusForbidden, ReplyGoneDetail
	}
	for _, tw := range s.tweets {
		if tw.Text == text {
			return Tweet{}, http.StatusForbidden, DuplicateDetail
		}
	}
	tw := Tweet{ID: strconv.FormatInt(firstID+int64(len(s.tweets)), 10), Text: text, InReplyTo: reply, Created: s.now().UTC()}
	s.tweets = append(s.tweets, tw)
	for _, b := range s.budgets {
		b.Remaining = max(b.Remaining-1, 0)
	}
	return tw, http.StatusCreated, ""
}

func (s *Server) hasTweet(id string) bool {
	for _, tw := range s.tweets {
		if tw.ID == id {
			return true
		}
	}
	return false
}

var linkPattern = regexp.MustCompile(`https?://[^\s]+`)

// shortenLinks mimics X answering with its t.co links in place of URLs.
func shortenLinks(text string) string {
	return linkPattern.ReplaceAllString(text, "https://t.co/AbCdEfGh12")
}

func (s *Server) usersMe(w http.ResponseWriter, r *http.Request) {
	idx := s.recordAttempt(r, nil)
	if !s.authenticate(w, r, idx, nil) {
		return
	}
	a := s.Account()
	s.answer(w, idx, http.StatusOK, map[string]any{"data": map[string]string{"id": a.ID, "name": a.Name, "username": a.Username}})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	idx := s.recordAttempt(r, nil)
	s.answerRaw(w, idx, http.StatusNotFound, nil, `{"errors":[{"message":"Sorry, that page does not exist","code":34}]}`)
}

// misbehave shows a fault: no answer, a dropped connection, or an error.
func (s *Server) misbehave(w http.ResponseWriter, r *http.Request, idx int, f Fault) {
	switch {
	case f.Hang:
		fake.Hang(r, s.done)
	case f.Drop:
		fake.Drop(w)
	default:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		body := f.Body
		if body == "" {
			body = problemJSON(status, http.StatusText(status))
		}
		s.answerRaw(w, idx, status, f.Header, body)
	}
}

func (s *Server) recordAttempt(r *http.Request, body []byte) int {
	return s.attempts.Add(Attempt{
		Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"),
		UserAgent: r.Header.Get("User-Agent"), Body: string(body),
	})
}

// problemJSON is X's problem document for errors without a special body.
func problemJSON(status int, detail string) string {
	b, _ := json.Marshal(map[string]any{"title": http.StatusText(status), "type": "about:blank", "status": status, "detail": detail})
	return string(b)
}

func (s *Server) problem(w http.ResponseWriter, idx, status int, detail string) {
	s.answerRaw(w, idx, status, nil, problemJSON(status, detail))
}

func (s *Server) answer(w http.ResponseWriter, idx, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.t.Errorf("xtest: encode answer: %v", err)
	}
	s.answerRaw(w, idx, status, nil, string(b))
}

// answerRaw writes body with X's headers: JSON (X sends problem documents
// as application/json too), the 15-minute window, and 24-hour budgets.
func (s *Server) answerRaw(w http.ResponseWriter, idx, status int, extra http.Header, body string) {
	s.attempts.Update(idx, func(a *Attempt) { a.Status = status })
	s.mu.Lock()
	s.rateHeaders(w.Header())
	s.mu.Unlock()
	for k, vs := range extra {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

// rateWindow is X's 15-minute request window, reported in x-rate-limit-*.
type rateWindow struct {
	start time.Time
	used  int
}

const (
	windowLimit = 100
	windowSpan  = 15 * time.Minute
)

// rateHeaders sets the rate-limit headers X sends on every answer; s.mu
// is held.
func (s *Server) rateHeaders(h http.Header) {
	now := s.now()
	if now.Sub(s.window.start) >= windowSpan {
		s.window = rateWindow{start: now}
	}
	s.window.used++
	h.Set("x-rate-limit-limit", strconv.Itoa(windowLimit))
	h.Set("x-rate-limit-remaining", strconv.Itoa(max(windowLimit-s.window.used, 0)))
	h.Set("x-rate-limit-reset", strconv.FormatInt(s.window.start.Add(windowSpan).Unix(), 10))
	for kind, b := range s.budgets {
		prefix := "x-" + kind + "-limit-24hour-"
		h.Set(prefix+"limit", strconv.Itoa(b.Limit))
		h.Set(prefix+"remaining", strconv.Itoa(b.Remaining))
		h.Set(prefix+"reset", strconv.FormatInt(b.Reset.Unix(), 10))
	}
}

// budgetExhausted refills the budgets whose day is over and answers 429
// while one is spent.
func (s *Server) budgetExhausted(w http.ResponseWriter, idx int) bool {
	s.mu.Lock()
	spent := false
	for _, b := range s.budgets {
		for !s.now().Before(b.Reset) {
			b.Remaining, b.Reset = b.Limit, b.Reset.Add(24*time.Hour)
		}
		spent = spent || b.Remaining == 0
	}
	s.mu.Unlock()
	if spent {
		s.answerRaw(w, idx, http.StatusTooManyRequests, nil, problemJSON(http.StatusTooManyRequests, "Too Many Requests"))
	}
	return spent
}

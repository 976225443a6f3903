package misskeytest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
)

func post(t *testing.T, s *Server, endpoint, contentType, body string, auth bool) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/api/"+endpoint, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if auth {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var doc map[string]any
	json.Unmarshal(data, &doc)
	return resp.StatusCode, doc
}

func TestServerFailsWhatOurClientMustNotSend(t *testing.T) {
	const js = "application/json"
	tests := []struct {
		name, contentType, body string
		wantErr                 string // "" means no test failure expected
	}{
		{"complete", js, `{"text":"x","visibility":"home","cw":"c","replyId":null}`, ""},
		{"no visibility", js, `{"text":"x"}`, "without visibility"},
		{"lang is a fork's", js, `{"text":"x","visibility":"home","lang":"ja"}`, `"lang"`},
		{"token in the body", js, `{"text":"x","visibility":"home","i":"t"}`, "token is in the body"},
		{"a form", "application/x-www-form-urlencoded", `text=x`, "Content-Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &fake.RecordingTB{TB: t}
			s := NewServer(rec)
			post(t, s, "notes/create", tt.contentType, tt.body, true)
			errs := rec.Errors()
			if tt.wantErr == "" && len(errs) != 0 || tt.wantErr != "" && (len(errs) == 0 || !strings.Contains(errs[0], tt.wantErr)) {
				t.Errorf("fake reported %q, want %q", errs, tt.wantErr)
			}
		})
	}
}

func TestServerAnswersLikeMisskey(t *testing.T) {
	s := NewServer(t, WithMaxNoteLength(10))
	const js = "application/json"
	status, doc := post(t, s, "notes/create", js, `{"text":"こんにちは","visibility":"home"}`, true)
	created, _ := doc["createdNote"].(map[string]any)
	if status != 200 || created["id"] == "" || created["text"] != "こんにちは" || created["userId"] != UserID {
		t.Fatalf("create = %d %v", status, doc)
	}
	status, doc = post(t, s, "notes/create", js, `{"text":"01234567890","visibility":"home"}`, true)
	e, _ := doc["error"].(map[string]any)
	info, _ := e["info"].(map[string]any)
	if status != 400 || e["code"] != "INVALID_PARAM" || info["param"] != "#/properties/text/maxLength" {
		t.Errorf("11 characters over a limit of 10 = %d %v", status, doc)
	}
	status, doc = post(t, s, "notes/create", js, `{"text":"x","visibility":"home"}`, false)
	if e, _ := doc["error"].(map[string]any); status != 401 || e["code"] != "CREDENTIAL_REQUIRED" {
		t.Errorf("without a token = %d %v", status, doc)
	}
	status, doc = post(t, s, "meta", js, `{"detail":false}`, false)
	if status != 200 || doc["maxNoteTextLength"] != float64(10) {
		t.Errorf("meta = %d %v", status, doc)
	}
	status, doc = post(t, s, "i", js, `{}`, true)
	if status != 200 || doc["id"] != UserID || doc["username"] != "bot" {
		t.Errorf("i = %d %v", status, doc)
	}
	if status, _ := post(t, s, "notes/show", js, `{}`, true); status != 404 {
		t.Errorf("an endpoint the fake does not have = %d, want 404", status)
	}
}

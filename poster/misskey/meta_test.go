package misskey

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRule(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		limit   int
		wantErr bool
	}{
		{"announced", func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || r.URL.Path != "/api/meta" {
				http.NotFound(w, r)
				return
			}
			w.Write([]byte(`{"name":"misskey.example","maxNoteTextLength":5000}`))
		}, 5000, false},
		{"not announced", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"name":"x"}`)) }, 3000, false},
		{"server error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusBadGateway) }, 3000, true},
		{"not JSON", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`<html>`)) }, 3000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			rule, err := Rule(context.Background(), srv.Client(), srv.URL+"/")
			if rule.Limit() != tt.limit || rule.Platform() != "misskey" || (err != nil) != tt.wantErr {
				t.Errorf("Rule = %s %d, %v; want misskey %d, error %v", rule.Platform(), rule.Limit(), err, tt.limit, tt.wantErr)
			}
		})
	}
}

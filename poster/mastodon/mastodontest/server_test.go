package mastodontest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
)

func postForm(t *testing.T, s *Server, form url.Values) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/api/v1/statuses", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestServerFailsIncompleteForms(t *testing.T) {
	tests := []struct {
		name    string
		form    url.Values
		wantErr string // "" means no test failure expected
	}{
		{"complete", url.Values{"status": {"x"}, "visibility": {"unlisted"}, "language": {"ja"}}, ""},
		{"no language", url.Values{"status": {"x"}, "visibility": {"unlisted"}}, "no language"},
		{"no visibility", url.Values{"status": {"x"}, "language": {"ja"}}, "no visibility"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &fake.RecordingTB{TB: t}
			s := NewServer(rec)
			postForm(t, s, tt.form)
			errs := rec.Errors()
			if tt.wantErr == "" && len(errs) != 0 || tt.wantErr != "" && (len(errs) != 1 || !strings.Contains(errs[0], tt.wantErr)) {
				t.Errorf("fake reported %q, want %q", errs, tt.wantErr)
			}
		})
	}
}

func TestServerInstanceEndpoints(t *testing.T) {
	tests := []struct {
		api    InstanceAPI
		v2, v1 int
	}{
		{InstanceV2, 200, 200},
		{InstanceV1Only, 404, 200},
		{InstanceNone, 404, 404},
	}
	for _, tt := range tests {
		s := NewServer(t, WithInstance(tt.api))
		for path, want := range map[string]int{"/api/v2/instance": tt.v2, "/api/v1/instance": tt.v1} {
			resp, err := http.Get(s.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("instance API %d: GET %s = %d, want %d", tt.api, path, resp.StatusCode, want)
			}
		}
		if got := s.InstanceRequests(); got != 2 {
			t.Errorf("InstanceRequests() = %d, want 2", got)
		}
	}
}

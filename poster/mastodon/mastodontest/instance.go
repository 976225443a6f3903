package mastodontest

import (
	"encoding/json"
	"net/http"
)

// getInstance serves the instance document for version when the server is
// configured to offer it (v2 servers also offer v1, as Mastodon does).
func (s *Server) getInstance(version InstanceAPI) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.instanceRequests++
		fault := s.instanceFault
		s.mu.Unlock()
		if fault != 0 {
			writeError(w, fault, "unavailable")
			return
		}
		offered := s.instance == InstanceV2 || (s.instance == InstanceV1Only && version == InstanceV1Only)
		if !offered {
			writeError(w, http.StatusNotFound, "Record not found")
			return
		}
		doc := s.instanceV1()
		if version == InstanceV2 {
			doc = s.instanceV2()
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(doc)
	}
}

func (s *Server) statusesConfig() map[string]any {
	return map[string]any{
		"max_characters":              s.maxChars,
		"max_media_attachments":       4,
		"characters_reserved_per_url": s.urlChars,
	}
}

// instanceV2 mirrors the shape of Mastodon 4.x's /api/v2/instance.
func (s *Server) instanceV2() map[string]any {
	return map[string]any{
		"domain":      "mastodon.test",
		"title":       "Fake Mastodon",
		"version":     "4.3.2",
		"source_url":  "https://github.com/mastodon/mastodon",
		"description": "A fake instance for tests.",
		"languages":   []string{"ja", "en"},
		"usage":       map[string]any{"users": map[string]any{"active_month": 1}},
		"configuration": map[string]any{
			"urls":     map[string]any{"streaming": "wss://mastodon.test"},
			"accounts": map[string]any{"max_featured_tags": 10},
			"statuses": s.statusesConfig(),
			"polls": map[string]any{
				"max_options": 4, "max_characters_per_option": 50,
				"min_expiration": 300, "max_expiration": 2629746,
			},
			"translation": map[string]any{"enabled": false},
		},
		"registrations": map[string]any{"enabled": false, "approval_required": false},
		"contact":       map[string]any{"email": "admin@mastodon.test"},
		"rules":         []any{},
	}
}

// instanceV1 mirrors the shape of Mastodon 3.x's /api/v1/instance.
func (s *Server) instanceV1() map[string]any {
	return map[string]any{
		"uri":               "mastodon.test",
		"title":             "Fake Mastodon",
		"short_description": "A fake instance for tests.",
		"email":             "admin@mastodon.test",
		"version":           "3.5.3",
		"urls":              map[string]any{"streaming_api": "wss://mastodon.test"},
		"stats":             map[string]any{"user_count": 1, "status_count": 0, "domain_count": 1},
		"languages":         []string{"ja"},
		"registrations":     false,
		"configuration":     map[string]any{"statuses": s.statusesConfig()},
	}
}

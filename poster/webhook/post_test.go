package webhook_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/webhook"
	"github.com/itsecbot/itsecbot/poster/webhook/webhooktest"
)

// The receiver gets each story's fields beside the composed text.
func TestPayload(t *testing.T) {
	srv := webhooktest.NewServer(t)
	published := time.Date(2026, 10, 8, 9, 0, 0, 0, time.FixedZone("JST", 9*3600))
	post := poster.Post{Text: "【まとめ】\n1. 脆弱性\nhttps://jvn.jp/vu/JVNVU12345678/", IdempotencyKey: "itsecbot-0123", Stories: []poster.Story{
		{Title: "脆弱性", Link: "https://jvn.jp/vu/JVNVU12345678/", Sources: []string{"JVN"}, Identifier: "JVNVU#12345678",
			CVEs: []string{"CVE-2026-1234"}, CVSSScore: 9.8, Severity: "Critical", Published: published},
		{Title: "注意喚起", Link: "https://www.jpcert.or.jp/at/2026/at260001.html"},
	}}
	p, err := webhook.New(webhook.Config{Name: "csirt", URL: srv.URL, Secret: webhooktest.Secret, Language: "ja"})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := p.Post(t.Context(), post)
	if err != nil {
		t.Fatal(err)
	}
	d := srv.Deliveries()
	if len(d) != 1 || rc.ID != d[0].ID || !d[0].Signed {
		t.Fatalf("deliveries %+v, receipt %+v; want one signed delivery with the receipt's ID", d, rc)
	}
	var got, want any
	if err := json.Unmarshal(d[0].Payload, &got); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(`{"idempotency_key": "itsecbot-0123", "poster": "csirt", "language": "ja",
		"text": "【まとめ】\n1. 脆弱性\nhttps://jvn.jp/vu/JVNVU12345678/",
		"stories": [
			{"title": "脆弱性", "link": "https://jvn.jp/vu/JVNVU12345678/", "sources": ["JVN"], "severity": "Critical",
			 "cvss_score": 9.8, "cves": ["CVE-2026-1234"], "identifier": "JVNVU#12345678", "published": "2026-10-08T00:00:00Z"},
			{"title": "注意喚起", "link": "https://www.jpcert.or.jp/at/2026/at260001.html", "sources": [], "cves": []}
		]}`), &want)
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("payload\n got %s\nwant %s", gotJSON, wantJSON)
	}
}

// After an unknown outcome the post is sent again with the same key, and
// the receiver keeps one delivery.
func TestRetrySameKeyDelivesOnce(t *testing.T) {
	srv := webhooktest.NewServer(t)
	srv.Inject(webhooktest.Fault{Publish: true, Drop: true})
	p := newPoster(t, srv, webhooktest.Secret)
	post := poster.Post{Text: "脆弱性 #itsec_jp", IdempotencyKey: "itsecbot-retry"}
	if _, err := p.Post(t.Context(), post); poster.DeliveryOf(err) != poster.Unknown {
		t.Fatalf("first attempt: %v, want an unknown outcome", err)
	}
	rc, err := p.Post(t.Context(), post)
	if err != nil {
		t.Fatal(err)
	}
	if d := srv.Deliveries(); len(d) != 1 || d[0].ID != rc.ID || srv.Requests() != 2 {
		t.Errorf("deliveries %+v after %d requests, receipt %+v; want one, with the receipt's ID", d, srv.Requests(), rc)
	}
}

func TestUnsignedWithoutSecret(t *testing.T) {
	srv := webhooktest.NewServer(t, webhooktest.WithSecret(""), webhooktest.WithNoContent())
	rc, err := newPoster(t, srv, "").Post(t.Context(), poster.Post{Text: "脆弱性", IdempotencyKey: "itsecbot-k"})
	if err != nil {
		t.Fatal(err)
	}
	if d := srv.Deliveries(); len(d) != 1 || d[0].Signed || rc.ID != "itsecbot-k" {
		t.Errorf("deliveries %+v, receipt %+v; want one unsigned, the key as ID", d, rc)
	}
}

func TestErrorsClassified(t *testing.T) {
	tests := []struct {
		name     string
		fault    webhooktest.Fault
		delivery poster.Delivery
		cause    poster.Cause
		message  string
	}{
		{"conflict is a duplicate", webhooktest.Fault{Status: http.StatusConflict, Body: `{"error": "key already used"}`}, poster.Rejected, poster.CauseDuplicate, "key already used"},
		{"unauthorized", webhooktest.Fault{Status: http.StatusUnauthorized, Body: `{"message": "bad signature"}`}, poster.NotDelivered, poster.CauseAuth, "bad signature"},
		{"too large", webhooktest.Fault{Status: http.StatusRequestEntityTooLarge}, poster.Rejected, poster.CauseTooLong, "request entity too large"},
		{"unavailable", webhooktest.Fault{Status: http.StatusServiceUnavailable, Header: http.Header{"Retry-After": {"120"}}}, poster.NotDelivered, poster.CauseUnavailable, ""},
		{"gateway timeout", webhooktest.Fault{Status: http.StatusGatewayTimeout}, poster.Unknown, poster.CauseUnavailable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := webhooktest.NewServer(t)
			srv.Inject(tt.fault)
			_, err := newPoster(t, srv, webhooktest.Secret).Post(t.Context(), poster.Post{Text: "脆弱性", IdempotencyKey: "itsecbot-e"})
			if poster.DeliveryOf(err) != tt.delivery || poster.CauseOf(err) != tt.cause || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %v (%v, %v), want %v, %v, %q", err, poster.DeliveryOf(err), poster.CauseOf(err), tt.delivery, tt.cause, tt.message)
			}
			if strings.Contains(err.Error(), webhooktest.Secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

func TestURLCredentialHidden(t *testing.T) {
	p, err := webhook.New(webhook.Config{URL: "http://127.0.0.1:1/hooks/itsecbot?token=tOkEn0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Post(t.Context(), poster.Post{Text: "脆弱性", IdempotencyKey: "k"})
	if poster.DeliveryOf(err) != poster.NotDelivered || strings.Contains(err.Error(), "tOkEn0123456789abcdef") {
		t.Errorf("Post to a closed port: %v", err)
	}
}

package webhook_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
	"github.com/itsecbot/itsecbot/poster/postertest"
	"github.com/itsecbot/itsecbot/poster/webhook"
	"github.com/itsecbot/itsecbot/poster/webhook/webhooktest"
)

func newPoster(t *testing.T, srv *webhooktest.Server, secret string) *webhook.Poster {
	t.Helper()
	p, err := webhook.New(webhook.Config{URL: srv.URL, Secret: secret, Timeout: time.Second}) // FaultSlow outlasts it
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

func harness(t *testing.T) postertest.Harness {
	srv := webhooktest.NewServer(t)
	return postertest.Harness{
		Poster: newPoster(t, srv, webhooktest.Secret),
		Published: hooktest.Published(srv.Deliveries, func(d webhooktest.Delivery) postertest.Published {
			return postertest.Published{ID: d.ID, Text: d.Text, IdempotencyKey: d.Key}
		}),
		Inject: func(f postertest.Fault) { srv.Inject(fault(f)) },
	}
}

// fault maps a contract fault to what a receiver answers.
func fault(f postertest.Fault) webhooktest.Fault {
	jsonBody := http.Header{"Content-Type": {"application/json"}}
	switch f {
	case postertest.FaultRefuse:
		return webhooktest.Fault{Status: http.StatusUnprocessableEntity, Header: jsonBody, Body: `{"error": "stories: unknown severity"}`}
	case postertest.FaultRateLimit:
		return webhooktest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"60"}}, Body: "slow down"}
	case postertest.FaultServerError:
		return webhooktest.Fault{Status: http.StatusInternalServerError, Body: "database is locked"}
	}
	return hooktest.ContractFault(f)
}

func TestContract(t *testing.T) { postertest.Run(t, harness) }

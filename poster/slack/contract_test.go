package slack_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/internal/hook"
	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
	"github.com/itsecbot/itsecbot/poster/postertest"
	"github.com/itsecbot/itsecbot/poster/slack"
	"github.com/itsecbot/itsecbot/poster/slack/slacktest"
)

func newPoster(t *testing.T, srv *slacktest.Server) *slack.Poster {
	t.Helper()
	p, err := slack.New(slack.Config{WebhookURL: srv.URL, Timeout: time.Second}) // FaultSlow outlasts it
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

func harness(t *testing.T) postertest.Harness {
	srv := slacktest.NewServer(t)
	return postertest.Harness{
		Poster: newPoster(t, srv),
		Published: hooktest.Published(srv.Messages, func(m slacktest.Message) postertest.Published {
			return postertest.Published{ID: hook.Fingerprint(m.Body), Text: m.Shown}
		}),
		Inject: func(f postertest.Fault) { srv.Inject(fault(f)) },
	}
}

// fault maps a contract fault to what Slack answers.
func fault(f postertest.Fault) slacktest.Fault {
	switch f {
	case postertest.FaultRefuse:
		return slacktest.Fault{Status: http.StatusBadRequest, Body: "invalid_payload"}
	case postertest.FaultRateLimit:
		return slacktest.Fault{Status: http.StatusTooManyRequests, Body: "rate_limited", Header: http.Header{"Retry-After": {"60"}}}
	case postertest.FaultServerError:
		return slacktest.Fault{Status: http.StatusInternalServerError, Body: "rollup_error"}
	}
	return hooktest.ContractFault(f)
}

func TestContract(t *testing.T) { postertest.Run(t, harness) }

package teams_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
	"github.com/itsecbot/itsecbot/poster/postertest"
	"github.com/itsecbot/itsecbot/poster/teams"
	"github.com/itsecbot/itsecbot/poster/teams/teamstest"
)

func newPoster(t *testing.T, srv *teamstest.Server) *teams.Poster {
	t.Helper()
	p, err := teams.New(teams.Config{WebhookURL: srv.URL, Timeout: time.Second}) // FaultSlow outlasts it
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

func harness(t *testing.T) postertest.Harness {
	srv := teamstest.NewServer(t)
	return postertest.Harness{
		Poster: newPoster(t, srv),
		Published: hooktest.Published(srv.Messages, func(m teamstest.Message) postertest.Published {
			return postertest.Published{ID: m.RunID, Text: m.Shown}
		}),
		Inject: func(f postertest.Fault) { srv.Inject(fault(f)) },
	}
}

// fault maps a contract fault to what a Workflows trigger answers.
func fault(f postertest.Fault) teamstest.Fault {
	switch f {
	case postertest.FaultRefuse:
		return teamstest.ErrorFault(http.StatusBadRequest, "TriggerInputSchemaMismatch",
			"The input body for trigger 'manual' of type 'Request' did not match its schema definition.")
	case postertest.FaultRateLimit:
		f := teamstest.ErrorFault(http.StatusTooManyRequests, "WorkflowRequestsThrottled", "Rate limit is exceeded. Try again in 60 seconds.")
		f.Header.Set("Retry-After", "60")
		return f
	case postertest.FaultServerError:
		return teamstest.ErrorFault(http.StatusInternalServerError, "InternalServerError", "Encountered an internal server error.")
	}
	return hooktest.ContractFault(f)
}

func TestContract(t *testing.T) { postertest.Run(t, harness) }

package discord_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/discord"
	"github.com/itsecbot/itsecbot/poster/discord/discordtest"
	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
	"github.com/itsecbot/itsecbot/poster/postertest"
)

func newPoster(t *testing.T, srv *discordtest.Server) *discord.Poster {
	t.Helper()
	p, err := discord.New(discord.Config{WebhookURL: srv.URL, Timeout: time.Second}) // FaultSlow outlasts it
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

func harness(t *testing.T) postertest.Harness {
	srv := discordtest.NewServer(t)
	return postertest.Harness{
		Poster: newPoster(t, srv),
		Published: hooktest.Published(srv.Messages, func(m discordtest.Message) postertest.Published {
			return postertest.Published{ID: m.ID, Text: m.Shown}
		}),
		Inject: func(f postertest.Fault) { srv.Inject(fault(f)) },
	}
}

// fault maps a contract fault to what Discord answers.
func fault(f postertest.Fault) discordtest.Fault {
	switch f {
	case postertest.FaultRefuse:
		return discordtest.FormError("content", "CONTENT_TYPE_INVALID", "Invalid content.")
	case postertest.FaultRateLimit:
		return discordtest.RateLimited(59.87)
	case postertest.FaultServerError:
		return discordtest.Fault{Status: http.StatusInternalServerError, Body: `{"message": "500: Internal Server Error", "code": 0}`}
	}
	return hooktest.ContractFault(f)
}

func TestContract(t *testing.T) { postertest.Run(t, harness) }

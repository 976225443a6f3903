package teams_test

import (
	"testing"

	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
	"github.com/itsecbot/itsecbot/poster/teams"
)

func TestConfigure(t *testing.T) {
	hooktest.TestChatConfig(t, hooktest.ChatConfig{
		Type: "teams", Platform: teams.Platform{},
		URL: "https://prod-12.japaneast.logic.azure.com:443/workflows/0a1b/triggers/manual/paths/invoke" +
			"?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=sEcReT0123456789abcdefXY",
		Refused: []hooktest.Refusal{
			{Name: "not a URL", URL: "logic.azure.com/x", Error: "http(s) URL"},
			{Name: "retired connector", URL: "https://x.webhook.office.com/webhookb2/sEcReT", Error: "retired"},
		},
	})
}

package discord_test

import (
	"testing"

	"github.com/itsecbot/itsecbot/poster/discord"
	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
)

func TestConfigure(t *testing.T) {
	hooktest.TestChatConfig(t, hooktest.ChatConfig{
		Type: "discord", Platform: discord.Platform{},
		URL: "https://discord.com/api/webhooks/1234567890123456789/sEcReT0123456789abcdefXY",
		Refused: []hooktest.Refusal{
			{Name: "not a URL", URL: "https://discord.com/channels/1/2", Error: "api/webhooks/ID/TOKEN"},
		},
	})
}

package slack_test

import (
	"testing"

	"github.com/itsecbot/itsecbot/poster/internal/hooktest"
	"github.com/itsecbot/itsecbot/poster/slack"
)

func TestConfigure(t *testing.T) {
	hooktest.TestChatConfig(t, hooktest.ChatConfig{
		Type: "slack", Platform: slack.Platform{},
		URL: "https://hooks.slack.com/services/T0ITSEC/B0ITSEC/sEcReT0123456789abcdefXY",
		Refused: []hooktest.Refusal{
			{Name: "not a URL", URL: "hooks.slack.com/x", Error: "http(s) URL"},
		},
	})
}

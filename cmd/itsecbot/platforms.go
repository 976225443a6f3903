package main

import (
	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster/bluesky"
	"github.com/itsecbot/itsecbot/poster/discord"
	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/poster/misskey"
	"github.com/itsecbot/itsecbot/poster/slack"
	"github.com/itsecbot/itsecbot/poster/stdout"
	"github.com/itsecbot/itsecbot/poster/teams"
	"github.com/itsecbot/itsecbot/poster/webhook"
	"github.com/itsecbot/itsecbot/poster/x"
)

// platforms is the table of poster types. Adding a platform is one package
// under poster/ and one line here.
func platforms() config.Platforms {
	return config.Platforms{
		"bluesky":  bluesky.Platform{},
		"mastodon": mastodon.Platform{},
		"misskey":  misskey.Platform{},
		"stdout":   stdout.Platform{},
		"x":        x.Platform{},
		"slack":    slack.Platform{},
		"discord":  discord.Platform{},
		"teams":    teams.Platform{},
		"webhook":  webhook.Platform{},
	}
}

package main

import (
	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/poster/bluesky"
	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/poster/stdout"
)

// platforms is the table of poster types. Adding a platform is one package
// under poster/ and one line here.
func platforms() config.Platforms {
	return config.Platforms{
		"bluesky":  bluesky.Platform{},
		"mastodon": mastodon.Platform{},
		"stdout":   stdout.Platform{},
	}
}

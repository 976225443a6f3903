package config

import (
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/poster/stdout"
	"github.com/itsecbot/itsecbot/textlen"
)

func testPlatforms() Platforms {
	return Platforms{"mastodon": mastodon.Platform{}, "stdout": stdout.Platform{}, "secret": secretPlatform{}}
}

// secretPlatform shows what a Block resolves: one credential.
type secretPlatform struct{}

type secretSettings struct {
	Token     string `yaml:"token"`
	TokenFile string `yaml:"token_file"`

	secret, missing string
}

func (secretPlatform) Configure(b poster.Block, _ *poster.Common) poster.Settings {
	s := &secretSettings{}
	if b.Decode(s) {
		s.secret, s.missing = b.Secret("token", s.Token, "token_file", s.TokenFile)
	}
	return s
}

func (s *secretSettings) Missing() string { return s.missing }
func (s *secretSettings) Fallback() textlen.Spec {
	return textlen.Spec{Platform: textlen.PlatformMastodon}
}
func (s *secretSettings) New(poster.Env) (poster.Poster, error) { return nil, nil }

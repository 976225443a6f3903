package mastodon

import (
	"strings"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// Platform is Mastodon's entry in the platform table.
type Platform struct{}

// settings is a mastodon entry of posters[].
type settings struct {
	Server          string `yaml:"server"`
	AccessToken     string `yaml:"access_token"`
	AccessTokenFile string `yaml:"access_token_file"`
	Visibility      string `yaml:"visibility"`
	SpoilerText     string `yaml:"spoiler_text"`

	token   string // resolved; never printed
	missing string
}

// Configure decodes and checks a mastodon entry. An unset server or token
// is not an error: the poster is reported and prints instead of sending.
func (Platform) Configure(b poster.Block, _ *poster.Common) poster.Settings {
	s := &settings{Visibility: DefaultVisibility}
	if !b.Decode(s) {
		return s
	}
	s.Server, s.missing = poster.ServerURL(b, "server", s.Server, "must be the instance's http(s) URL, like https://mastodon.example")
	if !visibilities[s.Visibility] {
		b.Fail("visibility", "must be public, unlisted, private or direct, not %q", s.Visibility)
	}
	tok, missing := b.Secret("access_token", s.AccessToken, "access_token_file", s.AccessTokenFile)
	if s.missing == "" {
		s.missing = missing
	}
	if s.missing == "" && strings.ContainsAny(tok, " \t\r\n") {
		b.Fail("access_token", "the token contains white space")
	}
	s.token = tok
	return s
}

func (s *settings) Missing() string { return s.missing }

func (s *settings) Fallback() textlen.Spec {
	return textlen.Spec{Platform: textlen.PlatformMastodon, Limit: fallbackMaxChars, URLChars: fallbackURLChars}
}

func (s *settings) New(env poster.Env) (poster.Poster, error) {
	return New(Config{
		Name: env.Common.Name, Server: s.Server, AccessToken: s.token, Visibility: s.Visibility,
		Language: env.Common.Language, SpoilerText: s.SpoilerText, UserAgent: env.UserAgent,
		Timeout: env.Common.TimeoutDuration, Transport: env.Transport,
	})
}

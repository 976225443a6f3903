package webhook

import (
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// Platform is the generic webhook's entry in the platform table.
type Platform struct{}

// settings is a webhook entry of posters[].
type settings struct {
	URL        string `yaml:"url"`
	Secret     string `yaml:"secret"`
	SecretFile string `yaml:"secret_file"`
	MaxChars   int    `yaml:"max_chars"`

	secret  string // resolved HMAC key; "" sends unsigned
	missing string
}

// Configure decodes and checks a webhook entry. The URL may hold ${VAR}; an
// unset variable, or a secret named but not set, is not an error: the
// poster is reported and prints instead of sending.
func (Platform) Configure(b poster.Block, _ *poster.Common) poster.Settings {
	s := &settings{}
	if !b.Decode(s) {
		return s
	}
	s.URL, s.missing = poster.ServerURL(b, "url", s.URL, urlProblem)
	if s.Secret != "" || s.SecretFile != "" {
		secret, missing := b.Secret("secret", s.Secret, "secret_file", s.SecretFile)
		s.secret = secret
		if s.missing == "" {
			s.missing = missing
		}
	}
	if s.MaxChars < 0 {
		b.Fail("max_chars", "must not be negative, not %d", s.MaxChars)
	}
	return s
}

func (s *settings) Missing() string { return s.missing }

func (s *settings) Fallback() textlen.Spec {
	return textlen.Spec{Platform: textlen.PlatformWebhook, Limit: s.MaxChars}
}

func (s *settings) New(env poster.Env) (poster.Poster, error) {
	return New(Config{
		Name: env.Common.Name, URL: s.URL, Secret: s.secret, MaxChars: s.MaxChars, Language: env.Common.Language,
		UserAgent: env.UserAgent, Timeout: env.Common.TimeoutDuration, Transport: env.Transport, Now: env.Now,
	})
}

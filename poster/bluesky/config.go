package bluesky

import (
	"strings"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// Platform is Bluesky's entry in the platform table.
type Platform struct{}

// settings is a bluesky entry of posters[].
type settings struct {
	Service         string `yaml:"service"`
	Identifier      string `yaml:"identifier"`
	AppPassword     string `yaml:"app_password"`
	AppPasswordFile string `yaml:"app_password_file"`

	password string // resolved; never printed
	missing  string
}

// Configure decodes and checks a bluesky entry. An unset identifier or
// app password is not an error: the poster is reported and prints instead
// of sending.
func (Platform) Configure(b poster.Block, _ *poster.Common) poster.Settings {
	s := &settings{Service: DefaultService}
	if !b.Decode(s) {
		return s
	}
	service, unsetService := b.Expand(s.Service)
	identifier, unsetID := b.Expand(s.Identifier)
	s.Service, s.Identifier = strings.TrimRight(service, "/"), strings.TrimSpace(identifier)
	switch unset := append(unsetService, unsetID...); {
	case len(unset) > 0:
		s.missing = poster.MissingEnv(unset)
	case s.Identifier == "":
		s.missing = "no identifier"
	}
	if s.missing == "" {
		if _, ok := poster.ParseHTTPURL(s.Service); !ok {
			b.Fail("service", "must be the PDS's http(s) URL, like https://bsky.social")
		}
		if strings.ContainsAny(s.Identifier, " \t") || strings.HasPrefix(s.Identifier, "@") {
			b.Fail("identifier", "must be a handle like itsecbot.bsky.social (no @) or a DID, not %q", s.Identifier)
		}
	}
	pw, missing := b.Secret("app_password", s.AppPassword, "app_password_file", s.AppPasswordFile)
	if s.missing == "" {
		s.missing = missing
	}
	if s.missing == "" && strings.ContainsAny(pw, " \t\r\n") {
		b.Fail("app_password", "the app password contains white space")
	}
	s.password = pw
	return s
}

func (s *settings) Missing() string { return s.missing }

func (s *settings) Fallback() textlen.Spec {
	return textlen.Spec{Platform: textlen.PlatformBluesky}
}

func (s *settings) New(env poster.Env) (poster.Poster, error) {
	var langs []string
	if env.Common.Language != "" {
		langs = []string{env.Common.Language}
	}
	return New(Config{
		Name: env.Common.Name, Service: s.Service, Identifier: s.Identifier, Password: s.password,
		Languages: langs, UserAgent: env.UserAgent, Timeout: env.Common.TimeoutDuration,
		State: env.State, Transport: env.Transport, Logger: env.Logger, Now: env.Now,
	})
}

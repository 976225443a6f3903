package discord

import (
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/hook"
	"github.com/itsecbot/itsecbot/textlen"
)

// Platform is Discord's entry in the platform table.
type Platform struct{}

// settings is a discord entry of posters[].
type settings struct {
	hook.Webhook `yaml:",inline"`
	LinkPreviews bool `yaml:"link_previews"`
}

// Configure decodes and checks a discord entry (see hook.Configure).
func (Platform) Configure(b poster.Block, common *poster.Common) poster.Settings {
	return hook.Configure(b, common, &settings{}, checkURL)
}

func (s *settings) Fallback() textlen.Spec { return textlen.Spec{Platform: textlen.PlatformDiscord} }

func (s *settings) New(env poster.Env) (poster.Poster, error) {
	return New(Config{
		Name: env.Common.Name, WebhookURL: s.URL(), LinkPreviews: s.LinkPreviews,
		UserAgent: env.UserAgent, Timeout: env.Common.TimeoutDuration, Transport: env.Transport, Now: env.Now,
	})
}

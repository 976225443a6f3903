package slack

import (
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/hook"
	"github.com/itsecbot/itsecbot/textlen"
)

// Platform is Slack's entry in the platform table.
type Platform struct{}

// settings is a slack entry of posters[].
type settings struct {
	WebhookURL     string `yaml:"webhook_url"`
	WebhookURLFile string `yaml:"webhook_url_file"`
	LinkPreviews   bool   `yaml:"link_previews"`

	url     string // resolved; a secret
	missing string
}

// Configure decodes and checks a slack entry. An unset webhook URL is not
// an error: the poster is reported and prints instead of sending. A chat
// channel gets a digest per message unless the entry says otherwise.
func (Platform) Configure(b poster.Block, common *poster.Common) poster.Settings {
	s := &settings{}
	hook.DigestByDefault(common)
	if !b.Decode(s) {
		return s
	}
	s.url, s.missing = hook.WebhookURL(b, s.WebhookURL, s.WebhookURLFile, checkURL)
	return s
}

func (s *settings) Missing() string { return s.missing }

func (s *settings) Fallback() textlen.Spec { return textlen.Spec{Platform: textlen.PlatformSlack} }

func (s *settings) New(env poster.Env) (poster.Poster, error) {
	return New(Config{
		Name: env.Common.Name, WebhookURL: s.url, LinkPreviews: s.LinkPreviews,
		UserAgent: env.UserAgent, Timeout: env.Common.TimeoutDuration, Transport: env.Transport, Now: env.Now,
	})
}

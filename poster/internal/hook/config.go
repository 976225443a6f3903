package hook

import "github.com/itsecbot/itsecbot/poster"

// Webhook holds the keys every chat webhook entry has: the webhook URL, a
// secret given as webhook_url (${VAR}) or webhook_url_file. A platform's
// settings embed it with `yaml:",inline"`, beside their own keys, and so
// get Missing.
type Webhook struct {
	WebhookURL     string `yaml:"webhook_url"`
	WebhookURLFile string `yaml:"webhook_url_file"`

	url     string // resolved; a secret
	missing string
}

// URL returns the resolved webhook URL, a secret.
func (w *Webhook) URL() string { return w.url }

// Missing says why the poster cannot send yet ("" when it can).
func (w *Webhook) Missing() string { return w.missing }

func (w *Webhook) webhook() *Webhook { return w }

// ChatSettings is a chat platform's settings: a struct that embeds Webhook.
type ChatSettings interface {
	poster.Settings
	webhook() *Webhook
}

// Configure decodes and checks a chat entry into s and returns s. It
// reports under webhook_url what check finds wrong with the URL. An unset
// webhook URL is not an error: the poster is reported and prints instead
// of sending. A chat channel gets a digest per message unless the entry
// names another layout.
func Configure(b poster.Block, common *poster.Common, s ChatSettings, check func(string) error) poster.Settings {
	if common.Layout == "" {
		common.Layout = "digest"
	}
	if !b.Decode(s) {
		return s
	}
	w := s.webhook()
	w.url, w.missing = b.Secret("webhook_url", w.WebhookURL, "webhook_url_file", w.WebhookURLFile)
	if w.missing == "" {
		if err := check(w.url); err != nil {
			b.Fail("webhook_url", "%v", err)
		}
	}
	return s
}

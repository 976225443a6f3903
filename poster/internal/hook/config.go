package hook

import "github.com/itsecbot/itsecbot/poster"

// DigestByDefault gives a chat channel a digest per message unless its
// entry names another layout.
func DigestByDefault(common *poster.Common) {
	if common.Layout == "" {
		common.Layout = "digest"
	}
}

// WebhookURL resolves a chat poster's webhook URL, a secret given as
// webhook_url (${VAR}) or webhook_url_file, and reports under webhook_url
// what check finds wrong with it. missing says why the poster cannot send
// yet.
func WebhookURL(b poster.Block, value, file string, check func(string) error) (url, missing string) {
	url, missing = b.Secret("webhook_url", value, "webhook_url_file", file)
	if missing == "" {
		if err := check(url); err != nil {
			b.Fail("webhook_url", "%v", err)
		}
	}
	return url, missing
}

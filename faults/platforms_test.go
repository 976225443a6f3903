package faults

import (
	"fmt"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
	"github.com/itsecbot/itsecbot/poster/misskey"
	"github.com/itsecbot/itsecbot/poster/misskey/misskeytest"
	"github.com/itsecbot/itsecbot/poster/webhook/webhooktest"
	"github.com/itsecbot/itsecbot/poster/x/xtest"
)

// The posters of the suite, by the name each has in the config.
const (
	mastodonPoster = "mastodon"
	misskeyPoster  = "misskey"
	xPoster        = "x"
	webhookPoster  = "webhook"
)

var allPosters = []string{mastodonPoster, misskeyPoster, xPoster, webhookPoster}

// platforms are the fakes of four platforms that differ in what they can
// tell after an unknown outcome: Mastodon and Misskey are read back, X
// refuses a repeated text, and the webhook receiver dedupes by key.
type platforms struct {
	masto *mastodontest.Server
	mk    *misskeytest.Server
	x     *xtest.Server
	hook  *webhooktest.Server
}

func newPlatforms(t *testing.T) *platforms {
	return &platforms{
		masto: mastodontest.NewServer(t, mastodontest.WithoutIdempotency()), // only reading back can tell
		mk:    misskeytest.NewServer(t, misskeytest.WithMaxNoteLength(600)),
		x:     xtest.NewServer(t),
		hook:  webhooktest.NewServer(t),
	}
}

// env holds the credentials, which the config names as variables.
func (p *platforms) env() []string {
	c := xtest.DefaultCredentials
	return []string{
		"FAULTS_MASTODON_TOKEN=" + p.masto.Token, "FAULTS_MISSKEY_TOKEN=" + p.mk.Token,
		"FAULTS_X_CONSUMER_KEY=" + c.ConsumerKey, "FAULTS_X_CONSUMER_SECRET=" + c.ConsumerSecret,
		"FAULTS_X_ACCESS_TOKEN=" + c.AccessToken, "FAULTS_X_ACCESS_TOKEN_SECRET=" + c.AccessTokenSecret,
		"FAULTS_WEBHOOK_SECRET=" + webhooktest.Secret,
	}
}

// yaml is the posters block, in the order given: the first poster is the
// one in flight when a crash point of delivery is hit.
func (p *platforms) yaml(order []string) string {
	var b strings.Builder
	b.WriteString("posters:\n")
	for _, name := range order {
		switch name {
		case mastodonPoster:
			fmt.Fprintf(&b, "  - type: mastodon\n    server: %s\n    access_token: ${FAULTS_MASTODON_TOKEN}\n", p.masto.URL)
		case misskeyPoster:
			fmt.Fprintf(&b, "  - type: misskey\n    server: %s\n    access_token: ${FAULTS_MISSKEY_TOKEN}\n", p.mk.URL)
		case xPoster:
			fmt.Fprintf(&b, "  - type: x\n    api_url: %s\n    consumer_key: ${FAULTS_X_CONSUMER_KEY}\n    consumer_secret: ${FAULTS_X_CONSUMER_SECRET}\n"+
				"    access_token: ${FAULTS_X_ACCESS_TOKEN}\n    access_token_secret: ${FAULTS_X_ACCESS_TOKEN_SECRET}\n    max_posts_per_day: 10000\n", p.x.URL)
		case webhookPoster:
			fmt.Fprintf(&b, "  - type: webhook\n    url: %s\n    secret: ${FAULTS_WEBHOOK_SECRET}\n", p.hook.URL)
		}
		b.WriteString("    timeout: 2s\n")
	}
	return b.String()
}

// published is one post as the platform holds it: plain text, its id and
// the id it answers.
type published struct {
	id, replyTo, text string
}

// posts returns what the platform of the poster named holds, in order.
func (p *platforms) posts(name string) []published {
	var out []published
	switch name {
	case mastodonPoster:
		for _, s := range p.masto.Statuses() {
			out = append(out, published{s.ID, s.InReplyToID, s.Text})
		}
	case misskeyPoster:
		for _, n := range p.mk.Notes() {
			out = append(out, published{n.ID, n.ReplyID, strings.ReplaceAll(misskey.Unneutralise(n.Text), "\u200b", "")})
		}
	case xPoster:
		for _, tw := range p.x.Tweets() {
			out = append(out, published{tw.ID, tw.InReplyTo, tw.Text})
		}
	case webhookPoster:
		for _, d := range p.hook.Deliveries() {
			out = append(out, published{d.ID, "", d.Text})
		}
	}
	return out
}

// faults are what a test can make a platform do to the next post.
type fault struct {
	status  int  // 0: hang (with publish) or the platform's normal answer
	publish bool // the post is stored before the fault
	refuse  bool // a refusal of the post's content
	hang    func()
}

// inject queues f for the next post to the poster's platform.
func (p *platforms) inject(name string, f fault) {
	switch name {
	case mastodonPoster:
		mf := mastodontest.Fault{Status: f.status, Publish: f.publish, Message: "fault", Hang: f.hang}
		if f.refuse {
			mf.Status, mf.Message = 422, "Validation failed: Text is invalid"
		}
		p.masto.Inject(mf)
	case misskeyPoster:
		mf := misskeytest.Fault{Status: f.status, Publish: f.publish, Hang: f.hang}
		if f.refuse {
			mf.Status, mf.Code, mf.Info = 400, "INVALID_PARAM", map[string]string{"param": "#/properties/text", "reason": "invalid"}
		}
		p.mk.Inject(mf)
	case xPoster:
		xf := xtest.Fault{Status: f.status, Publish: f.publish}
		if f.refuse {
			xf.Status, xf.Body = 400, `{"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`
		}
		p.x.Inject(xf)
	case webhookPoster:
		wf := webhooktest.Fault{Status: f.status, Publish: f.publish}
		if f.refuse {
			wf.Status = 422
		}
		p.hook.Inject(wf)
	}
}

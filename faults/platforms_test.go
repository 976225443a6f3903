package faults

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

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
	// proxy stands in front of each platform, by poster name: the bot
	// reaches the platforms through them.
	proxy map[string]*faultProxy
}

func newPlatforms(t *testing.T) *platforms {
	p := &platforms{
		masto: mastodontest.NewServer(t, mastodontest.WithoutIdempotency()), // only reading back can tell
		mk:    misskeytest.NewServer(t, misskeytest.WithMaxNoteLength(600)),
		x:     xtest.NewServer(t),
		hook:  webhooktest.NewServer(t),
	}
	p.proxy = map[string]*faultProxy{
		mastodonPoster: newFaultProxy(t, p.masto.URL, "POST /api/v1/statuses"),
		misskeyPoster:  newFaultProxy(t, p.mk.URL, "POST /api/notes/create"),
		xPoster:        newFaultProxy(t, p.x.URL, "POST /2/tweets"),
		webhookPoster:  newFaultProxy(t, p.hook.URL, "POST /hooks/itsecbot"),
	}
	return p
}

// url is where the bot reaches the poster's platform.
func (p *platforms) url(name string) string {
	if name == webhookPoster {
		return p.proxy[name].srv.URL + "/hooks/itsecbot"
	}
	return p.proxy[name].srv.URL
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
			fmt.Fprintf(&b, "  - type: mastodon\n    server: %s\n    access_token: ${FAULTS_MASTODON_TOKEN}\n", p.url(name))
		case misskeyPoster:
			fmt.Fprintf(&b, "  - type: misskey\n    server: %s\n    access_token: ${FAULTS_MISSKEY_TOKEN}\n", p.url(name))
		case xPoster:
			fmt.Fprintf(&b, "  - type: x\n    api_url: %s\n    consumer_key: ${FAULTS_X_CONSUMER_KEY}\n    consumer_secret: ${FAULTS_X_CONSUMER_SECRET}\n"+
				"    access_token: ${FAULTS_X_ACCESS_TOKEN}\n    access_token_secret: ${FAULTS_X_ACCESS_TOKEN_SECRET}\n    max_posts_per_day: 10000\n", p.url(name))
		case webhookPoster:
			fmt.Fprintf(&b, "  - type: webhook\n    url: %s\n    secret: ${FAULTS_WEBHOOK_SECRET}\n", p.url(name))
		}
		b.WriteString("    timeout: 5s\n")
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
	status  int         // the answer's status
	header  http.Header // the answer's extra headers (canonical names)
	publish bool        // the post is stored before the fault
	refuse  bool        // a refusal of the post's content
	drop    bool        // the connection is closed instead of answered
	hang    func()      // called instead of answering; the handler then waits for the client to give up
}

// inject queues f for the next post to the poster's platform.
func (p *platforms) inject(name string, f fault) {
	switch name {
	case mastodonPoster:
		mf := mastodontest.Fault{Status: f.status, Header: f.header, Publish: f.publish, Message: "fault", Hang: f.hang, Drop: f.drop}
		if f.refuse {
			mf.Status, mf.Message = 422, "Validation failed: Text is invalid"
		}
		p.masto.Inject(mf)
	case misskeyPoster:
		mf := misskeytest.Fault{Status: f.status, Header: f.header, Publish: f.publish, Hang: f.hang, Drop: f.drop}
		if f.refuse {
			mf.Status, mf.Code, mf.Info = 400, "INVALID_PARAM", map[string]string{"param": "#/properties/text", "reason": "invalid"}
		}
		p.mk.Inject(mf)
	case xPoster:
		xf := xtest.Fault{Status: f.status, Header: f.header, Publish: f.publish, Drop: f.drop}
		if f.refuse {
			xf.Status, xf.Body = 400, `{"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`
		}
		p.x.Inject(xf)
	case webhookPoster:
		wf := webhooktest.Fault{Status: f.status, Header: f.header, Publish: f.publish, Drop: f.drop}
		if f.refuse {
			wf.Status = 422
		}
		p.hook.Inject(wf)
	}
}

// attempts counts the posts the poster's platform received, whatever it
// answered.
func (p *platforms) attempts(name string) int {
	switch name {
	case mastodonPoster:
		return len(p.masto.Attempts())
	case misskeyPoster:
		return len(p.mk.Attempts())
	case xPoster:
		return p.x.Posts()
	default:
		return p.hook.Requests()
	}
}

// rateLimit is a 429 with the reset header the poster's platform sends,
// reset after d, and the time it says (X's is in whole seconds).
func rateLimit(name string, d time.Duration) (fault, time.Time) {
	at := time.Now().Add(d)
	h := http.Header{}
	switch name {
	case mastodonPoster:
		h.Set("X-Ratelimit-Limit", "300")
		h.Set("X-Ratelimit-Remaining", "0")
		h.Set("X-Ratelimit-Reset", at.UTC().Format(time.RFC3339Nano))
	case xPoster:
		h.Set("X-Rate-Limit-Remaining", "0")
		at = time.Unix(at.Unix()+1, 0)
		h.Set("X-Rate-Limit-Reset", strconv.FormatInt(at.Unix(), 10))
	default: // Misskey and receivers send Retry-After
		secs := int(d.Seconds() + 0.999)
		at = time.Now().Add(time.Duration(secs) * time.Second)
		h.Set("Retry-After", strconv.Itoa(secs))
	}
	return fault{status: http.StatusTooManyRequests, header: h}, at
}

// revoke makes the poster's platform refuse its credentials, or accept
// them again.
func (p *platforms) revoke(name string, revoked bool) {
	switch name {
	case mastodonPoster:
		p.masto.SetToken(map[bool]string{true: "a-new-token", false: p.masto.Token}[revoked])
	case misskeyPoster:
		p.mk.SetToken(map[bool]string{true: "a-new-token", false: p.mk.Token}[revoked])
	case xPoster:
		c := xtest.DefaultCredentials
		if revoked {
			c.AccessToken = "1234567890-a-new-token"
		}
		p.x.SetCredentials(c)
	case webhookPoster:
		p.proxy[name].denyAll(map[bool]int{true: http.StatusUnauthorized, false: 0}[revoked])
	}
}

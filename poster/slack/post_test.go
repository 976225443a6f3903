package slack_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/slack"
	"github.com/itsecbot/itsecbot/poster/slack/slacktest"
)

const (
	jvn    = "https://jvn.jp/vu/JVNVU12345678/"
	ipaURL = "https://www.ipa.go.jp/security/security-alert/2026/0212-ms.html?a=1&b=2"
)

// A digest's story lines become links labelled with their titles; feed
// text can neither mention the channel nor format.
func TestStoriesBecomeLinks(t *testing.T) {
	srv := slacktest.NewServer(t)
	title := "<!channel> & <@U024BE7LH> *緊急* _注意_ ~x~ `rm`"
	text := "【まとめ】2026/10/08 全2件 (1/1)\n1. 【JVN】" + title + "\n" + jvn + "\n2. 【IPA】Microsoft 製品の脆弱性対策\n" + ipaURL + "\n#itsec_jp #JVN"
	stories := []poster.Story{{Title: title, Link: jvn, Sources: []string{"JVN"}}, {Title: "Microsoft", Link: ipaURL}}
	if _, err := newPoster(t, srv).Post(t.Context(), poster.Post{Text: text, Stories: stories}); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	wantLinks := []slacktest.Link{
		{URL: jvn, Label: "【JVN】<!channel> & <@U024BE7LH> ∗緊急∗ ˍ注意ˍ ∼x∼ ˋrmˋ"},
		{URL: ipaURL, Label: "【IPA】Microsoft 製品の脆弱性対策"},
	}
	if !slices.Equal(m.Links, wantLinks) {
		t.Errorf("links\n got %q\nwant %q", m.Links, wantLinks)
	}
	for _, want := range []string{"&lt;!channel&gt; &amp; &lt;@U024BE7LH&gt;", "<" + strings.ReplaceAll(ipaURL, "&", "&amp;") + "|", "#itsec_jp #JVN"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("mrkdwn %q does not contain %q", m.Text, want)
		}
	}
	if m.UnfurlLinks {
		t.Error("links unfurled although link_previews is off")
	}
	wantShown := "【まとめ】2026/10/08 全2件 (1/1)\n1. " + wantLinks[0].Label + "\n2. " + wantLinks[1].Label + "\n#itsec_jp #JVN"
	if m.Shown != wantShown {
		t.Errorf("channel shows\n%s\nwant\n%s", m.Shown, wantShown)
	}
}

func TestErrorsClassified(t *testing.T) {
	tests := []struct {
		status   int
		body     string
		delivery poster.Delivery
		cause    poster.Cause
	}{
		{http.StatusBadRequest, "no_text", poster.Rejected, poster.CauseInvalid},
		{http.StatusBadRequest, "msg_too_long", poster.Rejected, poster.CauseTooLong},
		{http.StatusForbidden, "invalid_token", poster.NotDelivered, poster.CauseAuth},
		{http.StatusForbidden, "action_prohibited", poster.NotDelivered, poster.CauseAuth},
		{http.StatusNotFound, "no_service", poster.NotDelivered, poster.CauseAuth},
		{http.StatusNotFound, "channel_not_found", poster.NotDelivered, poster.CauseAuth},
		{http.StatusGone, "channel_is_archived", poster.NotDelivered, poster.CauseAuth},
		{http.StatusMovedPermanently, "", poster.NotDelivered, poster.CauseAuth},
		{http.StatusServiceUnavailable, "", poster.NotDelivered, poster.CauseUnavailable},
		{http.StatusBadGateway, "", poster.Unknown, poster.CauseUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			srv := slacktest.NewServer(t)
			srv.Inject(slacktest.Fault{Status: tt.status, Body: tt.body})
			_, err := newPoster(t, srv).Post(t.Context(), poster.Post{Text: "脆弱性 #itsec_jp"})
			if poster.DeliveryOf(err) != tt.delivery || poster.CauseOf(err) != tt.cause {
				t.Errorf("HTTP %d %s: %v (%v, %v), want %v, %v", tt.status, tt.body, err,
					poster.DeliveryOf(err), poster.CauseOf(err), tt.delivery, tt.cause)
			}
			if err != nil && !strings.Contains(err.Error(), tt.body) {
				t.Errorf("error %q does not say %q", err, tt.body)
			}
		})
	}
}

// The webhook URL is the credential: no error may print it.
func TestErrorsHideTheURL(t *testing.T) {
	const secret = "XyZsEcReTtOkEn0123456789"
	tests := []struct{ name, url string }{
		{"refused connection", "http://127.0.0.1:1/services/T1/B1/" + secret},
		{"unknown host", "https://hooks.invalid/services/T1/B1/" + secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := slack.New(slack.Config{WebhookURL: tt.url})
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Post(t.Context(), poster.Post{Text: "脆弱性"})
			if poster.DeliveryOf(err) != poster.NotDelivered || poster.CauseOf(err) != poster.CauseUnavailable {
				t.Errorf("error %v, want not delivered, unavailable", err)
			}
			if err == nil || strings.Contains(err.Error(), secret) {
				t.Errorf("error %q shows the webhook secret", err)
			}
		})
	}
	srv := slacktest.NewServer(t)
	srv.Inject(slacktest.Fault{Status: http.StatusBadRequest, Body: "bad url " + srv.URL})
	_, err := newPoster(t, srv).Post(t.Context(), poster.Post{Text: "脆弱性"})
	if err == nil || strings.Contains(err.Error(), slacktest.Path) {
		t.Errorf("error %q echoes the webhook path", err)
	}
}

func TestLinkPreviews(t *testing.T) {
	srv := slacktest.NewServer(t)
	p, err := slack.New(slack.Config{WebhookURL: srv.URL, LinkPreviews: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Post(t.Context(), poster.Post{Text: jvn}); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(); len(m) != 1 || !m[0].UnfurlLinks {
		t.Errorf("messages %+v, want one with unfurl_links", m)
	}
}

package discord_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/discord"
	"github.com/itsecbot/itsecbot/poster/discord/discordtest"
)

const jvn = "https://jvn.jp/vu/JVNVU12345678/"

// A story titled "@everyone 緊急" pings no one: the fake checks that
// allowed_mentions is empty on the request, and the text holds no live
// @everyone either.
func TestEveryonePingsNoOne(t *testing.T) {
	srv := discordtest.NewServer(t)
	title := "@everyone 緊急 @here <@&123456789012345678> **太字** [偽](x) `x` ||s|| > q"
	text := "【まとめ】全1件 (1/1)\n1. 【JVN】" + title + "\n" + jvn + "\n#itsec_jp"
	rc, err := newPoster(t, srv).Post(t.Context(), poster.Post{Text: text, Stories: []poster.Story{{Title: title, Link: jvn}}})
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || msgs[0].ID != rc.ID {
		t.Fatalf("messages %+v, receipt %+v", msgs, rc)
	}
	m := msgs[0]
	for _, live := range []string{"@everyone", "@here", "<@&"} {
		if strings.Contains(m.Content, live) || strings.Contains(m.Shown, live) {
			t.Errorf("content %q (shown %q) holds a live %s", m.Content, m.Shown, live)
		}
	}
	wantLinks := []discordtest.Link{{URL: jvn, Label: "【JVN】@\u200beveryone 緊急 @\u200bhere <@\u200b&123456789012345678> **太字** [偽](x) `x` ||s|| > q"}}
	if !slices.Equal(m.Links, wantLinks) {
		t.Errorf("links\n got %q\nwant %q", m.Links, wantLinks)
	}
	if m.Flags != 4 {
		t.Errorf("flags %d, want SUPPRESS_EMBEDS (4)", m.Flags)
	}
	if want := "【まとめ】全1件 (1/1)\n1. " + wantLinks[0].Label + "\n#itsec_jp"; m.Shown != want {
		t.Errorf("shown\n%s\nwant\n%s", m.Shown, want)
	}
}

// A masked link in feed text stays text, and its URL a plain link: a title
// cannot show one address and lead to another.
func TestNoMaskedLinkFromFeedText(t *testing.T) {
	srv := discordtest.NewServer(t)
	text := "1. [公式サイト](https://evil.example/login) 更新\n" + jvn
	if _, err := newPoster(t, srv).Post(t.Context(), poster.Post{Text: text, Stories: []poster.Story{{Link: jvn}}}); err != nil {
		t.Fatal(err)
	}
	m := srv.Messages()[0]
	want := []discordtest.Link{{URL: "https://evil.example/login"}, {URL: jvn}}
	if !slices.Equal(m.Links, want) {
		t.Errorf("content %q has links %q, want %q", m.Content, m.Links, want)
	}
}

func TestErrorsClassified(t *testing.T) {
	tests := []struct {
		name     string
		fault    discordtest.Fault
		delivery poster.Delivery
		cause    poster.Cause
		limit    int
	}{
		{"too long", discordtest.FormError("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length."), poster.Rejected, poster.CauseTooLong, 2000},
		{"empty", discordtest.Fault{Status: http.StatusBadRequest, Body: `{"message": "Cannot send an empty message", "code": 50006}`}, poster.Rejected, poster.CauseInvalid, 0},
		{"token revoked", discordtest.Fault{Status: http.StatusUnauthorized, Body: `{"message": "Invalid Webhook Token", "code": 50027}`}, poster.NotDelivered, poster.CauseAuth, 0},
		{"webhook deleted", discordtest.Fault{Status: http.StatusNotFound, Body: `{"message": "Unknown Webhook", "code": 10015}`}, poster.NotDelivered, poster.CauseAuth, 0},
		{"gateway", discordtest.Fault{Status: http.StatusBadGateway, Body: "<html>Bad Gateway</html>"}, poster.Unknown, poster.CauseUnavailable, 0},
		{"unavailable", discordtest.Fault{Status: http.StatusServiceUnavailable}, poster.NotDelivered, poster.CauseUnavailable, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := discordtest.NewServer(t)
			srv.Inject(tt.fault)
			_, err := newPoster(t, srv).Post(t.Context(), poster.Post{Text: "脆弱性 #itsec_jp"})
			var pe *poster.Error
			if !asError(err, &pe) || pe.Delivered != tt.delivery || pe.Cause != tt.cause || pe.Limit != tt.limit {
				t.Errorf("error %v (%+v), want %v, %v, limit %d", err, pe, tt.delivery, tt.cause, tt.limit)
			}
		})
	}
}

// Discord states the wait as seconds with decimals, in a header and the
// body; the longest is kept.
func TestRateLimitWait(t *testing.T) {
	srv := discordtest.NewServer(t)
	f := discordtest.RateLimited(12.5)
	f.Header.Del("Retry-After")
	srv.Inject(f)
	_, err := newPoster(t, srv).Post(t.Context(), poster.Post{Text: "脆弱性"})
	var pe *poster.Error
	if !asError(err, &pe) || pe.Cause != poster.CauseRateLimited || pe.RetryAfter != 12500*time.Millisecond {
		t.Errorf("error %v (%+v), want rate limited for 12.5s", err, pe)
	}
}

func TestVerify(t *testing.T) {
	srv := discordtest.NewServer(t)
	a, err := newPoster(t, srv).Verify(t.Context())
	if err != nil || !strings.Contains(a.Name, discordtest.ChannelID) || strings.Contains(a.Name, discordtest.Token) {
		t.Errorf("Verify = %+v, %v; want the channel, never the token", a, err)
	}
	if srv.Attempts() != 0 {
		t.Errorf("Verify posted %d messages", srv.Attempts())
	}
	bad, err := discord.New(discord.Config{WebhookURL: strings.Replace(srv.URL, discordtest.Token, "revoked-0123456789abcdef", 1)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Verify(t.Context())
	if poster.CauseOf(err) != poster.CauseAuth || strings.Contains(err.Error(), "revoked-0123456789abcdef") {
		t.Errorf("Verify with a revoked token: %v, want an auth error without the token", err)
	}
}

func TestURLKeepsQueryAndHidesToken(t *testing.T) {
	srv := discordtest.NewServer(t)
	p, err := discord.New(discord.Config{WebhookURL: srv.URL + "?thread_id=1234", LinkPreviews: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Post(t.Context(), poster.Post{Text: jvn}); err != nil {
		t.Fatal(err)
	}
	if m := srv.Messages(); len(m) != 1 || !m[0].Wait || m[0].Flags != 0 {
		t.Errorf("messages %+v, want one with wait=true and previews", m)
	}
	for _, bad := range []string{"https://discord.com/api/webhooks/x/y", "https://discord.com/" + discordtest.Token, "discord.com/api/webhooks/1/t"} {
		if _, err := discord.New(discord.Config{WebhookURL: bad}); err == nil || strings.Contains(err.Error(), discordtest.Token) {
			t.Errorf("New(%q) = %v, want an error that does not show the URL", bad, err)
		}
	}
	down, err := discord.New(discord.Config{WebhookURL: "http://127.0.0.1:1/api/webhooks/1/" + discordtest.Token})
	if err != nil {
		t.Fatal(err)
	}
	_, err = down.Post(t.Context(), poster.Post{Text: "脆弱性"})
	if poster.DeliveryOf(err) != poster.NotDelivered || strings.Contains(err.Error(), discordtest.Token) {
		t.Errorf("Post to a closed port: %v", err)
	}
}

func asError(err error, pe **poster.Error) bool { return errors.As(err, pe) }

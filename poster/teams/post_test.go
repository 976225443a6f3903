package teams_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/teams"
	"github.com/itsecbot/itsecbot/poster/teams/teamstest"
	"github.com/itsecbot/itsecbot/textlen"
)

const jvn = "https://jvn.jp/vu/JVNVU12345678/"

// A digest is a card: the header in bold, a TextBlock per story whose
// title links to it, feed text unable to format or link.
func TestDigestCard(t *testing.T) {
	srv := teamstest.NewServer(t)
	title := "**緊急** [偽](x) _注意_ \\ <at>全員</at>"
	text := "【まとめ】全2件 (1/1)\n12. 【JVN】" + title + "\n" + jvn + "\n- 箇条書き風\n#itsec_jp"
	rc, err := newPoster(t, srv).Post(t.Context(), poster.Post{Text: text, Stories: []poster.Story{{Title: title, Link: jvn}}})
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || msgs[0].RunID != rc.ID {
		t.Fatalf("messages %+v, receipt %+v", msgs, rc)
	}
	m := msgs[0]
	wantBlocks := []string{
		"【まとめ】全2件 (1/1)",
		"\u206012. [【JVN】∗∗緊急∗∗ ［偽］(x) ˍ注意ˍ ＼ <at>全員</at>](" + jvn + ")",
		"\u2060- 箇条書き風",
		"#itsec_jp",
	}
	if !slices.Equal(m.Blocks, wantBlocks) {
		t.Errorf("blocks\n got %q\nwant %q", m.Blocks, wantBlocks)
	}
	if !slices.Equal(m.Bolder, []bool{true, false, false, false}) {
		t.Errorf("bold blocks %v, want the header only", m.Bolder)
	}
	wantLinks := []teamstest.Link{{URL: jvn, Label: "【JVN】∗∗緊急∗∗ ［偽］(x) ˍ注意ˍ ＼ <at>全員</at>"}}
	if !slices.Equal(m.Links, wantLinks) {
		t.Errorf("links\n got %q\nwant %q", m.Links, wantLinks)
	}
}

// A digest the rule fits makes a request under teams.MaxBody, which the
// flow posts.
func TestFullDigestFits(t *testing.T) {
	srv := teamstest.NewServer(t)
	rule := textlen.Teams(0)
	var b strings.Builder
	b.WriteString("【セキュリティ情報まとめ】2026/10/08(木) 09:00 全99件 (1/3)")
	for i := 1; ; i++ {
		line := fmt.Sprintf("\n%d. 【JVN iPedia】[緊急 CVSS 9.8] \"%d\" における*信頼できないデータ*のデシリアライゼーションに関する脆弱性\n%s%d", i, i, jvn, i)
		if !rule.Fits(b.String() + line) {
			break
		}
		b.WriteString(line)
	}
	if _, err := newPoster(t, srv).Post(t.Context(), poster.Post{Text: b.String()}); err != nil {
		t.Fatalf("Post of a full digest: %v", err)
	}
	runs := srv.Runs()
	if len(runs) != 1 || runs[0].Error != "" || len(srv.Messages()[0].Body) > teams.MaxBody {
		t.Errorf("runs %+v, body %d bytes; want one posted card under %d", runs, len(srv.Messages()[0].Body), teams.MaxBody)
	}
}

func TestErrorsClassified(t *testing.T) {
	tests := []struct {
		name     string
		fault    teamstest.Fault
		delivery poster.Delivery
		cause    poster.Cause
	}{
		{"signature", teamstest.ErrorFault(http.StatusUnauthorized, "DirectApiInvalidAuthorizationSignature", "The provided authorization signature is not valid."), poster.NotDelivered, poster.CauseAuth},
		{"flow deleted", teamstest.ErrorFault(http.StatusNotFound, "WorkflowNotFound", "The workflow could not be found."), poster.NotDelivered, poster.CauseAuth},
		{"flow off", teamstest.ErrorFault(http.StatusBadRequest, "WorkflowTriggerIsNotEnabled", "The workflow trigger is not enabled."), poster.NotDelivered, poster.CauseAuth},
		{"too large", teamstest.Fault{Status: http.StatusRequestEntityTooLarge, Body: "<html>too large</html>"}, poster.Rejected, poster.CauseTooLong},
		{"gateway", teamstest.Fault{Status: http.StatusBadGateway, Body: "<html>bad gateway</html>"}, poster.Unknown, poster.CauseUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := teamstest.NewServer(t)
			srv.Inject(tt.fault)
			_, err := newPoster(t, srv).Post(t.Context(), poster.Post{Text: "脆弱性 #itsec_jp"})
			if poster.DeliveryOf(err) != tt.delivery || poster.CauseOf(err) != tt.cause {
				t.Errorf("error %v (%v, %v), want %v, %v", err, poster.DeliveryOf(err), poster.CauseOf(err), tt.delivery, tt.cause)
			}
			if err != nil && strings.Contains(err.Error(), teamstest.Sig) {
				t.Errorf("error %q shows the signature", err)
			}
		})
	}
}

func TestURLs(t *testing.T) {
	for _, retired := range []string{
		"https://contoso.webhook.office.com/webhookb2/0000/IncomingWebhook/1111/sEcReT2222",
		"https://outlook.office.com/webhook/0000/IncomingWebhook/1111/sEcReT2222",
	} {
		_, err := teams.New(teams.Config{WebhookURL: retired})
		if err == nil || !strings.Contains(err.Error(), "retired") || strings.Contains(err.Error(), "sEcReT") {
			t.Errorf("New(%q) = %v, want a 'retired' error without the URL", retired, err)
		}
	}
	p, err := teams.New(teams.Config{WebhookURL: "http://127.0.0.1:1/workflows/x/triggers/manual/paths/invoke?api-version=1&sig=" + teamstest.Sig})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Post(t.Context(), poster.Post{Text: "脆弱性"})
	var pe *poster.Error
	if !errors.As(err, &pe) || pe.Delivered != poster.NotDelivered || strings.Contains(err.Error(), teamstest.Sig) {
		t.Errorf("Post to a closed port: %v", err)
	}
}

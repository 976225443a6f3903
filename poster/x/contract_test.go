package x_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/postertest"
	"github.com/itsecbot/itsecbot/poster/x"
	"github.com/itsecbot/itsecbot/poster/x/xtest"
)

// newClient returns a client of srv's default account.
func newClient(t *testing.T, srv *xtest.Server, edit func(*x.Config)) *x.Client {
	t.Helper()
	creds := xtest.DefaultCredentials
	cfg := x.Config{
		APIURL: srv.URL, ConsumerKey: creds.ConsumerKey, ConsumerSecret: creds.ConsumerSecret,
		AccessToken: creds.AccessToken, AccessTokenSecret: creds.AccessTokenSecret,
		Timeout: time.Second, // FaultSlow outlasts it
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := x.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// fault maps a contract fault to what X answers.
func fault(f postertest.Fault) xtest.Fault {
	switch f {
	case postertest.FaultRefuse:
		return xtest.Fault{Status: http.StatusBadRequest, Body: `{"errors":[{"parameters":{"reply_settings":["everyone"]},` +
			`"message":"reply_settings must be one of [following, mentionedUsers, subscribers, verified]"}],` +
			`"title":"Invalid Request","detail":"One or more parameters to your request was invalid.",` +
			`"type":"https://api.twitter.com/2/problems/invalid-request"}`}
	case postertest.FaultRateLimit:
		reset := strconv.FormatInt(time.Now().Add(60*time.Second).Unix(), 10)
		return xtest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"X-Rate-Limit-Reset": {reset}},
			Body: `{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}`}
	case postertest.FaultServerError:
		return xtest.Fault{Status: http.StatusInternalServerError}
	case postertest.FaultSlow:
		return xtest.Fault{Hang: true}
	case postertest.FaultDropAfterStore:
		return xtest.Fault{Publish: true, Drop: true}
	}
	panic("unknown fault")
}

func TestContract(t *testing.T) {
	for _, username := range []string{"", "itsecbot_jp"} {
		t.Run("username="+username, func(t *testing.T) {
			postertest.Run(t, func(t *testing.T) postertest.Harness {
				srv := xtest.NewServer(t)
				c := newClient(t, srv, func(c *x.Config) { c.Username = username })
				return postertest.Harness{
					Poster: c,
					Published: func() []postertest.Published {
						var out []postertest.Published
						for _, tw := range srv.Tweets() {
							out = append(out, postertest.Published{ID: tw.ID, Text: tw.Text, InReplyTo: tw.InReplyTo})
						}
						return out
					},
					Inject: func(f postertest.Fault) { srv.Inject(fault(f)) },
				}
			})
		})
	}
}

package bluesky_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/bluesky"
	"github.com/itsecbot/itsecbot/poster/bluesky/blueskytest"
	"github.com/itsecbot/itsecbot/poster/postertest"
)

func newClient(t *testing.T, srv *blueskytest.Server, cfg bluesky.Config) *bluesky.Client {
	t.Helper()
	cfg.Service = srv.URL
	if cfg.Identifier == "" {
		cfg.Identifier = blueskytest.Handle
	}
	if cfg.Password == "" {
		cfg.Password = blueskytest.AppPassword
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Second // FaultSlow outlasts it
	}
	c, err := bluesky.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// receiptID is the ID the poster gives a record: "URI|CID", followed by
// the thread root's "|URI|CID" for a reply.
func receiptID(r blueskytest.Record) string {
	id := r.URI + "|" + r.CID
	if r.Reply != nil {
		id += "|" + r.Reply.Root.URI + "|" + r.Reply.Root.CID
	}
	return id
}

// parentReceiptID is the receipt ID of the post r answers.
func parentReceiptID(r blueskytest.Record) string {
	if r.Reply == nil {
		return ""
	}
	id := r.Reply.Parent.URI + "|" + r.Reply.Parent.CID
	if r.Reply.Parent != r.Reply.Root {
		id += "|" + r.Reply.Root.URI + "|" + r.Reply.Root.CID
	}
	return id
}

func harness(t *testing.T) postertest.Harness {
	srv := blueskytest.NewServer(t)
	return postertest.Harness{
		Poster: newClient(t, srv, bluesky.Config{}),
		Published: func() []postertest.Published {
			var out []postertest.Published
			for _, r := range srv.Records() {
				out = append(out, postertest.Published{ID: receiptID(r), Text: r.Text, InReplyTo: parentReceiptID(r)})
			}
			return out
		},
		Inject: func(f postertest.Fault) { srv.Inject(fault(f)) },
	}
}

// fault maps a contract fault to what the PDS answers.
func fault(f postertest.Fault) blueskytest.Fault {
	switch f {
	case postertest.FaultRefuse:
		return blueskytest.Fault{Status: http.StatusBadRequest, Code: "InvalidRequest",
			Message: "Invalid app.bsky.feed.post record: Invalid language code at $.record.langs[0]"}
	case postertest.FaultRateLimit:
		reset := strconv.FormatInt(time.Now().Add(60*time.Second).Unix(), 10)
		return blueskytest.Fault{Status: http.StatusTooManyRequests, Code: "RateLimitExceeded", Message: "Rate Limit Exceeded",
			Header: http.Header{"Ratelimit-Limit": {"5000"}, "Ratelimit-Remaining": {"0"}, "Ratelimit-Reset": {reset},
				"Ratelimit-Policy": {"5000;w=3600"}}}
	case postertest.FaultServerError:
		return blueskytest.Fault{Status: http.StatusInternalServerError, Code: "InternalServerError", Message: "Internal Server Error"}
	case postertest.FaultSlow:
		return blueskytest.Fault{Hang: true}
	case postertest.FaultDropAfterStore:
		return blueskytest.Fault{Publish: true, Drop: true}
	}
	panic("unknown fault")
}

func TestContract(t *testing.T) {
	postertest.Run(t, harness)
}

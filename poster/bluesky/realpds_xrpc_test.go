package bluesky_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// noInput makes call POST a procedure that takes no body: the PDS refuses
// one that is sent anyway.
type noInput struct{}

// call makes one XRPC call to the real PDS for the test's own needs
// (accounts, app passwords, reading records as stored), outside the
// poster under test: a GET when in is nil, else a POST.
func (p *pdsProcess) call(t *testing.T, nsid, token string, params url.Values, in, out any) {
	t.Helper()
	u := p.URL + "/xrpc/" + nsid
	if len(params) > 0 {
		u += "?" + params.Encode()
	}
	method, body := http.MethodGet, io.Reader(nil)
	switch in.(type) {
	case nil:
	case noInput:
		method = http.MethodPost
	default:
		b, _ := json.Marshal(in)
		method, body = http.MethodPost, bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", nsid, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: HTTP %d: %s", nsid, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %v: %s", nsid, err, b)
		}
	}
}

// account is a PDS account with an app password for the bot.
type account struct {
	Handle, DID, AppPassword string
}

// newAccount creates handle (which must end in .test) and an app password.
func (p *pdsProcess) newAccount(t *testing.T, handle string) account {
	t.Helper()
	var created struct {
		DID       string `json:"did"`
		AccessJWT string `json:"accessJwt"`
	}
	p.call(t, "com.atproto.server.createAccount", "", nil,
		map[string]string{"handle": handle, "email": strings.TrimSuffix(handle, ".test") + "@example.com", "password": "not-the-bot's-" + handle},
		&created)
	var pw struct {
		Password string `json:"password"`
	}
	p.call(t, "com.atproto.server.createAppPassword", created.AccessJWT, nil, map[string]string{"name": "itsecbot"}, &pw)
	return account{Handle: handle, DID: created.DID, AppPassword: pw.Password}
}

// storedRecord is a post as the PDS stores it.
type storedRecord struct {
	URI   string `json:"uri"`
	CID   string `json:"cid"`
	Value struct {
		Text      string   `json:"text"`
		CreatedAt string   `json:"createdAt"`
		Langs     []string `json:"langs"`
		Facets    []struct {
			Index struct {
				ByteStart int `json:"byteStart"`
				ByteEnd   int `json:"byteEnd"`
			} `json:"index"`
			Features []struct {
				Type string `json:"$type"`
				URI  string `json:"uri"`
				Tag  string `json:"tag"`
			} `json:"features"`
		} `json:"facets"`
		Reply *struct {
			Root   struct{ URI, CID string } `json:"root"`
			Parent struct{ URI, CID string } `json:"parent"`
		} `json:"reply"`
	} `json:"value"`
}

// records lists every post of did, oldest first.
func (p *pdsProcess) records(t *testing.T, did string) []storedRecord {
	t.Helper()
	var all []storedRecord
	params := url.Values{"repo": {did}, "collection": {"app.bsky.feed.post"}, "limit": {"100"}, "reverse": {"true"}}
	for {
		var page struct {
			Records []storedRecord `json:"records"`
			Cursor  string         `json:"cursor"`
		}
		p.call(t, "com.atproto.repo.listRecords", "", params, nil, &page)
		all = append(all, page.Records...)
		if page.Cursor == "" || len(page.Records) < 100 {
			return all
		}
		params.Set("cursor", page.Cursor)
	}
}

// counter counts the XRPC calls that pass through it, by method.
type counter struct {
	base http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
}

func newCounter() *counter { return &counter{base: http.DefaultTransport, n: map[string]int{}} }

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n[strings.TrimPrefix(r.URL.Path, "/xrpc/")]++
	c.mu.Unlock()
	return c.base.RoundTrip(r)
}

func (c *counter) count(nsid string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[nsid]
}

func (c *counter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprint(c.n)
}

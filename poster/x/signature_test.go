package x_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/x"
	"github.com/itsecbot/itsecbot/poster/x/xtest"
)

type fixedNonce string

func (n fixedNonce) Nonce() string { return string(n) }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestLibraryReproducesTwitterExample signs Twitter's documented example
// ("Creating a signature": its keys, nonce and timestamp) with the library
// our client uses, end to end through its http.Client. The library reads
// the clock itself, so the test runs in a synctest bubble whose clock is
// moved to the example's timestamp.
func TestLibraryReproducesTwitterExample(t *testing.T) {
	tests := []struct{ url, want string }{
		// dev.twitter.com/oauth/overview/creating-signatures publishes this signature.
		{"https://api.twitter.com/1/statuses/update.json?include_entities=true", "tnnArxj06cWHq44gCs1OSKk/jLY="},
		// The page's later revision moved the URL to /1.1/ and kept the old
		// signature; this is the one its printed base string gives.
		{"https://api.twitter.com/1.1/statuses/update.json?include_entities=true", "hCtSmYh+iHYCEqBWrE7C7hYmtUk="},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				time.Sleep(time.Until(time.Unix(1318622958, 0)))
				params := signExample(t, tt.url)
				want := map[string]string{
					"oauth_signature": tt.want, "oauth_timestamp": "1318622958", "oauth_version": "1.0",
					"oauth_nonce": "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", "oauth_signature_method": "HMAC-SHA1",
					"oauth_consumer_key": "xvz1evFS4wEEPTGEFPHBog", "oauth_token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
				}
				for k, v := range want {
					if params[k] != v {
						t.Errorf("%s = %q, want %q", k, params[k], v)
					}
				}
			})
		})
	}
}

// signExample sends the example request through the library and returns
// the oauth parameters of the Authorization header it added.
func signExample(t *testing.T, url string) map[string]string {
	t.Helper()
	cfg := oauth1.NewConfig("xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw")
	cfg.Noncer = fixedNonce("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg")
	var auth string
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		auth = r.Header.Get("Authorization")
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})
	ctx := context.WithValue(t.Context(), oauth1.HTTPClient, &http.Client{Transport: base})
	hc := cfg.Client(ctx, oauth1.NewToken("370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url,
		strings.NewReader("status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	params, err := xtest.ParseAuthorization(auth)
	if err != nil {
		t.Fatalf("Authorization %q: %v", auth, err)
	}
	return params
}

// TestHMACSignerPublishedVector checks the library's exported signer on
// the example's published base string and signing key.
func TestHMACSignerPublishedVector(t *testing.T) {
	const base = "POST&https%3A%2F%2Fapi.twitter.com%2F1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26" +
		"oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26" +
		"oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26" +
		"oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26" +
		"status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
	s := &oauth1.HMACSigner{ConsumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"}
	got, err := s.Sign("LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE", base)
	if err != nil || got != "tnnArxj06cWHq44gCs1OSKk/jLY=" {
		t.Errorf("Sign = %q, %v; want tnnArxj06cWHq44gCs1OSKk/jLY=", got, err)
	}
}

// TestEveryRequestIsVerified: the fake recomputes each signature with the
// shared secrets, so a client holding a wrong secret is refused and posts
// nothing, and a right one is accepted on every request.
func TestEveryRequestIsVerified(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*x.Config)
		wantError bool
	}{
		{"right secrets", nil, false},
		{"wrong consumer secret", func(c *x.Config) { c.ConsumerSecret += "x" }, true},
		{"wrong token secret", func(c *x.Config) { c.AccessTokenSecret = "y" + c.AccessTokenSecret }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := xtest.NewServer(t, xtest.AllowBadSignatures())
			c := newClient(t, srv, tt.edit)
			_, verr := c.Verify(t.Context())
			_, perr := c.Post(t.Context(), poster.Post{Text: "署名の確認 #itsec_jp"})
			_, rerr := c.Post(t.Context(), poster.Post{Text: "署名の確認 2 #itsec_jp"})
			for _, err := range []error{verr, perr, rerr} {
				if got := err != nil; got != tt.wantError {
					t.Errorf("error = %v, want an error: %v", err, tt.wantError)
				}
				if err != nil && (poster.CauseOf(err) != poster.CauseAuth || poster.DeliveryOf(err) != poster.NotDelivered) {
					t.Errorf("error %v: want not delivered, auth", err)
				}
			}
			attempts := srv.Attempts()
			if len(attempts) != 3 {
				t.Fatalf("%d requests, want 3", len(attempts))
			}
			for _, a := range attempts {
				if a.Signed == tt.wantError {
					t.Errorf("%s %s: signature verified = %v", a.Method, a.Path, a.Signed)
				}
			}
			if n := len(srv.Tweets()); (n == 0) != tt.wantError {
				t.Errorf("%d posts created", n)
			}
		})
	}
}

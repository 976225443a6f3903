package xtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/internal/fake"
)

// Published OAuth 1.0a examples: the fake's verifier must reproduce them
// before it is trusted to judge our client's signatures.
var published = []struct {
	name           string
	method, url    string
	params         url.Values // body and protocol parameters, oauth_signature and realm left out
	consumerSecret string
	tokenSecret    string
	base           string // "" when the source prints none
	signature      string // "" when the source prints none
}{
	{
		// dev.twitter.com/oauth/overview/creating-signatures ("Creating a signature").
		name: "twitter creating a signature", method: "POST",
		url: "https://api.twitter.com/1/statuses/update.json?include_entities=true",
		params: url.Values{
			"status":                 {"Hello Ladies + Gentlemen, a signed OAuth request!"},
			"oauth_consumer_key":     {"xvz1evFS4wEEPTGEFPHBog"},
			"oauth_nonce":            {"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"},
			"oauth_signature_method": {"HMAC-SHA1"},
			"oauth_timestamp":        {"1318622958"},
			"oauth_token":            {"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"},
			"oauth_version":          {"1.0"},
		},
		consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
		tokenSecret:    "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
		base: "POST&https%3A%2F%2Fapi.twitter.com%2F1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26" +
			"oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26" +
			"oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26" +
			"oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26" +
			"status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521",
		signature: "tnnArxj06cWHq44gCs1OSKk/jLY=",
	},
	{
		// RFC 5849 §1.2: the photo request (no oauth_version; realm is not signed).
		name: "rfc 5849 section 1.2", method: "GET",
		url: "http://photos.example.net/photos?file=vacation.jpg&size=original",
		params: url.Values{
			"oauth_consumer_key":     {"dpf43f3p2l4k3l03"},
			"oauth_token":            {"nnch734d00sl2jdk"},
			"oauth_signature_method": {"HMAC-SHA1"},
			"oauth_timestamp":        {"137131202"},
			"oauth_nonce":            {"chapoH"},
		},
		consumerSecret: "kd94hf93k423kf44",
		tokenSecret:    "pfkkdhi9sl3r4s00",
		signature:      "MdpQcU8iPSUjWoN/UDMsK2sui9I=",
	},
	{
		// RFC 5849 §3.4.1.1: repeated names, an empty value, encoded
		// names and values, a form body, a default port to drop. (Its
		// printed signature is a known erratum, so only the base string.)
		name: "rfc 5849 section 3.4.1.1", method: "post",
		url: "http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
		params: url.Values{
			"c2": {""}, "a3": {"2 q"},
			"oauth_consumer_key":     {"9djdj82h48djs9d2"},
			"oauth_token":            {"kkk9d7dh3k39sjv7"},
			"oauth_signature_method": {"HMAC-SHA1"},
			"oauth_timestamp":        {"137131201"},
			"oauth_nonce":            {"7d8f3e4a"},
		},
		base: "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26" +
			"c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26" +
			"oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
	},
}

func TestSignatureBaseAndSignMatchPublishedExamples(t *testing.T) {
	for _, tt := range published {
		t.Run(tt.name, func(t *testing.T) {
			base, err := SignatureBase(tt.method, tt.url, tt.params)
			if err != nil {
				t.Fatal(err)
			}
			if tt.base != "" && base != tt.base {
				t.Errorf("base string\n got %s\nwant %s", base, tt.base)
			}
			if got := Sign(tt.consumerSecret, tt.tokenSecret, base); tt.signature != "" && got != tt.signature {
				t.Errorf("signature = %s, want %s", got, tt.signature)
			}
		})
	}
}

// authHeader signs a request as a client would, for the verifier's tests.
func authHeader(method, rawURL string, form url.Values, c Credentials, nonce string, ts int64) string {
	p := map[string]string{
		"oauth_consumer_key": c.ConsumerKey, "oauth_token": c.AccessToken, "oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp": fmt.Sprint(ts), "oauth_nonce": nonce, "oauth_version": "1.0",
	}
	signed := url.Values{}
	for k, v := range form {
		signed[k] = v
	}
	for k, v := range p {
		signed.Set(k, v)
	}
	base, _ := SignatureBase(method, rawURL, signed)
	p["oauth_signature"] = Sign(c.ConsumerSecret, c.AccessTokenSecret, base)
	var parts []string
	for k, v := range p {
		parts = append(parts, Encode(k)+`="`+Encode(v)+`"`)
	}
	return "OAuth " + strings.Join(parts, ", ")
}

func TestVerifySignatureRefusesAnythingChanged(t *testing.T) {
	creds := DefaultCredentials
	const u = "http://127.0.0.1:8080/2/tweets"
	good := authHeader("POST", u, nil, creds, "n1", 1700000000)
	wrongSecret := creds
	wrongSecret.AccessTokenSecret = "other"
	tests := []struct {
		name   string
		req    signedRequest
		creds  Credentials
		wantOK bool
	}{
		{"as signed", signedRequest{method: "POST", url: u, authorization: good}, creds, true},
		{"another method", signedRequest{method: "PUT", url: u, authorization: good}, creds, false},
		{"another path", signedRequest{method: "POST", url: "http://127.0.0.1:8080/2/tweet", authorization: good}, creds, false},
		{"another port", signedRequest{method: "POST", url: "http://127.0.0.1:8081/2/tweets", authorization: good}, creds, false},
		{"a query added", signedRequest{method: "POST", url: u + "?a=b", authorization: good}, creds, false},
		{"a form parameter added", signedRequest{method: "POST", url: u, authorization: good, form: url.Values{"a": {"b"}}}, creds, false},
		{"another token secret", signedRequest{method: "POST", url: u, authorization: good}, wrongSecret, false},
		{"timestamp changed", signedRequest{method: "POST", url: u, authorization: strings.Replace(good, "1700000000", "1700000001", 1)}, creds, false},
		{"not oauth", signedRequest{method: "POST", url: u, authorization: "Bearer abc"}, creds, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ck := verifySignature(tt.req, tt.creds)
			if got := ck.problem == nil; got != tt.wantOK {
				t.Errorf("verified = %v (%v), want %v", got, ck.problem, tt.wantOK)
			}
		})
	}
}

func TestServerFailsTheTestOnABadSignature(t *testing.T) {
	tests := []struct {
		name       string
		creds      func(Credentials) Credentials
		nonce      string
		ts         int64
		wantStatus int
		wantErrors int
	}{
		{"good", func(c Credentials) Credentials { return c }, "fresh-1", time.Now().Unix(), http.StatusOK, 0},
		{"wrong consumer secret", func(c Credentials) Credentials { c.ConsumerSecret += "x"; return c }, "fresh-2", time.Now().Unix(), http.StatusUnauthorized, 1},
		{"stale timestamp", func(c Credentials) Credentials { return c }, "fresh-3", time.Now().Add(-time.Hour).Unix(), http.StatusUnauthorized, 1},
		{"revoked token", func(c Credentials) Credentials { c.AccessToken = "revoked"; return c }, "fresh-4", time.Now().Unix(), http.StatusUnauthorized, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &fake.RecordingTB{TB: t}
			srv := NewServer(rec)
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/2/users/me", nil)
			req.Header.Set("Authorization", authHeader("GET", req.URL.String(), nil, tt.creds(DefaultCredentials), tt.nonce, tt.ts))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || len(rec.Errors()) != tt.wantErrors {
				t.Errorf("status %d, test errors %q; want %d and %d errors", resp.StatusCode, rec.Errors(), tt.wantStatus, tt.wantErrors)
			}
		})
	}
}

func TestServerRefusesAReusedNonce(t *testing.T) {
	rec := &fake.RecordingTB{TB: t}
	srv := NewServer(rec)
	auth := authHeader("GET", srv.URL+"/2/users/me", nil, DefaultCredentials, "same", time.Now().Unix())
	var got []int
	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/2/users/me", nil)
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got = append(got, resp.StatusCode)
	}
	if got[0] != http.StatusOK || got[1] != http.StatusUnauthorized || len(rec.Errors()) != 1 {
		t.Errorf("statuses %v, test errors %q; want 200 then 401 and one error", got, rec.Errors())
	}
}

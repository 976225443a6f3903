package xtest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Credentials are the four OAuth 1.0a values of one app and one user.
type Credentials struct {
	ConsumerKey       string
	ConsumerSecret    string
	AccessToken       string
	AccessTokenSecret string
}

// DefaultCredentials are accepted unless WithCredentials is given.
var DefaultCredentials = Credentials{
	ConsumerKey:       "test-consumer-key",
	ConsumerSecret:    "test-consumer-secret",
	AccessToken:       "1234567890-test-access-token",
	AccessTokenSecret: "test-access-token-secret",
}

// SignatureBase builds the signature base string of RFC 5849 §3.4.1: the
// method, the base string URI (scheme and host lower-cased, default port
// and query dropped) and the normalized parameters, which are the query's
// parameters plus params (the oauth_* protocol parameters, and the body's
// parameters when it is form-encoded). A JSON body is never part of it.
func SignatureBase(method, rawURL string, params url.Values) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("parse %q: %w", rawURL, err)
	}
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if h, port, ok := strings.Cut(host, ":"); ok && (scheme == "http" && port == "80" || scheme == "https" && port == "443") {
		host = h
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	type pair struct{ k, v string }
	var pairs []pair
	for _, vals := range []url.Values{u.Query(), params} {
		for k, vs := range vals {
			for _, v := range vs {
				pairs = append(pairs, pair{Encode(k), Encode(v)})
			}
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	norm := make([]string, len(pairs))
	for i, p := range pairs {
		norm[i] = p.k + "=" + p.v
	}
	return strings.ToUpper(method) + "&" + Encode(scheme+"://"+host+path) + "&" + Encode(strings.Join(norm, "&")), nil
}

// Sign returns the HMAC-SHA1 signature of base (RFC 5849 §3.4.2), base64.
func Sign(consumerSecret, tokenSecret, base string) string {
	mac := hmac.New(sha1.New, []byte(Encode(consumerSecret)+"&"+Encode(tokenSecret)))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Encode percent-encodes s as RFC 5849 §3.6 requires: every byte but the
// unreserved characters of RFC 3986, with upper-case hex digits.
func Encode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := range len(s) {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// ParseAuthorization parses an `OAuth k="v", ...` header (RFC 5849
// §3.5.1) into its decoded parameters.
func ParseAuthorization(header string) (map[string]string, error) {
	scheme, rest, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "OAuth") {
		return nil, errors.New("authorization is not an OAuth header")
	}
	out := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, fmt.Errorf("malformed oauth parameter %q", part)
		}
		dk, err1 := url.PathUnescape(k)
		dv, err2 := url.PathUnescape(v[1 : len(v)-1])
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("oauth parameter %q: %w", part, err)
		}
		if _, dup := out[dk]; dup {
			return nil, fmt.Errorf("oauth parameter %q given twice", dk)
		}
		out[dk] = dv
	}
	return out, nil
}

// signedRequest is what verifySignature needs of a request.
type signedRequest struct {
	method, url   string
	authorization string
	form          url.Values // the body's parameters when form-encoded
}

// oauthCheck is the outcome of checking a request's OAuth header.
type oauthCheck struct {
	params  map[string]string
	keysOK  bool  // the consumer key and token are the accepted ones
	problem error // nil when the signature verifies
}

// verifySignature recomputes the request's HMAC-SHA1 signature with the
// shared secrets and compares it with the one sent.
func verifySignature(r signedRequest, creds Credentials) oauthCheck {
	params, err := ParseAuthorization(r.authorization)
	if err != nil {
		return oauthCheck{problem: err}
	}
	ck := oauthCheck{params: params, keysOK: params["oauth_consumer_key"] == creds.ConsumerKey && params["oauth_token"] == creds.AccessToken}
	for _, k := range []string{"oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_timestamp", "oauth_nonce", "oauth_signature"} {
		if params[k] == "" {
			ck.problem = fmt.Errorf("no %s", k)
			return ck
		}
	}
	if m := params["oauth_signature_method"]; m != "HMAC-SHA1" {
		ck.problem = fmt.Errorf("oauth_signature_method %q, want HMAC-SHA1", m)
		return ck
	}
	if v, ok := params["oauth_version"]; ok && v != "1.0" {
		ck.problem = fmt.Errorf("oauth_version %q, want 1.0", v)
		return ck
	}
	signed := url.Values{}
	for k, v := range r.form {
		signed[k] = append([]string(nil), v...)
	}
	for k, v := range params {
		if k != "oauth_signature" && k != "realm" {
			signed.Add(k, v)
		}
	}
	base, err := SignatureBase(r.method, r.url, signed)
	if err != nil {
		ck.problem = err
		return ck
	}
	want := Sign(creds.ConsumerSecret, creds.AccessTokenSecret, base)
	if !hmac.Equal([]byte(want), []byte(params["oauth_signature"])) {
		ck.problem = fmt.Errorf("oauth_signature %q does not match the request (base string %q)", params["oauth_signature"], base)
	}
	return ck
}

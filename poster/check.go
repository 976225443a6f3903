package poster

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseHTTPURL parses s as an absolute http or https URL with a host, the
// only kind of URL a poster sends to; ok is false for anything else.
func ParseHTTPURL(s string) (u *url.URL, ok bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, false
	}
	return u, true
}

// MissingEnv says why a poster cannot send yet when the environment
// variables names, used in its config, are unset or empty.
func MissingEnv(names []string) string {
	return "environment variable " + strings.Join(names, ", ") + " is not set"
}

// ServerURL resolves ${VAR} in value, the http(s) URL under key that the
// poster sends to. An unset variable or an empty value is not an error:
// missing says why the poster cannot send yet ("no server"). A value that
// is not an http(s) URL is reported under key with problem.
func ServerURL(b Block, key, value, problem string) (resolved, missing string) {
	resolved, unset := b.Expand(value)
	switch {
	case len(unset) > 0:
		return resolved, MissingEnv(unset)
	case resolved == "":
		return resolved, "no " + key
	}
	if _, ok := ParseHTTPURL(resolved); !ok {
		b.Fail(key, "%s", problem)
	}
	return resolved, ""
}

// CheckCredential refuses an empty credential, and one with white space in
// it (a line break kept from a file would break the request). name says
// what it is in the error, e.g. "access token".
func CheckCredential(name, value string) error {
	switch {
	case strings.TrimSpace(value) == "":
		return fmt.Errorf("%s is empty", name)
	case strings.ContainsAny(value, " \t\r\n"):
		return fmt.Errorf("%s contains white space", name)
	}
	return nil
}

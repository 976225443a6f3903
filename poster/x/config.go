package x

import (
	"regexp"
	"strings"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// DefaultMaxPostsPerDay is the daily cap an x poster gets when the config
// leaves max_posts_per_day at 0. Every post that carries a link is billed
// to the operator (pay-per-use, $0.200 per create with a URL), so X gets
// one short digest thread a day unless the config says otherwise.
const DefaultMaxPostsPerDay = 3

// Platform is X's entry in the platform table.
type Platform struct{}

// settings is an x entry of posters[].
type settings struct {
	APIURL                string `yaml:"api_url"`
	ConsumerKey           string `yaml:"consumer_key"`
	ConsumerKeyFile       string `yaml:"consumer_key_file"`
	ConsumerSecret        string `yaml:"consumer_secret"`
	ConsumerSecretFile    string `yaml:"consumer_secret_file"`
	AccessToken           string `yaml:"access_token"`
	AccessTokenFile       string `yaml:"access_token_file"`
	AccessTokenSecret     string `yaml:"access_token_secret"`
	AccessTokenSecretFile string `yaml:"access_token_secret_file"`
	Username              string `yaml:"username"`

	creds   [4]string // resolved consumer key, consumer secret, access token, access token secret; never printed
	missing string
}

// usernamePattern is X's rule for account names.
var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)

// Configure decodes and checks an x entry, and gives the poster a small
// daily cap when the config sets none. Unset credentials are not an
// error: the poster is reported and prints instead of sending.
func (Platform) Configure(b poster.Block, common *poster.Common) poster.Settings {
	if common.MaxPostsPerDay == 0 {
		common.MaxPostsPerDay = DefaultMaxPostsPerDay
	}
	s := &settings{APIURL: DefaultAPIURL}
	if !b.Decode(s) {
		return s
	}
	api, unset := b.Expand(s.APIURL)
	s.APIURL = strings.TrimRight(api, "/")
	if len(unset) > 0 {
		s.missing = poster.MissingEnv(unset)
	} else if !isAPIURL(s.APIURL) {
		b.Fail("api_url", "must be an http(s) URL like %s", DefaultAPIURL)
	}
	s.Username = strings.TrimPrefix(s.Username, "@")
	if s.Username != "" && !usernamePattern.MatchString(s.Username) {
		b.Fail("username", "must be the account's name (letters, digits, _; at most 15), not %q", s.Username)
	}
	secrets := []struct{ key, value, fileKey, file string }{
		{"consumer_key", s.ConsumerKey, "consumer_key_file", s.ConsumerKeyFile},
		{"consumer_secret", s.ConsumerSecret, "consumer_secret_file", s.ConsumerSecretFile},
		{"access_token", s.AccessToken, "access_token_file", s.AccessTokenFile},
		{"access_token_secret", s.AccessTokenSecret, "access_token_secret_file", s.AccessTokenSecretFile},
	}
	for i, sec := range secrets {
		v, missing := b.Secret(sec.key, sec.value, sec.fileKey, sec.file)
		if s.missing == "" {
			s.missing = missing
		}
		if missing == "" && strings.ContainsAny(v, " \t\r\n") {
			b.Fail(sec.key, "contains white space")
		}
		s.creds[i] = v
	}
	return s
}

// isAPIURL reports whether s can be the API's base URL: an http(s) URL
// without a query, which the request paths are appended to.
func isAPIURL(s string) bool {
	u, ok := poster.ParseHTTPURL(s)
	return ok && u.RawQuery == ""
}

func (s *settings) Missing() string { return s.missing }

func (s *settings) Fallback() textlen.Spec { return Spec() }

func (s *settings) New(env poster.Env) (poster.Poster, error) {
	return New(Config{
		Name: env.Common.Name, APIURL: s.APIURL, Username: s.Username,
		ConsumerKey: s.creds[0], ConsumerSecret: s.creds[1], AccessToken: s.creds[2], AccessTokenSecret: s.creds[3],
		UserAgent: env.UserAgent, Timeout: env.Common.TimeoutDuration, Transport: env.Transport,
		State: env.State, Logger: env.Logger, Now: env.Now,
	})
}

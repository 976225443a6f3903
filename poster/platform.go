package poster

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/textlen"
)

// Common holds the keys every posters[] entry shares. The config package
// decodes and checks them; a platform may set defaults for the ones left
// empty (X keeps its daily posts few).
type Common struct {
	Type string `yaml:"type"`
	Name string `yaml:"name"` // default: the type
	// Layout is "digest" or "each"; empty means digest.layout.
	Layout string `yaml:"layout"`
	// Hashtags replace digest.hashtags for this poster when set.
	Hashtags []string `yaml:"hashtags"`
	// Language of the posts (ISO 639-1), for platforms that take one.
	Language string `yaml:"language"`
	// MaxStories per composed digest; 0 means digest.max_stories.
	MaxStories int `yaml:"max_stories"`
	// MaxPostsPerDay caps the posts sent per day (in the config's time
	// zone); 0 means no cap.
	MaxPostsPerDay int `yaml:"max_posts_per_day"`
	// Timeout bounds each request to the platform, e.g. "30s".
	Timeout string `yaml:"timeout"`
	// Schedule are the times new posts are composed for this poster (cron
	// specs), replacing schedule.digest; nil keeps the global times, and
	// an empty list composes on every poll cycle.
	Schedule []string `yaml:"schedule"`

	// TimeoutDuration is Timeout parsed.
	TimeoutDuration time.Duration `yaml:"-"`
}

// CommonKeys returns the yaml keys of Common; the rest of an entry belongs
// to its platform.
func CommonKeys() []string {
	t := reflect.TypeFor[Common]()
	var keys []string
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// Platform is one kind of poster: its package decodes and checks its own
// part of a posters[] entry.
type Platform interface {
	// Configure decodes the entry's platform keys from b and checks them,
	// reporting each problem through b. It may fill defaults into common
	// fields left empty. The Settings it returns are used only when the
	// whole config is valid.
	Configure(b Block, common *Common) Settings
}

// Block is one posters[] entry as its platform package sees it. Keys are
// relative to the entry ("server"); the config package locates them in the
// file for error messages.
type Block interface {
	// Decode decodes the entry's platform keys strictly into v, a pointer
	// to a struct with yaml tags; unknown keys and wrong types are reported.
	// It returns false when the block could not be decoded.
	Decode(v any) bool
	// Fail reports a problem with key.
	Fail(key, format string, args ...any)
	// Expand replaces ${VAR} in s from the environment and returns the
	// names that were unset or empty.
	Expand(s string) (string, []string)
	// Secret resolves a credential written as ${VAR} in value (key names
	// it), or read from the file named in file (fileKey names it; relative
	// to the config's folder). A literal secret in the config is reported
	// as an error. It returns the secret, or why it is missing.
	Secret(key, value, fileKey, file string) (secret, missing string)
}

// Settings are a poster entry decoded and checked by its platform.
type Settings interface {
	// Missing says why the poster cannot send yet ("" when it can). Its
	// posts are then printed instead of sent and nothing is recorded, so
	// they go out once the credentials are there.
	Missing() string
	// Fallback is the length rule to print under while Missing.
	Fallback() textlen.Spec
	// New builds the poster. It does no I/O.
	New(env Env) (Poster, error)
}

// What each platform's New takes when its Config leaves the user agent or
// the timeout empty.
const (
	DefaultUserAgent = "itsecbot (+https://github.com/itsecbot/itsecbot)"
	DefaultTimeout   = 30 * time.Second // per request
)

// Env is what a poster gets from the program that builds it.
type Env struct {
	Common    Common
	UserAgent string
	Stdout    io.Writer // where printing posters write
	Logger    *slog.Logger
	// State keeps what the poster must remember between runs (a session,
	// a counter) in the database.
	State State
	// Transport carries the poster's HTTP requests; nil means the default.
	Transport http.RoundTripper
	Now       func() time.Time // nil means time.Now
}

// Clock returns Now, or time.Now when it is nil.
func (e Env) Clock() func() time.Time {
	if e.Now == nil {
		return time.Now
	}
	return e.Now
}

// HTTPClient returns a client for the poster's requests: Env.Transport and
// the common timeout (see NewHTTPClient).
func (e Env) HTTPClient() *http.Client {
	return NewHTTPClient(e.Transport, e.Common.TimeoutDuration)
}

// NewHTTPClient returns a client for a poster's requests through t (nil
// means http.DefaultTransport), each bounded by timeout, with redirects
// surfaced instead of followed: a redirected POST becomes a GET and loses
// its status, so the server URL had better be fixed.
func NewHTTPClient(t http.RoundTripper, timeout time.Duration) *http.Client {
	if t == nil {
		t = http.DefaultTransport
	}
	return &http.Client{
		Transport:     t,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// State is a poster's own small key-value store in the database.
type State interface {
	// Load returns the value of key, "" when unset.
	Load(ctx context.Context, key string) (string, error)
	// Save sets key to value.
	Save(ctx context.Context, key, value string) error
}

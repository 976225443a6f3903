package config

import (
	"strings"
	"testing"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/poster/stdout"
	"github.com/itsecbot/itsecbot/textlen"
)

func testPlatforms() Platforms {
	return Platforms{"mastodon": mastodon.Platform{}, "stdout": stdout.Platform{}, "secret": secretPlatform{}}
}

// secretPlatform shows what a Block resolves: one credential.
type secretPlatform struct{}

type secretSettings struct {
	Token     string `yaml:"token"`
	TokenFile string `yaml:"token_file"`

	secret, missing string
}

func (secretPlatform) Configure(b poster.Block, _ *poster.Common) poster.Settings {
	s := &secretSettings{}
	if b.Decode(s) {
		s.secret, s.missing = b.Secret("token", s.Token, "token_file", s.TokenFile)
	}
	return s
}

func (s *secretSettings) Missing() string { return s.missing }
func (s *secretSettings) Fallback() textlen.Spec {
	return textlen.Spec{Platform: textlen.PlatformMastodon}
}
func (s *secretSettings) New(poster.Env) (poster.Poster, error) { return nil, nil }

func TestPosterBlockErrorsAreLocated(t *testing.T) {
	src := `feeds:
  - {name: a, url: https://a.example/}
posters:
  - type: mastodon
    server: https://m.example
    access_token: ${TOKEN}
    visiblity: public
  - type: stdout
    max_posts_per_day: lots
  - type: stdout
    name: other
    rule: myspace
`
	_, err := Parse("config.yaml", []byte(src), env(nil), testPlatforms())
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`config.yaml:7:16: posters[0].visiblity: unknown field "visiblity" (did you mean "visibility"?)`,
		`config.yaml:9:24: posters[1].max_posts_per_day: `,
		`config.yaml:12:11: posters[2].rule: must be one of mastodon, x, bluesky, misskey, slack, discord, teams, webhook, not "myspace"`,
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%s", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("error %d = %q, want prefix %q", i, lines[i], w)
		}
	}
}

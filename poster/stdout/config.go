package stdout

import (
	"strings"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// Platform is the stdout poster's entry in the platform table.
type Platform struct{}

// settings is a stdout entry: the rule to print under.
type settings struct {
	// Rule names the platform whose length rule posts are printed under.
	Rule string `yaml:"rule"`
	// MaxChars is that rule's limit; 0 means the platform's default.
	MaxChars int `yaml:"max_chars"`
}

// Configure decodes rule and max_chars.
func (Platform) Configure(b poster.Block, _ *poster.Common) poster.Settings {
	s := &settings{Rule: textlen.PlatformMastodon}
	if !b.Decode(s) {
		return s
	}
	if s.MaxChars < 0 {
		b.Fail("max_chars", "must not be negative, not %d", s.MaxChars)
	}
	if _, err := s.Fallback().Rule(); err != nil {
		b.Fail("rule", "must be one of %s, not %q", strings.Join(textlen.Platforms(), ", "), s.Rule)
	}
	return s
}

func (s *settings) Missing() string { return "" }

func (s *settings) Fallback() textlen.Spec {
	return textlen.Spec{Platform: s.Rule, Limit: s.MaxChars}
}

func (s *settings) New(env poster.Env) (poster.Poster, error) {
	return New(env.Common.Name, env.Stdout, s.Fallback())
}

package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/itsecbot/itsecbot/digest"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/schedule"
)

// Platforms maps a poster type to the package that decodes and builds it.
type Platforms map[string]poster.Platform

func (p Platforms) names() string {
	names := make([]string, 0, len(p))
	for n := range p {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// Poster is one posters[] entry: the keys every platform shares, and the
// settings its platform decoded from the rest.
type Poster struct {
	poster.Common
	Settings poster.Settings
	// Digests are the times new posts are composed for this poster: its
	// own schedule, else schedule.digest; empty means every poll cycle.
	Digests schedule.Times
}

// Missing says why the poster cannot send yet ("" when it can).
func (p Poster) Missing() string {
	if p.Settings == nil {
		return ""
	}
	return p.Settings.Missing()
}

// DatabasePath is the SQLite file, resolved against the config folder.
func (c *Config) DatabasePath() string {
	if c.Database == ":memory:" || strings.HasPrefix(c.Database, "/") || c.Dir == "" {
		return c.Database
	}
	return c.Dir + "/" + c.Database
}

// Default poster settings.
const (
	defaultLanguage    = "ja"
	defaultPostTimeout = "30s"
)

func (v *validator) posters(c *Config, platforms Platforms) {
	seen := map[string]int{}
	c.Posters = make([]Poster, 0, len(c.RawPosters))
	for i, raw := range c.RawPosters {
		key := fmt.Sprintf("posters[%d]", i)
		p := Poster{Common: poster.Common{Language: defaultLanguage, Timeout: defaultPostTimeout}}
		common, rest := splitCommon(raw)
		if !v.decodeInto(key, common, &p.Common) {
			continue
		}
		if p.Name == "" {
			p.Name = p.Type
		}
		if j, dup := seen[p.Name]; dup {
			v.fail(key+".name", "%q is already the name of posters[%d]; give each poster its own name", p.Name, j)
		}
		seen[p.Name] = i
		platform, ok := platforms[p.Type]
		if !ok {
			v.fail(key+".type", "must be one of %s, not %q", platforms.names(), p.Type)
			continue
		}
		p.Settings = platform.Configure(&block{v: v, key: key, raw: rest, dir: c.Dir}, &p.Common)
		v.common(key, &p.Common)
		p.Digests = c.Schedule.DigestTimes
		if p.Schedule != nil {
			p.Digests = v.specs(key+".schedule", p.Schedule, c.Location)
		}
		c.Posters = append(c.Posters, p)
	}
}

// common checks the shared keys once the platform has filled its defaults.
func (v *validator) common(key string, p *poster.Common) {
	if p.Layout != "" && p.Layout != string(digest.Digest) && p.Layout != string(digest.Each) {
		v.fail(key+".layout", "must be digest or each, not %q", p.Layout)
	}
	v.hashtags(key+".hashtags", p.Hashtags)
	if len(p.Language) != 2 || strings.ToLower(p.Language) != p.Language {
		v.fail(key+".language", "must be an ISO 639-1 code like ja or en, not %q", p.Language)
	}
	v.nonNegative(key+".max_stories", p.MaxStories)
	v.nonNegative(key+".max_posts_per_day", p.MaxPostsPerDay)
	p.TimeoutDuration = v.duration(key+".timeout", p.Timeout, time.Second)
}

// splitCommon separates the shared keys of an entry from its platform's.
func splitCommon(raw map[string]any) (common, rest map[string]any) {
	keys := poster.CommonKeys()
	common, rest = map[string]any{}, map[string]any{}
	for k, val := range raw {
		if slices.Contains(keys, k) {
			common[k] = val
		} else {
			rest[k] = val
		}
	}
	return common, rest
}

// decodeInto decodes part of an entry strictly into out, reporting a
// problem under key, located in the original file, with the same advice
// as the rest of the config (the key probably meant, a list for a
// mapping, ...).
func (v *validator) decodeInto(key string, part map[string]any, out any) bool {
	if len(part) == 0 {
		return true
	}
	src, err := yaml.Marshal(part)
	if err != nil {
		v.fail(key, "cannot read the entry: %v", err)
		return false
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil || len(f.Docs) == 0 {
		v.fail(key, "cannot read the entry: %v", err)
		return false
	}
	body := f.Docs[0].Body
	err = yaml.NodeToValue(body, out, yaml.Strict())
	if err == nil {
		return true
	}
	msg := err.Error()
	if ye, ok := asYAMLError(err); ok {
		msg = ye.GetMessage()
		if s, found := findToken(body, func(ast.Node) {}, ye.GetToken()); found && len(s.path) > 0 {
			e, _ := decodeMessage(v.file, err, s, reflect.TypeOf(out).Elem(), map[string]bool{})
			key, msg = key+"."+s.path.String(), e.Msg
		}
	}
	v.fail(key, "%s", msg)
	return false
}

// block is one posters[] entry as its platform sees it.
type block struct {
	v   *validator
	key string // posters[i]
	raw map[string]any
	dir string
}

func (b *block) Decode(out any) bool { return b.v.decodeInto(b.key, b.raw, out) }

func (b *block) Fail(key, format string, args ...any) {
	b.v.fail(b.key+"."+key, format, args...)
}

func (b *block) Expand(s string) (string, []string) { return expand(s, b.v.env) }

// Secret resolves a credential. A missing one is not an error: the poster
// is reported and prints instead of sending. A literal secret is an error,
// because secrets do not belong in config files.
func (b *block) Secret(key, value, fileKey, file string) (string, string) {
	switch {
	case value != "" && file != "":
		b.Fail(key, "give %s or %s, not both", key, fileKey)
		return "", ""
	case file != "":
		// ${VAR} in the path finds a credential where the service manager
		// put it: ${CREDENTIALS_DIRECTORY}/mastodon-token under systemd.
		file, missing := expand(file, b.v.env)
		if len(missing) > 0 {
			return "", poster.MissingEnv(missing)
		}
		s, err := readSecret(b.dir, file)
		if err != nil {
			b.Fail(fileKey, "cannot read the file: %v", err)
			return "", ""
		}
		if s == "" {
			return "", "file " + file + " is empty"
		}
		return s, ""
	case value != "":
		if !envRef.MatchString(value) {
			b.Fail(key, "write it as ${VARIABLE} and set it in the environment, or use %s; secrets do not belong in config files", fileKey)
			return "", ""
		}
		s, missing := expand(value, b.v.env)
		if len(missing) > 0 {
			return "", poster.MissingEnv(missing)
		}
		return s, ""
	}
	return "", "no " + key + " or " + fileKey
}

// readSecret reads a secret file, relative to the config folder.
func readSecret(dir, path string) (string, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

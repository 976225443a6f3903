package config

import (
	"fmt"
	"net/url"
	"strings"
)

// DatabasePath is the SQLite file, resolved against the config folder.
func (c *Config) DatabasePath() string {
	if c.Database == ":memory:" || strings.HasPrefix(c.Database, "/") || c.Dir == "" {
		return c.Database
	}
	return c.Dir + "/" + c.Database
}

var visibilities = map[string]bool{"public": true, "unlisted": true, "private": true, "direct": true}

func (v *validator) posters(c *Config) {
	seen := map[string]int{}
	for i := range c.Posters {
		p := &c.Posters[i]
		key := fmt.Sprintf("posters[%d]", i)
		if p.Name == "" {
			p.Name = p.Type
		}
		if j, dup := seen[p.Name]; dup {
			v.fail(key+".name", "%q is already the name of posters[%d]; give each poster its own name", p.Name, j)
		}
		seen[p.Name] = i
		switch p.Type {
		case "mastodon":
			v.mastodon(key, p, c.Dir)
		case "stdout":
			v.nonNegative(key+".max_chars", p.MaxChars)
		default:
			v.fail(key+".type", "must be mastodon or stdout, not %q", p.Type)
		}
	}
}

func (v *validator) mastodon(key string, p *Poster, dir string) {
	server, missing := expand(p.Server, v.env)
	p.Server = server
	if len(missing) > 0 {
		// An unset server is an unconfigured account, like an unset token.
		p.Missing = "environment variable " + strings.Join(missing, ", ") + " is not set"
	} else if u, err := url.Parse(p.Server); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.fail(key+".server", "must be the instance's http(s) URL, like https://mastodon.example")
	}
	if p.Visibility == "" {
		p.Visibility = "unlisted"
	}
	if !visibilities[p.Visibility] {
		v.fail(key+".visibility", "must be public, unlisted, private or direct, not %q", p.Visibility)
	}
	if p.Language == "" {
		p.Language = "ja"
	}
	if len(p.Language) != 2 || strings.ToLower(p.Language) != p.Language {
		v.fail(key+".language", "must be an ISO 639-1 code like ja or en, not %q", p.Language)
	}
	v.credentials(key, p, dir)
}

// credentials resolves the token. A missing one is not an error: the poster
// is reported and prints instead of sending. A literal token is an error,
// because secrets do not belong in config files.
func (v *validator) credentials(key string, p *Poster, dir string) {
	switch {
	case p.AccessToken != "" && p.AccessTokenFile != "":
		v.fail(key+".access_token", "give access_token or access_token_file, not both")
	case p.AccessTokenFile != "":
		tok, err := readSecret(dir, p.AccessTokenFile)
		if err != nil {
			v.fail(key+".access_token_file", "cannot read token file: %v", err)
		} else if tok == "" && p.Missing == "" {
			p.Missing = "token file " + p.AccessTokenFile + " is empty"
		}
		p.Token = tok
	case p.AccessToken != "":
		if !envRef.MatchString(p.AccessToken) {
			v.fail(key+".access_token", "write the token as ${VARIABLE} and set it in the environment, or use access_token_file; tokens do not belong in config files")
			return
		}
		tok, missing := expand(p.AccessToken, v.env)
		if len(missing) > 0 && p.Missing == "" {
			p.Missing = "environment variable " + strings.Join(missing, ", ") + " is not set"
		}
		p.Token = tok
	case p.Missing == "":
		p.Missing = "no access_token or access_token_file"
	}
	if p.Missing != "" {
		p.Token = ""
	}
}

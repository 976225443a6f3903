package config

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata"

	"github.com/itsecbot/itsecbot/digest" // Asia/Tokyo must load on hosts without zoneinfo
	"github.com/itsecbot/itsecbot/filter"
)

// validator collects every problem instead of stopping at the first.
type validator struct {
	file string
	loc  locator
	env  Lookup
	errs Errors
}

func (v *validator) fail(key, format string, args ...any) {
	v.errs = append(v.errs, &Error{File: v.file, Line: v.loc.line(key), Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) config(c *Config, platforms Platforms) {
	if strings.TrimSpace(c.Database) == "" {
		v.fail("database", "must not be empty")
	}
	c.Database = v.expanded("database", c.Database)
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		v.fail("timezone", "unknown time zone %q", c.Timezone)
		loc = time.UTC
	}
	c.Location = loc
	v.log(c.Log)
	v.listen("http.listen", c.HTTP.Listen)
	v.fetch(&c.Fetch)
	v.nonNegative("backfill", c.Backfill)
	c.MaxAgeDuration = v.duration("max_age", c.MaxAge, 0)
	c.IntervalDuration = v.duration("interval", c.Interval, time.Minute)
	c.RetentionDuration = v.duration("retention", c.Retention, 0)
	v.feeds(c)
	v.filter("filter", c.Filter)
	v.digest(&c.Digest)
	v.schedule(c)
	v.posters(c, platforms)
}

func (v *validator) log(l Log) {
	switch l.Level {
	case "debug", "info", "warn", "error":
	default:
		v.fail("log.level", "must be debug, info, warn or error, not %q", l.Level)
	}
	if l.Format != "text" && l.Format != "json" {
		v.fail("log.format", "must be text or json, not %q", l.Format)
	}
}

// listen checks a host:port to serve on; "" is off.
func (v *validator) listen(key, addr string) {
	if addr == "" {
		return
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		v.fail(key, "%q is not an address like 127.0.0.1:8080", addr)
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		v.fail(key, "port %q is not a number from 1 to 65535", port)
	}
}

func (v *validator) fetch(f *Fetch) {
	f.TimeoutDuration = v.duration("fetch.timeout", f.Timeout, time.Second)
	f.ConnectTimeoutDuration = v.duration("fetch.connect_timeout", f.ConnectTimeout, time.Second)
	v.positive("fetch.max_body_mib", f.MaxBodyMiB)
	v.positive("fetch.concurrency", f.Concurrency)
	v.positive("fetch.per_host", f.PerHost)
}

func (v *validator) feeds(c *Config) {
	if len(c.Feeds) == 0 {
		v.fail("feeds", "at least one feed is needed")
	}
	seen := map[string]int{}
	urls := map[string]int{}
	for i := range c.Feeds {
		f := &c.Feeds[i]
		key := fmt.Sprintf("feeds[%d]", i)
		f.Name = strings.TrimSpace(f.Name)
		if f.Name == "" {
			v.fail(key+".name", "must not be empty")
		} else if j, dup := seen[f.Name]; dup {
			v.fail(key+".name", "%q is already the name of feeds[%d]", f.Name, j)
		}
		seen[f.Name] = i
		before := len(v.errs)
		if u := v.expanded(key+".url", f.URL); len(v.errs) == before {
			f.URL = v.feedURL(key+".url", u, c.Dir)
			v.uniqueURL(key+".url", f, i, urls)
		}
		v.hashtags(key+".tags", f.Tags)
		if f.Filter != nil {
			v.filter(key+".filter", f.Filter.Filter)
			if m := f.Filter.Mode; m != "" && m != "replace" && m != "extend" {
				v.fail(key+".filter.mode", "must be replace or extend, not %q", m)
			}
		}
		if f.Kind != "" && f.Kind != "kev" {
			v.fail(key+".kind", "must be kev (CISA's catalog of known exploited vulnerabilities) or left out, not %q", f.Kind)
		}
		f.IntervalDuration = c.IntervalDuration
		if f.Interval != "" {
			f.IntervalDuration = v.duration(key+".interval", f.Interval, time.Minute)
		}
		f.MaxAgeDuration = c.MaxAgeDuration
		if f.MaxAge != "" {
			f.MaxAgeDuration = v.duration(key+".max_age", f.MaxAge, 0)
		}
		if f.Timezone != "" {
			if loc, err := time.LoadLocation(f.Timezone); err != nil {
				v.fail(key+".timezone", "unknown time zone %q", f.Timezone)
			} else {
				f.Location = loc
			}
		}
		f.BackfillCount = c.Backfill
		if f.Backfill != nil {
			v.nonNegative(key+".backfill", *f.Backfill)
			f.BackfillCount = *f.Backfill
		}
	}
}

// uniqueURL reports a second enabled feed with the same URL: each would
// store the same stories under its own name, and post them twice.
func (v *validator) uniqueURL(key string, f *Feed, i int, urls map[string]int) {
	if f.Disabled || f.URL == "" {
		return
	}
	if j, dup := urls[f.URL]; dup {
		v.fail(key, "%s is already the url of feeds[%d]; one feed per URL, or its stories are posted twice", f.URL, j)
		return
	}
	urls[f.URL] = i
}

// feedURL checks the scheme and turns file: paths into absolute file:// URLs.
func (v *validator) feedURL(key, raw, dir string) string {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		v.fail(key, "must not be empty")
	case err != nil:
		v.fail(key, "not a URL: %v", err)
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" {
			v.fail(key, "%q has no host", raw)
		}
	case u.Scheme == "file":
		p := u.Path
		if u.Opaque != "" {
			p = u.Opaque
		}
		if u.Host != "" {
			v.fail(key, "file URLs are file:///absolute/path or file:relative/path, not %q", raw)
			return raw
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	default:
		v.fail(key, "scheme must be http, https or file, not %q", u.Scheme)
	}
	return raw
}

func (v *validator) filter(key string, f Filter) {
	for i, w := range f.Include {
		if err := filter.ParseRule(w); err != nil {
			v.fail(fmt.Sprintf("%s.include[%d]", key, i), "%v", err)
		}
	}
	for i, w := range f.Exclude {
		if err := filter.ParseRule(w); err != nil {
			v.fail(fmt.Sprintf("%s.exclude[%d]", key, i), "%v", err)
		}
	}
}

func (v *validator) hashtags(key string, tags []string) {
	for i, t := range tags {
		if !strings.HasPrefix(t, "#") || digest.CheckHashtag(t) != nil {
			v.fail(fmt.Sprintf("%s[%d]", key, i), "%q is not a hashtag like #itsec_jp (no spaces, # or @ after the first #)", t)
		}
	}
}

func (v *validator) digest(d *Digest) {
	if d.Layout != "digest" && d.Layout != "each" {
		v.fail("digest.layout", "must be digest or each, not %q", d.Layout)
	}
	v.hashtags("digest.hashtags", d.Hashtags)
	v.positive("digest.max_stories", d.MaxStories)
	v.templates(d)
}

// templates parses each override on its own, so an error names its key,
// then keeps the parsed set for the composer.
func (v *validator) templates(d *Digest) {
	t := d.Templates
	fields := []struct {
		key string
		src digest.TemplateSource
	}{
		{"digest.templates.each", digest.TemplateSource{Each: t.Each}},
		{"digest.templates.header", digest.TemplateSource{Header: t.Header}},
		{"digest.templates.item", digest.TemplateSource{Item: t.Item}},
	}
	ok := true
	for _, f := range fields {
		if f.src == (digest.TemplateSource{}) {
			continue
		}
		if _, err := digest.ParseTemplates(f.src); err != nil {
			v.fail(f.key, "%v", err)
			ok = false
		}
	}
	if !ok || t == (Templates{}) {
		return
	}
	parsed, err := digest.ParseTemplates(digest.TemplateSource{Each: t.Each, Header: t.Header, Item: t.Item})
	if err != nil {
		v.fail("digest.templates", "%v", err)
		return
	}
	d.Parsed = parsed
}

func (v *validator) positive(key string, n int) {
	if n <= 0 {
		v.fail(key, "must be a positive number, not %d", n)
	}
}

func (v *validator) nonNegative(key string, n int) {
	if n < 0 {
		v.fail(key, "must not be negative, not %d", n)
	}
}

// duration parses s like "15m", "1h30m" or "14d"; "0" is allowed only when min is 0.
func (v *validator) duration(key, s string, min time.Duration) time.Duration {
	d, err := ParseDuration(s)
	if err != nil {
		v.fail(key, "%v", err)
		return 0
	}
	if d < min || d < 0 {
		v.fail(key, "%s is too short: at least %s", s, min)
	}
	return d
}

// ParseDuration reads Go durations plus whole days ("14d").
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("invalid duration %q (use 15m, 2h or 14d)", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (use 15m, 2h or 14d)", s)
	}
	return d, nil
}

// expanded expands ${VAR}; an unset variable outside credentials is an error.
func (v *validator) expanded(key, s string) string {
	out, missing := expand(s, v.env)
	for _, name := range missing {
		v.fail(key, "environment variable %s is not set", name)
	}
	return out
}

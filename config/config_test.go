package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) Lookup {
	return func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
}

const good = `database: bot.db
timezone: Asia/Tokyo
backfill: 2
feeds:
  - name: JPCERT/CC
    url: https://www.jpcert.or.jp/rss/jpcert.rdf
    tags: ["#JPCERT"]
  - name: Local
    url: file:feeds/local.rdf
    interval: 1h
    max_age: 3d
    backfill: 0
    filter: {include: [脆弱性, CVE], exclude: [セミナー]}
filter: {exclude: [求人]}
digest: {layout: each}
posters:
  - type: mastodon
    server: https://mastodon.example
    access_token: ${TOKEN}
  - type: stdout
  - type: secret
    name: vault
    token: ${TOKEN}
`

func TestParseGood(t *testing.T) {
	c, err := Parse("/etc/itsecbot/config.yaml", []byte(good), env(map[string]string{"TOKEN": "secret"}), testPlatforms())
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabasePath() != "/etc/itsecbot/bot.db" {
		t.Errorf("DatabasePath = %q", c.DatabasePath())
	}
	if c.Feeds[1].URL != "file:///etc/itsecbot/feeds/local.rdf" {
		t.Errorf("relative file URL = %q", c.Feeds[1].URL)
	}
	if f := c.Feeds[0]; f.IntervalDuration != 15*time.Minute || f.MaxAgeDuration != 14*24*time.Hour || f.BackfillCount != 2 {
		t.Errorf("feed 0 defaults not applied: %+v", f)
	}
	if f := c.Feeds[1]; f.IntervalDuration != time.Hour || f.MaxAgeDuration != 72*time.Hour || f.BackfillCount != 0 {
		t.Errorf("feed 1 overrides not applied: %+v", f)
	}
	if c.Digest.Layout != "each" || len(c.Digest.Hashtags) != 1 || c.Digest.Hashtags[0] != "#itsec_jp" {
		t.Errorf("digest defaults lost when one key was set: %+v", c.Digest)
	}
	p := c.Posters[0]
	if p.Missing() != "" || p.Language != "ja" || p.Name != "mastodon" || p.TimeoutDuration != 30*time.Second {
		t.Errorf("poster = %+v, missing %q", p.Common, p.Missing())
	}
	if p := c.Posters[2]; p.Name != "vault" || p.Settings.(*secretSettings).secret != "secret" {
		t.Errorf("poster = %+v, secret %q", p.Common, p.Settings.(*secretSettings).secret)
	}
}

func TestMissingTokenIsReportedNotFatal(t *testing.T) {
	c, err := Parse("config.yaml", []byte(good), env(nil), testPlatforms())
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Posters[0]; !strings.Contains(p.Missing(), "TOKEN is not set") {
		t.Errorf("poster without token: Missing=%q", p.Missing())
	}
}

func TestTokenFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "token"), []byte("filetoken\n"), 0o600)
	src := strings.Replace(good, "    token: ${TOKEN}", "    token_file: token", 1)
	c, err := Parse(filepath.Join(dir, "config.yaml"), []byte(src), env(nil), testPlatforms())
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Posters[2].Settings.(*secretSettings).secret; got != "filetoken" {
		t.Errorf("token from file = %q", got)
	}
}

func TestErrorsNameFileLineAndKey(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"unknown key", "feeds:\n  - name: a\n    url: https://a.example/feed\n    intervl: 15m\n",
			[]string{`config.yaml:4:5: feeds[0].intervl: unknown field "intervl" (did you mean "interval"?)`}},
		{"wrong type", "backfill: lots\nfeeds:\n  - {name: a, url: https://a.example/}\n",
			[]string{"config.yaml:1:11: backfill: expected a whole number, found \"lots\""}},
		{"wrong type nested", "feeds:\n  - name: a\n    url: https://a.example/\n    backfill: [1]\n",
			[]string{"config.yaml:4:15: feeds[0].backfill: expected a whole number, found a list"}},
		{"syntax", "feeds:\n  - name: [a\n", []string{"config.yaml:"}},
		{"bad values", `timezone: Mars/Base
feeds:
  - name: a
    url: ftp://a.example/feed
  - name: a
    url: https://b.example/feed
    interval: fifteen
    tags: [itsec]
digest: {layout: grid}
posters:
  - type: mastodon
    server: mastodon.example
    access_token: abc123
  - type: carrier-pigeon
`, []string{
			`config.yaml:1:11: timezone: unknown time zone "Mars/Base"`,
			`config.yaml:4:10: feeds[0].url: scheme must be http, https or file, not "ftp"`,
			`config.yaml:5:11: feeds[1].name: "a" is already the name of feeds[0]`,
			`config.yaml:7:15: feeds[1].interval: invalid duration "fifteen"`,
			`config.yaml:8:12: feeds[1].tags[0]: "itsec" is not a hashtag`,
			`config.yaml:9:18: digest.layout: must be digest or each, not "grid"`,
			`config.yaml:12:13: posters[0].server: must be the instance's http(s) URL`,
			`config.yaml:13:19: posters[0].access_token: write it as ${VARIABLE}`,
			`config.yaml:14:11: posters[1].type: must be one of mastodon, secret, stdout, not "carrier-pigeon"`,
		}},
		{"unset variable in url", "feeds:\n  - name: a\n    url: ${FEED_URL}\n",
			[]string{"config.yaml:3:10: feeds[0].url: environment variable FEED_URL is not set"}},
		{"bad template", "feeds:\n  - {name: a, url: https://a.example/}\ndigest:\n  templates:\n    item: \"{{.Nope}}\"\n",
			[]string{"config.yaml:5:11: digest.templates.item: "}},
		{"tag the decoder cannot handle", "feeds:\n  - {name: a, url: https://a.example/}\nposters: !x 1\n",
			[]string{"config.yaml:3:10: posters: cannot decode YAML at the tag !x: this file needs no tags; remove it"}},
		{"no feeds", "database: x.db\n", []string{"config.yaml: feeds: at least one feed is needed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("config.yaml", []byte(tt.src), env(nil), testPlatforms())
			if err == nil {
				t.Fatal("no error")
			}
			if !IsInvalid(err) {
				t.Errorf("IsInvalid(%v) = false", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %d = %q, want prefix %q", i, lines[i], w)
				}
			}
		})
	}
}

func TestTemplateOverrideIsParsed(t *testing.T) {
	src := "feeds:\n  - {name: a, url: https://a.example/}\ndigest:\n  layout: each\n  templates:\n    each: \"[{{.Source}}] {{.Title}} {{.URL}}\"\n"
	c, err := Parse("config.yaml", []byte(src), env(nil), testPlatforms())
	if err != nil {
		t.Fatal(err)
	}
	if c.Digest.Parsed == nil {
		t.Error("template override not parsed")
	}
}

func TestLoadMissingFileIsAConfigError(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), env(nil), testPlatforms())
	if err == nil || !IsInvalid(err) || !strings.Contains(err.Error(), "nope.yaml: cannot read config: no such file or directory") {
		t.Errorf("Load(missing) = %v", err)
	}
}

func TestResolve(t *testing.T) {
	if got := Resolve("", env(map[string]string{EnvPath: "/etc/x.yaml"})); got != "/etc/x.yaml" {
		t.Errorf("Resolve from env = %q", got)
	}
	if got := Resolve("a.yaml", env(map[string]string{EnvPath: "/etc/x.yaml"})); got != "a.yaml" {
		t.Errorf("Resolve with flag = %q", got)
	}
	if got := Resolve("", env(nil)); got != DefaultPath {
		t.Errorf("Resolve default = %q", got)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"15m": 15 * time.Minute, "14d": 14 * 24 * time.Hour, "0": 0, "1h30m": 90 * time.Minute} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "-1d", "fifteen", "1.5d"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) accepted", in)
		}
	}
}

// Package config loads and validates itsecbot's YAML configuration.
//
// Loading is strict: unknown keys, wrong types and invalid values are errors
// that name the file, the line and the key. ${VAR} references are expanded
// from the environment so that tokens never have to live in the file.
package config

import (
	"time"

	"github.com/robfig/cron/v3"

	"github.com/itsecbot/itsecbot/digest"
	"github.com/itsecbot/itsecbot/schedule"
)

// Config is a validated configuration. Fields tagged yaml:"-" are derived
// by Validate from their textual counterparts.
type Config struct {
	Database string   `yaml:"database"`
	Timezone string   `yaml:"timezone"`
	Log      Log      `yaml:"log"`
	Fetch    Fetch    `yaml:"fetch"`
	Backfill int      `yaml:"backfill"`
	MaxAge   string   `yaml:"max_age"`
	Interval string   `yaml:"interval"`
	Feeds    []Feed   `yaml:"feeds"`
	Filter   Filter   `yaml:"filter"`
	Rank     Rank     `yaml:"rank"`
	Digest   Digest   `yaml:"digest"`
	Schedule Schedule `yaml:"schedule"`
	// Retention is how long items are kept once their feed no longer
	// lists them, e.g. "180d"; "0" keeps them for ever.
	Retention string `yaml:"retention"`
	// HTTP is the optional read-only status server.
	HTTP HTTP `yaml:"http"`
	// RawPosters are the posters[] entries as written; each platform
	// decodes its own keys into Posters.
	RawPosters []map[string]any `yaml:"posters"`
	Posters    []Poster         `yaml:"-"`

	// Path is the file the config was read from ("" for Default).
	Path string `yaml:"-"`
	// Dir is the folder relative paths resolve against.
	Dir string `yaml:"-"`
	// Location is Timezone loaded.
	Location *time.Location `yaml:"-"`
	// MaxAgeDuration is MaxAge parsed; 0 means no limit.
	MaxAgeDuration time.Duration `yaml:"-"`
	// IntervalDuration is the default per-feed poll interval.
	IntervalDuration time.Duration `yaml:"-"`
	// RetentionDuration is Retention parsed; 0 keeps items for ever.
	RetentionDuration time.Duration `yaml:"-"`
}

// Rank weights the signals that order stories; see selection.Weights.
type Rank struct {
	Critical  float64 `yaml:"critical"`
	High      float64 `yaml:"high"`
	Medium    float64 `yaml:"medium"`
	Exploited float64 `yaml:"exploited"`
	KEV       float64 `yaml:"kev"`
	PerSource float64 `yaml:"per_source"`
	PerDay    float64 `yaml:"per_day"`
	Urgent    float64 `yaml:"urgent"`
}

// HTTP configures the status server: the status page, the curated feeds,
// /healthz and /metrics. It only reads.
type HTTP struct {
	// Listen is the address to serve on, e.g. "127.0.0.1:8080"; "" (the
	// default) serves nothing.
	Listen string `yaml:"listen"`
}

// Log configures logging.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

// Fetch configures HTTP fetching of feeds.
type Fetch struct {
	UserAgent      string `yaml:"user_agent"`
	Timeout        string `yaml:"timeout"`
	ConnectTimeout string `yaml:"connect_timeout"`
	MaxBodyMiB     int    `yaml:"max_body_mib"`
	Concurrency    int    `yaml:"concurrency"`
	PerHost        int    `yaml:"per_host"`
	AllowPrivate   bool   `yaml:"allow_private"`

	TimeoutDuration        time.Duration `yaml:"-"`
	ConnectTimeoutDuration time.Duration `yaml:"-"`
}

// Feed is one polled feed.
type Feed struct {
	Name     string      `yaml:"name"`
	URL      string      `yaml:"url"`
	Tags     []string    `yaml:"tags"`
	Filter   *FeedFilter `yaml:"filter"`
	Interval string      `yaml:"interval"`
	Backfill *int        `yaml:"backfill"`
	MaxAge   string      `yaml:"max_age"`
	Timezone string      `yaml:"timezone"`
	Disabled bool        `yaml:"disabled"`
	// Weight adds to the score of this feed's stories and makes its link
	// the one shown when several feeds tell one story.
	Weight float64 `yaml:"weight"`
	// Trusted feeds pass every item, whatever the filters say.
	Trusted bool `yaml:"trusted"`
	// Kind is "" for a feed of stories, or "kev" for CISA's Known
	// Exploited Vulnerabilities catalog (JSON), used to rank, never posted.
	Kind string `yaml:"kind"`

	// Location is Timezone loaded; nil lets the parser decide (Japan time
	// for Japanese feeds, UTC otherwise).
	Location *time.Location `yaml:"-"`

	// IntervalDuration is Interval parsed, or the global default.
	IntervalDuration time.Duration `yaml:"-"`
	// MaxAgeDuration is MaxAge parsed, or the global default; 0 means no limit.
	MaxAgeDuration time.Duration `yaml:"-"`
	// BackfillCount is Backfill, or the global default.
	BackfillCount int `yaml:"-"`
}

// Filter holds keyword rules, matched as substrings after NFKC and
// lower-casing; see filter.Rules for the rule syntax.
type Filter struct {
	Include []string `yaml:"include"`
	Exclude []string `yaml:"exclude"`
}

// FeedFilter is a feed's rules.
type FeedFilter struct {
	Filter `yaml:",inline"`
	// Mode says what the feed's include list does to the global one:
	// "replace" (the default) or "extend".
	Mode string `yaml:"mode"`
}

// Digest configures how posts are composed.
type Digest struct {
	Layout            string    `yaml:"layout"` // digest or each
	Hashtags          []string  `yaml:"hashtags"`
	MaxStories        int       `yaml:"max_stories"`
	AllowFeedHashtags bool      `yaml:"allow_feed_hashtags"`
	Templates         Templates `yaml:"templates"`

	// Parsed is Templates parsed; nil keeps the built-in layouts.
	Parsed *digest.Templates `yaml:"-"`
}

// Schedule says when `itsecbot run` runs a cycle and when new posts are
// composed; `itsecbot once` follows the digest times too.
type Schedule struct {
	// Poll is the cron spec of poll cycles; empty means every shortest
	// feed interval.
	Poll string `yaml:"poll"`
	// Digest are the cron specs of the times new posts are composed;
	// empty means every poll cycle composes.
	Digest []string `yaml:"digest"`

	// PollSpec is Poll, or the default spec when Poll is empty.
	PollSpec string `yaml:"-"`
	// PollSchedule is PollSpec parsed.
	PollSchedule cron.Schedule `yaml:"-"`
	// DigestTimes is Digest parsed.
	DigestTimes schedule.Times `yaml:"-"`
}

// Templates are text/template overrides for the composer.
type Templates struct {
	Each   string `yaml:"each"`
	Header string `yaml:"header"`
	Item   string `yaml:"item"`
}

// Default returns the configuration used for every key the file leaves out.
func Default() *Config {
	return &Config{
		Database: "itsecbot.db",
		Timezone: "Asia/Tokyo",
		Log:      Log{Level: "info", Format: "text"},
		Fetch: Fetch{
			Timeout:        "30s",
			ConnectTimeout: "10s",
			MaxBodyMiB:     10,
			Concurrency:    8,
			PerHost:        2,
			AllowPrivate:   false,
		},
		MaxAge:    "14d",
		Interval:  "15m",
		Retention: "180d",
		Rank:      Rank{Critical: 3, High: 2, Medium: 1, Exploited: 2, KEV: 6, PerSource: 1, PerDay: -0.5, Urgent: 6},
		Digest: Digest{
			Layout:     "digest",
			Hashtags:   []string{"#itsec_jp"},
			MaxStories: 30,
		},
	}
}

// Health thresholds shared by `itsecbot health` and the server's /healthz.
const (
	MissedPolls = 3               // poll times that may pass without a successful cycle
	CycleSlack  = 5 * time.Minute // a cycle's own run time
)

// CyclesOverdue is when the bot is unhealthy if no cycle succeeds after
// lastOK: MissedPolls poll times later, plus CycleSlack.
func (s Schedule) CyclesOverdue(lastOK time.Time) time.Time {
	due := lastOK
	for range MissedPolls {
		due = s.PollSchedule.Next(due)
	}
	return due.Add(CycleSlack)
}

package digest

import (
	"errors"
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // Asia/Tokyo must load on hosts without zoneinfo.
)

// Story is one feed item to be posted.
type Story struct {
	ID           int64     // caller's item id, opaque to digest
	Source       string    // feed name, e.g. "JPCERT/CC"
	Sources      []string  // when several feeds tell the story: their names, shown joined ("JPCERT/CC / IPA")
	Title        string    // feed text; cleaned and neutralised before use
	URL          string    // only http and https links are kept
	Tags         []string  // extra hashtags from config for this feed, e.g. "#JPCERT" (live hashtags)
	Identifier   string    // e.g. JVNDB-2024-000001 (may be empty)
	CVEs         []string  // e.g. CVE-2024-1234
	CVSSScore    float64   // 0 = unknown
	CVSSSeverity string    // "Critical", "High", "Medium", "Low", "None" or ""
	Exploited    bool      // known to be exploited (a CVE in CISA's KEV catalog): badge [悪用確認]
	Published    time.Time // shown in Options.Location
}

// Layout selects how stories are grouped into posts.
type Layout string

// The layouts Compose understands.
const (
	Each   Layout = "each"   // one post per story
	Digest Layout = "digest" // one thread carrying every story
)

// Options control composing. The zero value is a digest in Asia/Tokyo
// with the built-in templates and no hashtags.
type Options struct {
	Layout            Layout         // "" = Digest
	Hashtags          []string       // appended to every post, e.g. ["#itsec_jp"]
	Slot              time.Time      // the digest's time, from the caller's clock; shown in Location
	Location          *time.Location // nil = Asia/Tokyo
	Templates         *Templates     // nil = built-in defaults
	AllowFeedHashtags bool           // when true, '#' in feed text is left alone
}

// Post is the text of one status and the stories it carries.
type Post struct {
	Text    string
	Stories []int64 // IDs of the stories this post carries
}

// Thread is a post and its replies: Posts[1:] are replies to the previous post.
type Thread struct{ Posts []Post }

// Rule reports whether a text is within a platform's length limit.
// textlen.Rule satisfies it.
type Rule interface{ Fits(text string) bool }

// ErrTooLong reports a story that does not fit in one post even with its
// title shortened to the minimum. It arrives wrapped in a *StoryError.
var ErrTooLong = errors.New("story does not fit in one post")

// StoryError names the story Compose could not place, so that the caller
// can set it aside and compose the rest.
type StoryError struct {
	ID    int64
	Title string
	Err   error
}

func (e *StoryError) Error() string {
	return fmt.Sprintf("compose story %d %q: %v", e.ID, e.Title, e.Err)
}

func (e *StoryError) Unwrap() error { return e.Err }

// tokyo is loaded once; with time/tzdata embedded the load cannot fail.
var tokyo = mustLoad("Asia/Tokyo")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("load time zone %s: %v", name, err))
	}
	return loc
}

// Compose turns stories into threads of posts that each fit rule.
//
// It is pure: the same input gives the same output, with no clock or
// randomness inside. Stories keep the caller's order. The Each layout
// returns one single-post Thread per story; the Digest layout returns one
// Thread, split into numbered replies when it exceeds the limit, or no
// Thread at all when stories is empty. A story that cannot fit even after
// shortening its title to the minimum yields a *StoryError wrapping
// ErrTooLong, never a silent drop.
func Compose(stories []Story, rule Rule, opts Options) ([]Thread, error) {
	if rule == nil {
		return nil, errors.New("compose: nil rule")
	}
	c, err := newComposer(stories, rule, opts)
	if err != nil {
		return nil, err
	}
	switch opts.Layout {
	case Each:
		return c.each()
	case Digest, "":
		return c.digest()
	default:
		return nil, fmt.Errorf("compose: unknown layout %q", opts.Layout)
	}
}

// ComposeFitting is Compose that sets aside, instead of failing on, the
// stories that cannot fit a post even shortened: it returns the threads of
// the others and the reason for each story left out.
func ComposeFitting(stories []Story, rule Rule, opts Options) ([]Thread, []*StoryError, error) {
	var unfit []*StoryError
	for {
		threads, err := Compose(stories, rule, opts)
		var se *StoryError
		if !errors.As(err, &se) {
			return threads, unfit, err
		}
		i := slices.IndexFunc(stories, func(s Story) bool { return s.ID == se.ID })
		if i < 0 {
			return nil, unfit, err // not one of ours: never loop
		}
		unfit = append(unfit, se)
		stories = slices.Delete(slices.Clone(stories), i, i+1)
	}
}

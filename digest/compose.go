package digest

import (
	"fmt"
	"strings"
	"text/template"
	"time"
)

// untitled stands in for a story whose title is empty after cleaning.
const untitled = "(タイトルなし)"

// composer holds one Compose call's cleaned input.
type composer struct {
	rule      Rule
	tpl       Templates
	allowHash bool
	slot      time.Time
	global    []string // Options.Hashtags, checked
	stories   []prepared
}

// prepared is a story cleaned and ready for the templates.
type prepared struct {
	id   int64
	item ItemData
	tags []string // Story.Tags, checked
}

func newComposer(stories []Story, rule Rule, opts Options) (*composer, error) {
	global, err := cleanHashtags(opts.Hashtags)
	if err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	loc := opts.Location
	if loc == nil {
		loc = tokyo
	}
	c := &composer{
		rule:      rule,
		tpl:       opts.Templates.pick(),
		allowHash: opts.AllowFeedHashtags,
		slot:      opts.Slot.In(loc),
		global:    global,
		stories:   make([]prepared, 0, len(stories)),
	}
	for i := range stories {
		p, err := c.prepare(&stories[i], i+1, loc)
		if err != nil {
			return nil, err
		}
		c.stories = append(c.stories, p)
	}
	return c, nil
}

func (c *composer) prepare(s *Story, number int, loc *time.Location) (prepared, error) {
	sev := newSeverity(s.CVSSSeverity, s.CVSSScore)
	d := ItemData{
		Number:     number,
		Source:     c.clean(s.Source),
		Exploited:  s.Exploited,
		Title:      c.clean(s.Title),
		URL:        cleanURL(s.URL),
		Identifier: c.clean(s.Identifier),
		Severity:   sev.Label,
		Score:      sev.Score,
		Badge:      exploitedBadge(s.Exploited) + sev.Badge(),
		Published:  s.Published,
	}
	if !d.Published.IsZero() {
		d.Published = d.Published.In(loc)
	}
	for _, src := range s.Sources {
		if src = c.clean(src); src != "" {
			d.Sources = append(d.Sources, src)
		}
	}
	if len(d.Sources) > 1 {
		d.Source = strings.Join(d.Sources, " / ")
	}
	for _, cve := range s.CVEs {
		if cve = c.clean(cve); cve != "" {
			d.CVEs = append(d.CVEs, cve)
		}
	}
	if d.Title == "" {
		d.Title = untitled
		if d.Identifier != "" {
			d.Title = d.Identifier
		}
	}
	tags, err := cleanHashtags(s.Tags)
	if err != nil {
		return prepared{}, &StoryError{ID: s.ID, Title: d.Title, Err: err}
	}
	return prepared{id: s.ID, item: d, tags: tags}, nil
}

func (c *composer) clean(s string) string { return cleanText(s, c.allowHash) }

// each gives every story a thread of its own.
func (c *composer) each() ([]Thread, error) {
	threads := make([]Thread, 0, len(c.stories))
	for i := range c.stories {
		p := &c.stories[i]
		tags := c.tagLine(p)
		wrap := func(item string) string { return joinPost("", []string{item}, tags) }
		item, err := c.fitItem(p, c.tpl.each, wrap)
		if err != nil {
			return nil, err
		}
		post := Post{Text: wrap(item), Stories: []int64{p.id}}
		threads = append(threads, Thread{Posts: []Post{post}})
	}
	return threads, nil
}

// fitItem renders p with tpl, shortening the title until wrap(item) fits
// the rule.
func (c *composer) fitItem(p *prepared, tpl *template.Template, wrap func(string) string) (string, error) {
	var execErr error
	fits := func(title string) bool {
		item, err := c.render(p, tpl, title)
		if err != nil {
			execErr = err
			return false
		}
		return c.rule.Fits(wrap(item))
	}
	title, ok := fitTitle(p.item.Title, c.allowHash, fits)
	switch {
	case execErr != nil:
		return "", &StoryError{ID: p.id, Title: p.item.Title, Err: execErr}
	case !ok:
		return "", &StoryError{ID: p.id, Title: p.item.Title, Err: ErrTooLong}
	}
	return c.render(p, tpl, title)
}

func (c *composer) render(p *prepared, tpl *template.Template, title string) (string, error) {
	d := p.item
	d.Title = title
	return execute(tpl, d)
}

// tagLine lists the live hashtags for a post carrying the given stories:
// Options.Hashtags first, then each story's own, without duplicates.
func (c *composer) tagLine(ps ...*prepared) string {
	var set hashtagSet
	set.add(c.global...)
	for _, p := range ps {
		set.add(p.tags...)
	}
	return set.line()
}

// joinPost lays a post out as header, items and hashtags, one per line,
// leaving out whatever is empty.
func joinPost(header string, items []string, tags string) string {
	lines := make([]string, 0, len(items)+2)
	if header != "" {
		lines = append(lines, header)
	}
	lines = append(lines, items...)
	if tags != "" {
		lines = append(lines, tags)
	}
	return strings.Join(lines, "\n")
}

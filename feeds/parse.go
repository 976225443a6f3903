package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/mmcdole/gofeed"
)

// ParseOptions tune Parse.
type ParseOptions struct {
	ContentType string // HTTP Content-Type (for charset when the prolog declares none)
	// Location is the zone of dates without an offset. nil: Asia/Tokyo for a
	// Japanese feed (its language, or Japanese script in its titles), else
	// UTC. "JST" is always read as Japan time, whatever Location says.
	Location *time.Location
}

var (
	htmlStart = regexp.MustCompile(`(?i)<(?:!doctype\s+html|html|head|body)\b`)
	rootLang  = regexp.MustCompile(`^(?:\s|<\?[^>]*\?>|<!--(?s:.*?)-->|<![^>]*>)*<[^>!?][^>]*?\bxml:lang\s*=\s*["']([^"']+)["']`)
)

// sniffWindow is how much of a document is inspected for HTML or the root tag.
const sniffWindow = 4096

// panicError reports a panic inside the parser, recovered by Parse.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("parse: panic: %v", e.value) }

// Parse decodes body to UTF-8, checks its structure, parses it as RSS
// 1.0/2.0, Atom or JSON Feed and normalises the items (see Item). Malformed
// or truncated XML is an error, an HTML page or other non-feed document is
// ErrNotFeed, a document beyond the structure limits (MaxDepth, MaxNodes...)
// is ErrTooComplex. Parse never panics. ParseBudget.Parse also bounds the
// memory of parses running at once.
func Parse(body []byte, opts ParseOptions) (*Feed, error) {
	return parse(context.Background(), nil, body, opts)
}

// parse is Parse, waiting for its share of budget when budget is not nil.
func parse(ctx context.Context, budget *ParseBudget, body []byte, opts ParseOptions) (feed *Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, &panicError{r}
		}
	}()
	doc, enc, err := decodeBody(body, opts.ContentType)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	doc = dropControls(doc)
	st, err := scan(doc, defaultLimits)
	if err != nil {
		if htmlStart.Match(doc[:min(len(doc), sniffWindow)]) {
			return nil, fmt.Errorf("parse: %w: got an HTML page", ErrNotFeed)
		}
		return nil, fmt.Errorf("parse: %w", err)
	}
	if budget != nil {
		cost := parseCost(len(doc), st)
		if err := budget.Acquire(ctx, cost); err != nil {
			return nil, fmt.Errorf("parse: wait for memory budget: %w", err)
		}
		defer budget.Release(cost)
	}
	gf, err := newGofeedParser().Parse(bytes.NewReader(doc))
	if err != nil {
		return nil, parseError(doc, err)
	}
	f := convertFeed(gf, doc, opts.Location)
	f.Format, f.Encoding = strings.TrimSpace(gf.FeedType+" "+gf.FeedVersion), enc
	return f, nil
}

// newGofeedParser skips gofeed's per-item HTML parse for images: we never use them.
func newGofeedParser() *gofeed.Parser {
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	return p
}

// tokyo is Japan Standard Time. Japan has had no daylight saving since 1951,
// so a fixed zone equals Asia/Tokyo and needs no zoneinfo on the host.
func tokyo() *time.Location { return time.FixedZone("JST", 9*60*60) }

// defaultZone guesses the zone of offset-less dates: Japan time for a
// Japanese feed, UTC for the rest.
func defaultZone(lang string, gf *gofeed.Feed) *time.Location {
	if strings.HasPrefix(strings.ToLower(lang), "ja") || hasJapanese(gf.Title) {
		return tokyo()
	}
	for _, it := range gf.Items[:min(len(gf.Items), 3)] {
		if it != nil && hasJapanese(it.Title) {
			return tokyo()
		}
	}
	return time.UTC
}

func hasJapanese(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han)
	})
}

func parseError(doc []byte, err error) error {
	if !errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return fmt.Errorf("parse: %w", err)
	}
	head := doc[:min(len(doc), sniffWindow)]
	switch {
	case len(bytes.TrimSpace(doc)) == 0:
		return fmt.Errorf("parse: %w: empty document", ErrNotFeed)
	case htmlStart.Match(head):
		return fmt.Errorf("parse: %w: got an HTML page", ErrNotFeed)
	}
	return fmt.Errorf("parse: %w: %w", ErrNotFeed, err)
}

func convertFeed(gf *gofeed.Feed, doc []byte, loc *time.Location) *Feed {
	f := &Feed{
		Title:    PlainText(gf.Title),
		Link:     strings.TrimSpace(gf.Link),
		Language: strings.TrimSpace(gf.Language),
	}
	if f.Language == "" {
		if m := rootLang.FindSubmatch(doc[:min(len(doc), sniffWindow)]); m != nil {
			f.Language = strings.TrimSpace(string(m[1]))
		}
	}
	if loc == nil {
		loc = defaultZone(f.Language, gf)
	}
	keys := secKeys(doc)
	items := make([]Item, 0, len(gf.Items))
	for _, gi := range gf.Items {
		if gi != nil {
			items = append(items, convertItem(gi, keys, loc))
		}
	}
	f.Items = mergeDuplicates(items)
	return f
}

func convertItem(gi *gofeed.Item, secKeys []string, loc *time.Location) Item {
	it := Item{
		GUID:    strings.TrimSpace(gi.GUID),
		Link:    strings.TrimSpace(gi.Link),
		Title:   PlainText(gi.Title),
		Summary: PlainText(gi.Description),
	}
	if it.Summary == "" {
		it.Summary = PlainText(gi.Content)
	}
	for _, c := range gi.Categories {
		it.Categories = appendUnique(it.Categories, PlainText(c))
	}
	sec := extractSec(gi.Extensions, secKeys)
	it.Identifier = sec.identifier
	if it.Identifier == "" && gi.DublinCoreExt != nil {
		it.Identifier = dcIdentifier(gi.DublinCoreExt.Identifier)
	}
	it.CVEs = appendUnique(sec.cves, cvesIn(it.Title+"\n"+it.Summary)...)
	it.CWEs, it.CVSS = sec.cwes, sec.cvss
	it.Published, it.Updated = itemDates(gi, loc)
	it.Key = itemKey(it)
	return it
}

// itemDates prefers dcterms:issued/modified (JVN keeps the first publication
// there while dc:date moves on each update), then gofeed's fields.
func itemDates(gi *gofeed.Item, loc *time.Location) (published, updated time.Time) {
	published = parseDate(extValue(gi, "dcterms", "issued"), nil, loc)
	if published.IsZero() {
		published = parseDate(gi.Published, gi.PublishedParsed, loc)
	}
	updated = parseDate(extValue(gi, "dcterms", "modified"), nil, loc)
	if updated.IsZero() {
		updated = parseDate(gi.Updated, gi.UpdatedParsed, loc)
	}
	if published.IsZero() {
		published = updated
	}
	return published, updated
}

// extValue is the text of the first extension element prefix:name.
func extValue(gi *gofeed.Item, prefix, name string) string {
	for _, e := range gi.Extensions[prefix][name] {
		if v := strings.TrimSpace(e.Value); v != "" {
			return v
		}
	}
	return ""
}

package feeds

import (
	"regexp"
	"strings"
	"time"
)

// zoneKind says what a date string tells about its time zone.
type zoneKind int

const (
	zoneMissing  zoneKind = iota // no offset: local time of the feed
	zoneJST                      // the abbreviation JST, which Go cannot resolve
	zoneExplicit                 // numeric offset, Z, or a zone name gofeed resolves
)

var (
	timeOfDay   = regexp.MustCompile(`\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[.,]\d+)?`)
	meridiem    = regexp.MustCompile(`(?i)\b[ap]\.?m\b\.?`)
	numericZone = regexp.MustCompile(`[+-]\d{1,2}(?::?\d{2})?\b|(?:^|[^A-Za-z])Z(?:$|[^A-Za-z])`)
	jstZone     = regexp.MustCompile(`(?i)\bJST\b`)
	namedZone   = regexp.MustCompile(`[A-Za-z]{2,5}`)
	jaWeekday   = regexp.MustCompile(`[(（][日月火水木金土][)）]`)
)

// fallbackLayouts are date forms gofeed does not know (Japanese sites) plus the
// W3C-DTF forms of dcterms fields, which gofeed leaves unparsed.
var fallbackLayouts = []string{
	"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	"2006/1/2 15:04:05", "2006/1/2 15:04", "2006/1/2",
	"2006年1月2日 15時4分", "2006年1月2日 15:04", "2006年1月2日",
	"2006.1.2 15:04", "2006.1.2",
}

// classifyZone looks at what follows the time of day. A date without a time
// (2024-05-01) counts as zoneMissing: midnight in the feed's zone.
func classifyZone(raw string) zoneKind {
	// The first h:mm is the time; a later one can only be part of an offset.
	loc := timeOfDay.FindStringIndex(raw)
	if loc == nil {
		return zoneMissing
	}
	rest := meridiem.ReplaceAllString(raw[loc[1]:], "")
	switch {
	case numericZone.MatchString(rest):
		return zoneExplicit
	case jstZone.MatchString(rest):
		return zoneJST
	case namedZone.MatchString(rest):
		return zoneExplicit
	}
	return zoneMissing
}

// parseDate returns raw as UTC. parsed is gofeed's reading of the same string
// (nil when it failed). Offset-less and JST times are read as wall-clock time
// in loc, which gofeed gets wrong (it reads them as UTC). Zero when unparseable.
func parseDate(raw string, parsed *time.Time, loc *time.Location) time.Time {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return time.Time{}
	}
	if parsed == nil {
		t, ok := parseFallback(raw, loc)
		if !ok {
			return time.Time{}
		}
		return t.UTC()
	}
	t := *parsed
	switch classifyZone(raw) {
	case zoneJST:
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), tokyo())
	case zoneMissing:
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	}
	return t.UTC()
}

// parseFallback tries fallbackLayouts, reading zone-less forms in loc and
// forms marked JST in Japan time.
func parseFallback(raw string, loc *time.Location) (time.Time, bool) {
	if jstZone.MatchString(raw) {
		loc = tokyo()
	}
	s := jstZone.ReplaceAllString(raw, "")
	s = jaWeekday.ReplaceAllString(s, " ")
	s = strings.Join(strings.Fields(s), " ")
	for _, layout := range fallbackLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

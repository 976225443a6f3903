package feeds

import (
	"testing"
	"time"
)

// rss2WithDate is a Japanese feed (by its language) with one dated item.
func rss2WithDate(date string) []byte {
	return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.jp/</link><language>ja</language>
<item><title>x</title><link>https://example.jp/1</link><pubDate>` + date + `</pubDate></item></channel></rss>`)
}

// TestDefaultZoneFollowsTheFeed reads offset-less dates in Japan time only
// for Japanese feeds; JST is Japan time in every feed.
func TestDefaultZoneFollowsTheFeed(t *testing.T) {
	doc := func(lang, title, date string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>` + title + `</title><link>https://x.example/</link>` + lang +
			`<item><title>item</title><link>https://x.example/1</link><pubDate>` + date + `</pubDate></item></channel></rss>`)
	}
	tests := []struct {
		name string
		doc  []byte
		want string
	}{
		{"English feed, no offset", doc("<language>en-us</language>", "News", "2024-05-01T10:00:00"), "2024-05-01T10:00:00Z"},
		{"feed without language, Japanese title", doc("", "セキュリティ情報", "2024-05-01T10:00:00"), "2024-05-01T01:00:00Z"},
		{"English feed, JST", doc("<language>en</language>", "News", "Wed, 01 May 2024 10:00:00 JST"), "2024-05-01T01:00:00Z"},
	}
	for _, tt := range tests {
		feed, err := Parse(tt.doc, ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := feed.Items[0].Published; !got.Equal(utc(tt.want)) {
			t.Errorf("%s: Published = %v, want %s", tt.name, got, tt.want)
		}
	}
}

func TestParseDates(t *testing.T) {
	tests := []struct {
		name, date string
		loc        *time.Location
		want       string // RFC 3339 UTC; "" = zero
	}{
		{"JST abbreviation", "Wed, 01 May 2024 10:00:00 JST", nil, "2024-05-01T01:00:00Z"},
		{"offset-less ISO", "2024-05-01T10:00:00", nil, "2024-05-01T01:00:00Z"},
		{"date only", "2024-05-01", nil, "2024-04-30T15:00:00Z"},
		{"offset-less RFC 1123", "Wed, 01 May 2024 10:00:00", nil, "2024-05-01T01:00:00Z"},
		{"explicit +09:00", "2024-05-01T10:00:00+09:00", nil, "2024-05-01T01:00:00Z"},
		{"W3C-DTF without seconds", "2024-05-01T10:00+09:00", nil, "2024-05-01T01:00:00Z"},
		{"explicit Z", "2024-05-01T10:00:00Z", nil, "2024-05-01T10:00:00Z"},
		{"explicit +0000", "Wed, 01 May 2024 10:00:00 +0000", nil, "2024-05-01T10:00:00Z"},
		{"GMT", "Wed, 01 May 2024 10:00:00 GMT", nil, "2024-05-01T10:00:00Z"},
		{"EST", "Wed, 01 May 2024 10:00:00 EST", nil, "2024-05-01T15:00:00Z"},
		{"+0530", "Sat, 04 Jul 2026 18:17:53 +0530", nil, "2026-07-04T12:47:53Z"},
		{"slashes", "2024/05/01 10:00", nil, "2024-05-01T01:00:00Z"},
		{"kanji date", "2024年5月1日", nil, "2024-04-30T15:00:00Z"},
		{"kanji date weekday time", "2024年5月1日(水) 10:00", nil, "2024-05-01T01:00:00Z"},
		{"slashes with JST", "2024/05/01 10:00:00 JST", nil, "2024-05-01T01:00:00Z"},
		{"pm without zone", "January 2, 2024 3:04 PM", nil, "2024-01-02T06:04:00Z"},
		{"offset-less in UTC option", "2024-05-01T10:00:00", time.UTC, "2024-05-01T10:00:00Z"},
		{"JST in other Location", "Wed, 01 May 2024 10:00:00 JST", time.FixedZone("X", 3600), "2024-05-01T01:00:00Z"},
		{"offset-less in other Location", "2024-05-01T10:00:00", time.FixedZone("X", 3600), "2024-05-01T09:00:00Z"},
		{"unparseable", "sometime last week", nil, ""},
		{"empty", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, err := Parse(rss2WithDate(tt.date), ParseOptions{Location: tt.loc})
			if err != nil {
				t.Fatal(err)
			}
			got := feed.Items[0].Published
			want := time.Time{}
			if tt.want != "" {
				want = utc(tt.want)
			}
			if !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("Published(%q) = %v, want %v in UTC", tt.date, got, want)
			}
		})
	}
}

func TestClassifyZone(t *testing.T) {
	tests := []struct {
		raw  string
		want zoneKind
	}{
		{"Mon Jan 2 15:04:05 MST 2006", zoneExplicit},
		{"Mon Jan  2 15:04:05 2006", zoneMissing},
		{"Mon, 02 Jan 2006 15:04:05 GMT-0700 (MST)", zoneExplicit},
		{"2006-01-02T15:04:05.123+09:00", zoneExplicit},
		{"2006-01-02T15:04:05.123", zoneMissing},
		{"Mon, 02 Jan 2006 15:04:05 jst", zoneJST},
		{"January 2, 2006, 3:04 p.m.", zoneMissing},
	}
	for _, tt := range tests {
		if got := classifyZone(tt.raw); got != tt.want {
			t.Errorf("classifyZone(%q) = %d, want %d", tt.raw, got, tt.want)
		}
	}
}

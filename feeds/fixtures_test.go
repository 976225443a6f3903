package feeds

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

const fixtureDir = "../testdata/feeds/"

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixtureDir + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseFixture(t *testing.T, name string) *Feed {
	t.Helper()
	feed, err := Parse(readFixture(t, name), ParseOptions{})
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return feed
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// itemSpot pins one item of a fixture by index.
type itemSpot struct {
	index          int
	key, title     string
	summaryPrefix  string
	published      string // RFC 3339; "" = zero
	updated        string // RFC 3339; "" = zero
	wantCategories []string
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file, title, lang string
		count             int
		spots             []itemSpot
	}{
		{file: "ipa-alert-rss10.rdf", title: "緊急対策情報・注意喚起（重要なセキュリティ情報）RSS", lang: "ja-jp", count: 27, spots: []itemSpot{
			{index: 0, key: "https://www.ipa.go.jp/security/security-alert/2025/20260225-jvn.html",
				title:     "「LANSCOPE エンドポイントマネージャー オンプレミス版」におけるパストラバーサルの脆弱性について（JVN#79096585）",
				published: "2026-02-24T15:00:00Z", updated: "2026-02-24T15:00:00Z"},
			{index: 9, key: "https://www.ipa.go.jp/security/security-alert/2025/alert20251209.html",
				title:     "更新：React Server Componentsにおける脆弱性について（CVE-2025-55182）",
				published: "2025-12-11T15:00:00Z", updated: "2025-12-11T15:00:00Z"},
		}},
		{file: "jvn-rss10.rdf", title: "JVNRSS Feed - Update Entry", lang: "ja", count: 20, spots: []itemSpot{
			{index: 2, key: "JVNVU#98062224", title: "キーエンス製複数製品におけるXML外部エンティティ参照（XXE）の不適切な制限の脆弱性",
				summaryPrefix: "株式会社キーエンスが提供する",
				published:     "2026-09-02T04:00:00Z", updated: "2026-10-07T04:00:00Z"},
		}},
		{file: "jvndb-new-rss10.rdf", title: "JVNDB RSS Feed - New Entry", lang: "ja", count: 6, spots: []itemSpot{
			{index: 5, key: "JVNDB-2021-010115", title: "IBM OpenPages with Watson における危険なタイプのファイルの無制限アップロードに関する脆弱性",
				summaryPrefix: "IBM OpenPages with Watson には、危険なタイプのファイルの無制限アップロードに関する脆弱性が存在します。 ベンダは、",
				published:     "2022-06-21T02:09:00Z", updated: "2022-06-21T02:09:00Z"},
		}},
		{file: "myjvn-getVulnOverviewList-2025.xml", title: "JVNDB 脆弱性対策情報", lang: "ja", count: 2},
		{file: "cisa-advisories-rss2.xml", title: "All CISA Advisories", lang: "en", count: 3, spots: []itemSpot{
			{index: 0, key: "/node/25107", title: "CubeSpace CW0057 Reaction Wheel",
				summaryPrefix: "View CSAF Summary Successful exploitation of this vulnerability",
				published:     "2026-07-02T12:00:00Z"},
		}},
		{file: "krebs-rss2.xml", title: "Krebs on Security", lang: "en-US", count: 3, spots: []itemSpot{
			{index: 2, key: "https://krebsonsecurity.com/?p=73832", title: "‘Popa’ Botnet Linked to Publicly-Traded Israeli Firm",
				summaryPrefix: "For the past four years, a sprawling Android-based botnet",
				published:     "2026-06-18T17:37:58Z"},
		}},
		{file: "thehackernews-rss2.xml", title: "The Hacker News", lang: "en-us", count: 3, spots: []itemSpot{
			{index: 0, key: "https://thehackernews.com/2026/07/us-government-entity-paid-kairos-group.html",
				title:     "U.S. Government Entity Paid Kairos $1 Million in Data-Theft Extortion Case",
				published: "2026-07-04T12:47:53Z"},
		}},
		{file: "securityweek-rss2.xml", title: "SecurityWeek", lang: "en-US", count: 3, spots: []itemSpot{
			{index: 0, key: "https://www.securityweek.com/?p=47625",
				title:          "In Other News: Canadian Hacker Jailed, Open Source Zero-Days, Two Sentenced for ATM Jackpotting",
				published:      "2026-07-03T15:10:42Z",
				wantCategories: []string{"Cybercrime", "Management & Strategy", "cybersecurity", "News"}},
		}},
		{file: "schneier-atom.xml", title: "Schneier on Security", count: 10, spots: []itemSpot{
			{index: 0, key: "tag:www.schneier.com,2019:/blog//2.12196", title: "Google Finds 20-Year-Old Microsoft Windows Vulnerability",
				summaryPrefix: "There's no indication that this vulnerability was ever used in the wild",
				published:     "2019-08-21T11:46:38Z", updated: "2019-08-21T11:46:38Z",
				wantCategories: []string{"Google", "Microsoft", "vulnerabilities", "Windows"}},
		}},
		// Three <item>s, but the third repeats the first one's link: merged.
		{file: "2ch-top10news-sjis-rss10.rdf", lang: "ja", count: 2,
			title: "【野球】早実、王者・駒苫への挑戦権獲得！深紅の大優勝旗まであと1勝！ 早実5-0鹿児島工[08/19]",
			spots: []itemSpot{{index: 1, key: "http://rss.s2ch.net/test/-/stats.2ch.net/top10news/1155970287/2", title: "2：FOX ★"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			feed := parseFixture(t, tt.file)
			if feed.Title != tt.title || feed.Language != tt.lang {
				t.Errorf("feed title, language = %q, %q; want %q, %q", feed.Title, feed.Language, tt.title, tt.lang)
			}
			if len(feed.Items) != tt.count {
				t.Fatalf("got %d items, want %d", len(feed.Items), tt.count)
			}
			checkItemsClean(t, feed.Items)
			for _, s := range tt.spots {
				checkSpot(t, feed.Items[s.index], s)
			}
		})
	}
}

func checkSpot(t *testing.T, it Item, s itemSpot) {
	t.Helper()
	if it.Key != s.key || it.Title != s.title {
		t.Errorf("item %d: key, title = %q, %q; want %q, %q", s.index, it.Key, it.Title, s.key, s.title)
	}
	if !strings.HasPrefix(it.Summary, s.summaryPrefix) {
		t.Errorf("item %d: summary = %.120q, want prefix %q", s.index, it.Summary, s.summaryPrefix)
	}
	for _, d := range []struct {
		name string
		got  time.Time
		want string
	}{{"published", it.Published, s.published}, {"updated", it.Updated, s.updated}} {
		want := time.Time{}
		if d.want != "" {
			want = utc(d.want)
		}
		if !d.got.Equal(want) || d.got.Location() != time.UTC {
			t.Errorf("item %d: %s = %v, want %v UTC", s.index, d.name, d.got, want)
		}
	}
	if s.wantCategories != nil && !slices.Equal(it.Categories, s.wantCategories) {
		t.Errorf("item %d: categories = %q, want %q", s.index, it.Categories, s.wantCategories)
	}
}

var (
	leftoverTag    = regexp.MustCompile(`<[a-zA-Z/!][^>]*>`)
	leftoverEntity = regexp.MustCompile(`&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);`)
)

// checkItemsClean asserts what every item of every feed must satisfy.
func checkItemsClean(t *testing.T, items []Item) {
	t.Helper()
	seen := map[string]bool{}
	for i, it := range items {
		if it.Key == "" || seen[it.Key] {
			t.Errorf("item %d: key %q empty or duplicated", i, it.Key)
		}
		seen[it.Key] = true
		for field, s := range map[string]string{"title": it.Title, "summary": it.Summary} {
			if leftoverTag.MatchString(s) || leftoverEntity.MatchString(s) {
				t.Errorf("item %d: %s still has markup: %.200q", i, field, s)
			}
			if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || removedRune(r) }) {
				t.Errorf("item %d: %s has control characters: %.200q", i, field, s)
			}
			if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
				t.Errorf("item %d: %s whitespace not collapsed: %.200q", i, field, s)
			}
		}
	}
}

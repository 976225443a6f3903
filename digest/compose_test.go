package digest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/itsecbot/itsecbot/textlen"
)

// runeRule is a stand-in length rule: at most n code points.
type runeRule int

func (r runeRule) Fits(s string) bool { return utf8.RuneCountInString(s) <= int(r) }

// slot is 2026-10-08 09:00 in Tokyo.
var slot = time.Date(2026, 10, 8, 0, 0, 0, 0, time.UTC)

func jvnStory() Story {
	return Story{
		ID: 1, Source: "JVN iPedia", Title: "EdgeGallery/developer における信頼できないデータのデシリアライゼーションに関する脆弱性",
		URL:        "https://jvndb.jvn.jp/ja/contents/2021/JVNDB-2021-010120.html",
		Identifier: "JVNDB-2021-010120", CVEs: []string{"CVE-2021-34066"},
		CVSSScore: 9.8, CVSSSeverity: "Critical", Tags: []string{"#JVN"},
	}
}

func TestComposeEach(t *testing.T) {
	stories := []Story{
		jvnStory(),
		{ID: 2, Source: "IPA", Title: "@admin #拡散希望 「FileZen」におけるOSコマンドインジェクションの脆弱性について", URL: "javascript:alert(1)"},
	}
	threads, err := Compose(stories, runeRule(500), Options{Layout: Each, Hashtags: []string{"#itsec_jp"}})
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	want := []Thread{
		{Posts: []Post{{Stories: []int64{1}, Text: "【JVN iPedia】[緊急 CVSS 9.8] EdgeGallery/developer における信頼できないデータのデシリアライゼーションに関する脆弱性\n" +
			"https://jvndb.jvn.jp/ja/contents/2021/JVNDB-2021-010120.html\n#itsec_jp #JVN"}}},
		{Posts: []Post{{Stories: []int64{2}, Text: "【IPA】@\u200badmin ＃\u200b拡散希望 「FileZen」におけるOSコマンドインジェクションの脆弱性について\n#itsec_jp"}}},
	}
	if !reflect.DeepEqual(threads, want) {
		t.Errorf("Compose each:\n got %+v\nwant %+v", threads, want)
	}
}

func TestComposeDigestSinglePost(t *testing.T) {
	stories := []Story{
		jvnStory(),
		{ID: 9, Source: "The Hacker News", Title: "Unpatched Flaws Disclosed in Filesystem", URL: "https://thehackernews.com/2026/07/x.html", CVSSScore: 7.1},
	}
	threads, err := Compose(stories, runeRule(500), Options{Hashtags: []string{"#itsec_jp"}, Slot: slot})
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	want := "【セキュリティ情報まとめ】2026/10/08(木) 09:00 全2件\n" +
		"1. 【JVN iPedia】[緊急 CVSS 9.8] EdgeGallery/developer における信頼できないデータのデシリアライゼーションに関する脆弱性\n" +
		"https://jvndb.jvn.jp/ja/contents/2021/JVNDB-2021-010120.html\n" +
		"2. 【The Hacker News】[CVSS 7.1] Unpatched Flaws Disclosed in Filesystem\n" +
		"https://thehackernews.com/2026/07/x.html\n" +
		"#itsec_jp #JVN"
	if len(threads) != 1 || len(threads[0].Posts) != 1 {
		t.Fatalf("Compose = %d threads %+v, want one thread of one post", len(threads), threads)
	}
	if p := threads[0].Posts[0]; p.Text != want || !reflect.DeepEqual(p.Stories, []int64{1, 9}) {
		t.Errorf("post = %q %v\nwant %q [1 9]", p.Text, p.Stories, want)
	}
}

func TestComposeDigestSplitsIntoNumberedThread(t *testing.T) {
	var stories []Story
	for i := range 12 {
		stories = append(stories, Story{ID: int64(100 + i), Source: "JVN", Title: strings.Repeat("脆弱性", 5+i%4),
			URL: "https://jvn.jp/vu/JVNVU" + strings.Repeat("9", 8) + "/"})
	}
	const limit = 200
	threads, err := Compose(stories, runeRule(limit), Options{Hashtags: []string{"#itsec_jp"}, Slot: slot})
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	if len(threads) != 1 {
		t.Fatalf("Compose = %d threads, want 1", len(threads))
	}
	posts := threads[0].Posts
	if len(posts) < 3 {
		t.Fatalf("got %d posts, want a thread of at least 3", len(posts))
	}
	var ids []int64
	for i, p := range posts {
		if n := utf8.RuneCountInString(p.Text); n > limit {
			t.Errorf("post %d has %d runes, limit %d", i+1, n, limit)
		}
		numbering := fmt.Sprintf("(%d/%d)", i+1, len(posts))
		if first, _, _ := strings.Cut(p.Text, "\n"); !strings.HasSuffix(first, numbering) {
			t.Errorf("post %d header %q, want it to end in %q", i+1, first, numbering)
		}
		if !strings.HasSuffix(p.Text, "\n#itsec_jp") {
			t.Errorf("post %d = %q, want it to end with the hashtags", i+1, p.Text)
		}
		ids = append(ids, p.Stories...)
	}
	var want []int64
	for _, s := range stories {
		want = append(want, s.ID)
	}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("stories across posts = %v, want each once in order %v", ids, want)
	}
}

func TestComposeDigestShortensOversizedStory(t *testing.T) {
	s := jvnStory()
	s.Title = strings.Repeat("とても長いタイトル", 30)
	threads, err := Compose([]Story{s}, runeRule(180), Options{Hashtags: []string{"#itsec_jp"}, Slot: slot})
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	text := threads[0].Posts[0].Text
	if n := utf8.RuneCountInString(text); n > 180 || n < 170 {
		t.Errorf("post has %d runes, want close to the limit 180: %q", n, text)
	}
	if !strings.Contains(text, "…\nhttps://jvndb.jvn.jp/") {
		t.Errorf("post %q: want the shortened title to end in … before the intact URL", text)
	}
}

func TestComposeReportsStoryThatCannotFit(t *testing.T) {
	for _, layout := range []Layout{Each, Digest} {
		s := jvnStory()
		s.ID = 42
		_, err := Compose([]Story{s}, runeRule(60), Options{Layout: layout, Slot: slot})
		var se *StoryError
		if !errors.As(err, &se) || se.ID != 42 || !errors.Is(err, ErrTooLong) {
			t.Errorf("%s: Compose error = %v, want *StoryError for story 42 wrapping ErrTooLong", layout, err)
		}
	}
}

func TestComposeRejects(t *testing.T) {
	tests := []struct {
		name    string
		rule    Rule
		stories []Story
		opts    Options
		wantErr string
	}{
		{"nil rule", nil, nil, Options{}, "nil rule"},
		{"unknown layout", runeRule(500), nil, Options{Layout: "grid"}, `unknown layout "grid"`},
		{"bad option hashtag", runeRule(500), nil, Options{Hashtags: []string{"#two words"}}, `hashtag "#two words"`},
		{"bad story hashtag", runeRule(500), []Story{{ID: 5, Title: "t", Tags: []string{"#a@b"}}}, Options{}, "compose story 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compose(tt.stories, tt.rule, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Compose error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestComposeEmpty(t *testing.T) {
	for _, layout := range []Layout{Each, Digest} {
		threads, err := Compose(nil, runeRule(500), Options{Layout: layout})
		if err != nil || len(threads) != 0 {
			t.Errorf("%s: Compose(nil) = %v, %v; want no threads and no error", layout, threads, err)
		}
	}
}

func TestComposeLocation(t *testing.T) {
	story := []Story{{ID: 1, Title: "タイトル"}}
	tests := []struct {
		loc  *time.Location
		want string
	}{
		{nil, "2026/10/08(木) 09:00"},
		{time.UTC, "2026/10/08(木) 00:00"},
		{time.FixedZone("PDT", -7*3600), "2026/10/07(水) 17:00"},
	}
	for _, tt := range tests {
		threads, err := Compose(story, runeRule(500), Options{Slot: slot, Location: tt.loc})
		if err != nil {
			t.Fatalf("Compose: %v", err)
		}
		if got := threads[0].Posts[0].Text; !strings.Contains(got, tt.want) {
			t.Errorf("location %v: header %q, want %q", tt.loc, got, tt.want)
		}
	}
}

func TestComposeUntitledStory(t *testing.T) {
	tests := []struct {
		story Story
		want  string
	}{
		{Story{ID: 1, Title: " \u202e ", Identifier: "JVNDB-2026-000001"}, "JVNDB-2026-000001"},
		{Story{ID: 2}, untitled},
	}
	for _, tt := range tests {
		threads, err := Compose([]Story{tt.story}, runeRule(500), Options{Layout: Each})
		if err != nil {
			t.Fatalf("Compose: %v", err)
		}
		if got := threads[0].Posts[0].Text; got != tt.want {
			t.Errorf("story %d: got %q, want %q", tt.story.ID, got, tt.want)
		}
	}
}

func TestComposeAllowFeedHashtags(t *testing.T) {
	story := []Story{{ID: 1, Title: "#Log4Shell 対策 @user"}}
	threads, err := Compose(story, runeRule(500), Options{Layout: Each, AllowFeedHashtags: true})
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	if got, want := threads[0].Posts[0].Text, "#Log4Shell 対策 @\u200buser"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestComposeTemplateFailureNamesStory(t *testing.T) {
	tpl, err := ParseTemplates(TemplateSource{
		Each: `{{if eq .Source "X"}}{{index .CVEs 5}}{{end}}{{.Title}}`,
		Item: `{{if eq .Source "X"}}{{index .CVEs 5}}{{end}}{{.Title}}`,
	})
	if err != nil {
		t.Fatalf("ParseTemplates: %v", err)
	}
	stories := []Story{{ID: 1, Title: "ok"}, {ID: 2, Source: "X", Title: "fails"}}
	for _, layout := range []Layout{Each, Digest} {
		_, err := Compose(stories, runeRule(500), Options{Layout: layout, Templates: tpl})
		var se *StoryError
		if !errors.As(err, &se) || se.ID != 2 || !strings.Contains(err.Error(), "index out of range") {
			t.Errorf("%s: Compose error = %v, want *StoryError for story 2 about the index", layout, err)
		}
	}
}

// TestRenumber packs for more parts than needed and checks that the
// rewritten headers carry the real count.
func TestRenumber(t *testing.T) {
	stories := []Story{{ID: 1, Title: "一つ目のお知らせ"}, {ID: 2, Title: "二つ目のお知らせ"}}
	c, err := newComposer(stories, runeRule(90), Options{Slot: slot})
	if err != nil {
		t.Fatalf("newComposer: %v", err)
	}
	full := []string{"1. 一つ目のお知らせ", "2. 二つ目のお知らせ"}
	groups, err := c.pack(full, 5)
	if err != nil || len(groups) != 1 {
		t.Fatalf("pack(5 parts) = %d groups, %v; want 1 group", len(groups), err)
	}
	if !strings.Contains(groups[0].text, "(1/5)") {
		t.Fatalf("packed text %q, want the assumed numbering (1/5)", groups[0].text)
	}
	groups, err = c.renumber(groups)
	if err != nil {
		t.Fatalf("renumber: %v", err)
	}
	want := "【セキュリティ情報まとめ】2026/10/08(木) 09:00 全2件\n1. 一つ目のお知らせ\n2. 二つ目のお知らせ"
	if groups[0].text != want {
		t.Errorf("renumbered text %q, want %q", groups[0].text, want)
	}
	c.rule = runeRule(10)
	if _, err := c.renumber(groups); !errors.Is(err, ErrTooLong) {
		t.Errorf("renumber with a tiny limit: error %v, want ErrTooLong", err)
	}
}

func TestComposeFittingSetsAsideWhatCannotFit(t *testing.T) {
	long := "https://news.example/" + strings.Repeat("x", 600)
	stories := []Story{
		{ID: 1, Source: "JVN", Title: "fits", URL: "https://jvn.jp/vu/JVNVU91137775/"},
		{ID: 2, Source: "News", Title: "cannot fit", URL: long},
		{ID: 3, Source: "IPA", Title: "fits too", URL: "https://www.ipa.go.jp/"},
	}
	threads, unfit, err := ComposeFitting(stories, textlen.Mastodon(500, textlen.URLFull), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(unfit) != 1 || unfit[0].ID != 2 || !errors.Is(unfit[0], ErrTooLong) {
		t.Fatalf("unfit = %v, want story 2 as too long", unfit)
	}
	if len(threads) != 1 || !slices.Equal(threads[0].Posts[0].Stories, []int64{1, 3}) {
		t.Errorf("threads = %+v, want one post with stories 1 and 3", threads)
	}
}

func TestSourcesAndExploitedBadge(t *testing.T) {
	threads, err := Compose([]Story{{ID: 1, Source: "JPCERT/CC", Sources: []string{"JPCERT/CC", "IPA", "Cisco"}, Exploited: true,
		CVSSScore: 9.9, CVSSSeverity: "Critical", Title: "Cisco ASAおよびFTDにおける複数の脆弱性", URL: "https://www.jpcert.or.jp/at/2025/at250021.html"}},
		textlen.Mastodon(500, 23), Options{Layout: Each})
	if err != nil {
		t.Fatal(err)
	}
	want := "【JPCERT/CC / IPA / Cisco】[悪用確認][緊急 CVSS 9.9] Cisco ASAおよびFTDにおける複数の脆弱性"
	if got := threads[0].Posts[0].Text; !strings.HasPrefix(got, want) {
		t.Errorf("post = %q, want it to start %q", got, want)
	}
}

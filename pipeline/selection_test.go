package pipeline

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/postertest"
	"github.com/itsecbot/itsecbot/textlen"
)

func fixture(t *testing.T, parts ...string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(append([]string{"..", "testdata"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return "file://" + p
}

// storyFeeds is a config of the four sources of one story; the fourth,
// Tenable, starts disabled.
func storyFeeds(t *testing.T, extra string) string {
	return fmt.Sprintf(`max_age: "0"
backfill: 10
digest: {layout: each}
feeds:
  - {name: JPCERT/CC, url: %s, weight: 2, trusted: true}
  - {name: IPA, url: %s, weight: 1}
  - {name: Cisco, url: %s}
  - {name: Tenable, url: %s, disabled: true}
%s`, fixture(t, "stories", "jpcert.rdf"), fixture(t, "stories", "ipa.rdf"), fixture(t, "stories", "cisco.xml"),
		fixture(t, "stories", "tenable.xml"), extra)
}

func TestOneStoryFromThreeSourcesIsPostedOnce(t *testing.T) {
	rec := &postertest.Recorder{}
	h := newHarness(t, storyFeeds(t, ""), Target{Poster: rec})
	h.run(t, 0)
	posts := texts(rec.Posts())
	if len(posts) != 1 {
		t.Fatalf("%d posts for one story told by three sources:\n%s", len(posts), strings.Join(posts, "\n---\n"))
	}
	for _, want := range []string{"【JPCERT/CC / IPA / Cisco】", "https://www.jpcert.or.jp/at/2025/at250021.html"} {
		if !strings.Contains(posts[0], want) {
			t.Errorf("post lacks %q:\n%s", want, posts[0])
		}
	}
	h.cycle.Config.Feeds[3].Disabled = false // a fourth source, a cycle later
	h.run(t, 16*time.Minute)
	if got := texts(rec.Posts()); len(got) != 1 {
		t.Fatalf("the fourth source posted the story again:\n%s", got[len(got)-1])
	}
	items, _ := h.store.Items(context.Background(), 0)
	for _, it := range items {
		if it.Feed == "Tenable" && !strings.Contains(it.NotPostedBy["recorder"], "same story as item") {
			t.Errorf("the fourth source's item shows %+v", it.NotPostedBy)
		}
		if it.Feed != "Tenable" && len(it.PostedTo) != 1 {
			t.Errorf("item %q of %s is not recorded as posted: %+v", it.Title, it.Feed, it)
		}
	}
}

func TestKEVStoryIsUrgentAndTheDigestIsRanked(t *testing.T) {
	rec := &postertest.Recorder{Spec: postertestSpec(5000)}
	cfg := strings.Replace(storyFeeds(t, ""), "digest: {layout: each}", "digest: {max_stories: 40}\nrank: {per_day: 0}", 1)
	cfg += fmt.Sprintf("  - {name: CISA KEV, url: %s, kind: kev}\n", fixture(t, "kev", "known_exploited_vulnerabilities.json"))
	for _, f := range []string{"jvndb-new-rss10.rdf", "ipa-alert-rss10.rdf", "jvn-rss10.rdf"} {
		cfg += fmt.Sprintf("  - {name: %s, url: %s}\n", strings.TrimSuffix(f, filepath.Ext(f)), fixture(t, "feeds", f))
	}
	h := newHarness(t, cfg, Target{Poster: rec})
	h.run(t, 0)
	posts := texts(rec.Posts())
	if len(posts) != 2 {
		t.Fatalf("%d posts, want the urgent story alone and one digest:\n%s", len(posts), strings.Join(posts, "\n---\n"))
	}
	if !strings.Contains(posts[0], "[悪用確認]") || !strings.Contains(posts[0], "JPCERT/CC / IPA / Cisco") {
		t.Errorf("the KEV-listed story is not first and alone with its badge:\n%s", posts[0])
	}
	digest := posts[1]
	order := []string{"EdgeGallery", "SerNet verinice", "libjxl"} // CVSS 9.8, 8.8, 6.5
	last := -1
	for _, s := range order {
		i := strings.Index(digest, s)
		if i < 0 || i < last {
			t.Fatalf("the digest does not list %q after the stories ranked above it:\n%s", s, digest)
		}
		last = i
	}
}

func postertestSpec(limit int) textlen.Spec { return textlen.Spec{Platform: "mastodon", Limit: limit} }

// floodServer serves a feed whose item count the test sets.
type floodServer struct {
	*httptest.Server
	n int
}

func newFloodServer(t *testing.T) *floodServer {
	fs := &floodServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>flood</title><link>https://flood.example/</link>`)
		for i := range fs.n {
			fmt.Fprintf(&b, `<item><title>脆弱性 %d</title><link>https://flood.example/%d</link></item>`, i, i)
		}
		b.WriteString(`</channel></rss>`)
		w.Write([]byte(b.String()))
	}))
	t.Cleanup(fs.Close)
	return fs
}

// floodItems is how many items the flooding feed lists: 2,000 by default,
// up to 21,000 with -flood. Each item is three markup nodes, so a larger
// flood exceeds feeds.MaxNodes: that feed then fails alone, as the fault
// suite's flood feeds check, and stores nothing.
var floodItems = flag.Int("flood", 2000, "items the flooding feed lists in TestFloodingFeedDoesNotDelayOthers (at most 21000)")

// A feed that suddenly lists a flood of new items cannot hold back a new
// story from another feed, not even by one cycle.
func TestFloodingFeedDoesNotDelayOthers(t *testing.T) {
	n := *floodItems
	flood, news := newFloodServer(t), newFeedServer(t)
	rec := &postertest.Recorder{}
	h := newHarness(t, fmt.Sprintf(`max_age: "0"
feeds:
  - {name: Flood, url: %s}
  - {name: News, url: %s}
`, flood.URL, news.URL), Target{Poster: rec})
	h.run(t, 0)
	flood.n = n
	news.set("脆弱性 fresh story")
	start := time.Now()
	rep := h.run(t, 16*time.Minute)
	took := time.Since(start)
	t.Logf("cycle with %d new items: %s, %+v", n, took, rep)
	if rep.NewItems != n+1 {
		t.Fatalf("stored %d new items, want %d", rep.NewItems, n+1)
	}
	found := false
	for _, p := range rec.Posts() {
		found = found || strings.Contains(p.Text, "fresh story")
	}
	if !found {
		t.Errorf("the other feed's new story waited behind the flood")
	}
	flooded := 0
	for _, p := range rec.Posts() {
		flooded += strings.Count(p.Text, "flood.example")
	}
	if flooded > 30 {
		t.Errorf("the flood took %d stories in one cycle", flooded)
	}
}

// Items are deleted after the retention once their feed stops listing
// them, but a key the feed still lists is kept however old: a feed that
// lists an old item again must not make it news.
func TestRetentionKeepsWhatTheFeedStillLists(t *testing.T) {
	srv := newFeedServer(t, "脆弱性 kept", "脆弱性 dropped")
	rec := &postertest.Recorder{}
	h := newHarness(t, config1(srv.URL, "retention: 30d\n"), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 kept") // the feed stops listing the second item
	h.run(t, 16*time.Minute)
	rep := h.run(t, 40*24*time.Hour)
	if rep.ItemsPruned != 1 {
		t.Fatalf("pruned %d items, want the one no longer listed", rep.ItemsPruned)
	}
	items, _ := h.store.Items(context.Background(), 0)
	if len(items) != 1 || items[0].Title != "脆弱性 kept" {
		t.Fatalf("items after retention: %+v", items)
	}
	h.run(t, 16*time.Minute)
	if n := len(rec.Posts()); n != 0 {
		t.Errorf("%d posts; an item the feed kept listing came back as news", n)
	}
}

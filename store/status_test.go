package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// story is an accepted item with its own CVE, so that items share a story
// only when the test gives them the same cve.
func story(key string, cve int, pub, seen time.Time, state string) Item {
	it := item(key, "title "+key, pub, state)
	it.CVEs = []string{fmt.Sprintf("CVE-2026-%04d", cve)}
	it.FirstSeen = seen
	it.Refs = RefsOf(it)
	return it
}

func TestDailyCountsFollowLocalMidnights(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 30, 0, 0, tokyo) }
	f, _ := s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	// 23:30 on the 20th in Tokyo is 14:30 UTC: the 20th, not the 21st.
	items := []Item{
		story("a", 1, t0, day(20, 23), Accepted), story("b", 2, t0, day(21, 0), Rejected),
		story("c", 3, t0, day(21, 9), Accepted), story("d", 4, t0, day(22, 8), Seen),
	}
	for _, it := range items {
		if _, err := s.AddItems(ctx, f.ID, []Item{it}, true, it.FirstSeen); err != nil {
			t.Fatal(err)
		}
	}
	s.RegisterPoster(ctx, "m", t0)
	s.Enqueue(ctx, "m", []NewThread{{Key: "k", Posts: []NewPost{{Text: "one"}, {Text: "two"}}}}, day(21, 10))
	posts, _ := s.Unsent(ctx, "m")
	s.MarkSent(ctx, posts[0].ID, "1", "https://m.example/1", day(21, 10))
	s.MarkSent(ctx, posts[1].ID, "2", "https://m.example/2", day(22, 0))

	var bounds []time.Time
	for d := 20; d <= 23; d++ {
		bounds = append(bounds, time.Date(2026, 11, d, 0, 0, 0, 0, tokyo))
	}
	got, err := s.DailyCounts(ctx, bounds)
	if err != nil {
		t.Fatal(err)
	}
	want := []DayCount{
		{Start: bounds[0], Items: 1, Accepted: 1},
		{Start: bounds[1], Items: 2, Accepted: 1, Rejected: 1, Posts: 1},
		{Start: bounds[2], Items: 1, Posts: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("DailyCounts = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("day %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestOutboxCountsAndRecentPosts(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	for _, p := range []string{"mastodon", "x"} {
		s.RegisterPoster(ctx, p, t0)
		if err := s.Enqueue(ctx, p, []NewThread{{Key: "k", Posts: []NewPost{{Text: p + " 1"}, {Text: p + " 2"}, {Text: p + " 3"}}}}, t0); err != nil {
			t.Fatal(err)
		}
	}
	m, _ := s.Unsent(ctx, "mastodon")
	s.MarkSent(ctx, m[0].ID, "1", "https://m.example/1", t0.Add(time.Minute))
	s.MarkSent(ctx, m[1].ID, "2", "https://m.example/2", t0.Add(2*time.Minute))
	x, _ := s.Unsent(ctx, "x")
	s.MarkFailed(ctx, x[0].ID, "403 duplicate content")
	counts, err := s.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]OutboxCount{"mastodon": {Pending: 1}, "x": {Pending: 2, Failed: 1}}
	if len(counts) != 2 || counts["mastodon"] != want["mastodon"] || counts["x"] != want["x"] {
		t.Errorf("OutboxCounts = %v, want %v", counts, want)
	}
	recent, err := s.RecentPosts(ctx, 1)
	if err != nil || len(recent) != 1 || recent[0].Text != "mastodon 2" || recent[0].RemoteURL != "https://m.example/2" {
		t.Errorf("RecentPosts(1) = %+v, %v; want the last sent", recent, err)
	}
}

func TestAcceptedStoriesAreTheNewestAndBounded(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	jvn, _ := s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	ipa, _ := s.EnsureFeed(ctx, "IPA", "https://www.ipa.go.jp/")
	day := func(d int) time.Time { return t0.Add(time.Duration(d) * 24 * time.Hour) }
	// Story 7 is told by JVN and IPA; IPA's rejected item of it is left out.
	s.AddItems(ctx, jvn.ID, []Item{story("old", 5, day(1), t0, Accepted), story("new", 7, day(3), t0, Accepted),
		story("mid", 6, day(2), t0, Accepted), story("rejected", 9, day(4), t0, Rejected)}, true, t0)
	s.AddItems(ctx, ipa.ID, []Item{story("ipa-new", 7, day(3).Add(time.Hour), t0, Accepted), story("ipa-no", 7, day(3), t0, Rejected)}, true, t0)
	items, err := s.AcceptedStories(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Feed+":"+it.Key)
	}
	want := []string{"JVN:new", "JVN:mid", "IPA:ipa-new"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("AcceptedStories(2) = %v, want %v (by id, the two newest stories, accepted items only)", got, want)
	}
	if items[0].StoryID != items[2].StoryID || items[0].StoryID == items[1].StoryID {
		t.Errorf("stories: %d %d %d", items[0].StoryID, items[1].StoryID, items[2].StoryID)
	}
}

package selection

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/refs"
	"github.com/itsecbot/itsecbot/store"
)

var now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// item is an accepted item with the CVE ids of its title, as the feed
// parser gathers them.
func item(id, story int64, feed, title string) store.Item {
	return store.Item{ID: id, StoryID: story, Feed: feed, Title: title, Link: fmt.Sprint("https://", feed, ".example/", id),
		Published: now.Add(-time.Duration(id) * time.Hour), State: store.Accepted, CVEs: refs.CVEs(title)}
}

func weights(w map[string]float64) func(string) float64 {
	return func(f string) float64 { return w[f] }
}

func TestGroupPicksTheBestSourceAndListsAll(t *testing.T) {
	items := []store.Item{
		item(1, 1, "Cisco", "Cisco ASA VPN Web Server RCE (CVE-2025-20333)"),
		item(2, 2, "IPA", "別の話"),
		item(3, 1, "JPCERT/CC", "注意喚起: Cisco ASAおよびFTDにおける複数の脆弱性（CVE-2025-20333、CVE-2025-20362）に関する注意喚起"),
		item(4, 1, "IPA", "Cisco Secure Firewall ASAおよびCisco Secure FTDの脆弱性について (CVE-2025-20333等)"),
	}
	stories := Group(items, weights(map[string]float64{"JPCERT/CC": 2, "IPA": 1}))
	if len(stories) != 2 {
		t.Fatalf("%d stories, want 2", len(stories))
	}
	s := stories[0]
	if s.Best.ID != 3 || s.SourceLine() != "JPCERT/CC / IPA / Cisco" {
		t.Errorf("best %d, sources %q; want JPCERT/CC's item first", s.Best.ID, s.SourceLine())
	}
	if !slices.Equal(s.CVEs, []string{"CVE-2025-20333", "CVE-2025-20362"}) {
		t.Errorf("CVEs = %v", s.CVEs)
	}
	if got := s.Published(); !got.Equal(items[3].Published) {
		t.Errorf("Published = %v, want the earliest item's", got)
	}
}

func TestRate(t *testing.T) {
	w := DefaultWeights()
	tests := []struct {
		name  string
		items []store.Item
		kev   map[string]bool
		parts []string // names of the parts, in order
		total float64
	}{
		{"plain", []store.Item{{Feed: "News", Title: "Patch Tuesday", Published: now}}, nil, nil, 0},
		{"critical cvss", []store.Item{{Feed: "JVN", Title: "x", CVSSScore: 9.8, CVSSSeverity: "Critical", Published: now}}, nil, []string{"severity"}, 3},
		{"high severity word", []store.Item{{Feed: "JVN", Title: "x", CVSSSeverity: "High", Published: now}}, nil, []string{"severity"}, 2},
		{"jpcert alert", []store.Item{{Feed: "JPCERT/CC", Title: "注意喚起: X の脆弱性に関する注意喚起", Published: now}}, nil, []string{"severity"}, 3},
		{"ipa urgent half-width", []store.Item{{Feed: "IPA", Title: "【緊急】 更新してください", Published: now}}, nil, []string{"severity"}, 3},
		{"exploited japanese", []store.Item{{Feed: "IPA", Title: "脆弱性を悪用した攻撃を確認", Published: now}}, nil, []string{"exploited"}, 2},
		{"exploited english", []store.Item{{Feed: "News", Title: "Flaw Actively Exploited", Published: now}}, nil, []string{"exploited"}, 2},
		{"kev alone is urgent", []store.Item{{Feed: "News", Title: "CVE-2025-20333 fixed", CVEs: []string{"CVE-2025-20333"}, Published: now}},
			map[string]bool{"CVE-2025-20333": true}, []string{"kev"}, 6},
		{"two sources, two days old", []store.Item{{ID: 1, Feed: "A", Title: "x", Published: now.Add(-48 * time.Hour)}, {ID: 2, Feed: "B", Title: "x", Published: now}},
			nil, []string{"sources", "age"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.items {
				tt.items[i].StoryID = 1
			}
			s := Group(tt.items, weights(nil))[0]
			Rate(s, w, Signals{KEV: tt.kev}, now)
			var names []string
			for _, p := range s.Score.Parts {
				names = append(names, p.Name)
			}
			if !slices.Equal(names, tt.parts) || s.Score.Total != tt.total {
				t.Errorf("score %v %+v, want parts %v total %v", s.Score.Total, s.Score.Parts, tt.parts, tt.total)
			}
		})
	}
	if DefaultWeights().KEV < DefaultWeights().Urgent {
		t.Error("a KEV-listed CVE must be urgent with the default weights")
	}
}

func TestRankOrdersByScoreThenNewest(t *testing.T) {
	a := &Story{ID: 1, Best: store.Item{Published: now.Add(-time.Hour)}, Score: Score{Total: 3}}
	b := &Story{ID: 2, Best: store.Item{Published: now}, Score: Score{Total: 3}}
	c := &Story{ID: 3, Best: store.Item{Published: now}, Score: Score{Total: 9.8}}
	list := []*Story{a, b, c}
	Rank(list)
	if got := []int64{list[0].ID, list[1].ID, list[2].ID}; !slices.Equal(got, []int64{3, 2, 1}) {
		t.Errorf("rank = %v, want [3 2 1]", got)
	}
}

func TestPickKeepsAFloodingFeedToItsShare(t *testing.T) {
	var ranked []*Story
	for i := range 100 { // the flood outranks everyone
		ranked = append(ranked, &Story{ID: int64(i + 1), Best: store.Item{Feed: "flood"}, Score: Score{Total: 10}})
	}
	ranked = append(ranked, &Story{ID: 1000, Best: store.Item{Feed: "JPCERT/CC"}, Score: Score{Total: 1}},
		&Story{ID: 1001, Best: store.Item{Feed: "IPA"}, Score: Score{Total: 0}})
	chosen, rest := Pick(ranked, 30)
	if len(chosen) != 30 || len(rest) != 72 {
		t.Fatalf("chose %d, left %d", len(chosen), len(rest))
	}
	var ids []int64
	for _, s := range chosen {
		ids = append(ids, s.ID)
	}
	if !slices.Contains(ids, 1000) || !slices.Contains(ids, 1001) {
		t.Errorf("the other feeds' stories were crowded out: %v", ids)
	}
	// With nothing else to post, the flood fills the digest.
	chosen, _ = Pick(ranked[:100], 30)
	if len(chosen) != 30 {
		t.Errorf("a lone feed got %d of 30 slots", len(chosen))
	}
}

func TestPickShareRespectsTheMinimum(t *testing.T) {
	var ranked []*Story
	for f := range 20 {
		for i := range 5 {
			ranked = append(ranked, &Story{ID: int64(f*10 + i), Best: store.Item{Feed: fmt.Sprint("f", f)}, Score: Score{Total: float64(100 - f*5 - i)}})
		}
	}
	chosen, _ := Pick(ranked, 30)
	per := map[string]int{}
	for _, s := range chosen {
		per[s.Feed()]++
	}
	for f, n := range per {
		if n > MinShare {
			t.Errorf("feed %s took %d of 30 with 20 feeds competing, want at most %d", f, n, MinShare)
		}
	}
}

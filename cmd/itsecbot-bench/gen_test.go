package main

import (
	"path/filepath"
	"testing"

	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/store"
)

func testFixtures(t *testing.T) []fixture {
	t.Helper()
	fx, err := loadFixtures(filepath.Join("..", "..", "testdata", "feeds"))
	if err != nil {
		t.Fatal(err)
	}
	return fx
}

// Every generated feed must parse to exactly the items asked for, none
// merged as duplicates, with links, titles and the refs stories are
// grouped by (canonical link, CVE and JVN ids) unique across feeds.
func TestGeneratedFeedsParseUnique(t *testing.T) {
	c := &corpus{fixtures: testFixtures(t), feeds: 2 * len(fixtureFiles), items: 31, newPer: 3}
	links, titles := map[string]bool{}, map[string]bool{}
	refFeed := map[string]int{}
	for v := range 2 {
		for i, d := range c.documents(v) {
			f, err := feeds.Parse(d.body, feeds.ParseOptions{ContentType: d.contentType})
			if err != nil {
				t.Fatalf("feed %d (%s) version %d: %v", i, c.fixture(i).name, v, err)
			}
			if len(f.Items) != c.items {
				t.Errorf("feed %d (%s): %d items, want %d", i, c.fixture(i).name, len(f.Items), c.items)
			}
			for _, it := range f.Items {
				if v == 0 && (links[it.Link] || titles[it.Title]) {
					t.Errorf("feed %d (%s): link %q or title %q repeated", i, c.fixture(i).name, it.Link, it.Title)
				}
				links[it.Link], titles[it.Title] = true, true
				for _, r := range store.RefsOf(store.Item{Link: it.Link, Title: it.Title, Summary: it.Summary,
					Identifier: it.Identifier, CVEs: it.CVEs}) {
					if f, ok := refFeed[r]; ok && f != i {
						t.Errorf("feed %d (%s): ref %s also in feed %d: their items would be one story", i, c.fixture(i).name, r, f)
					}
					refFeed[r] = i
				}
			}
		}
	}
}

// A later version lists newPer new items first and keeps the others' keys,
// so that a poll stores exactly the new ones.
func TestVersionsShareKeys(t *testing.T) {
	c := &corpus{fixtures: testFixtures(t), feeds: len(fixtureFiles), items: 10, newPer: 3}
	v0, v1 := c.documents(0), c.documents(1)
	for i := range v0 {
		a, err := feeds.Parse(v0[i].body, feeds.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := feeds.Parse(v1[i].body, feeds.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		old := map[string]bool{}
		for _, it := range a.Items {
			old[it.Key] = true
		}
		var fresh int
		for _, it := range b.Items {
			if !old[it.Key] {
				fresh++
			}
		}
		if fresh != c.newPer || v0[i].etag == v1[i].etag {
			t.Errorf("feed %d (%s): %d new keys (want %d), etags %s %s", i, c.fixture(i).name, fresh, c.newPer, v0[i].etag, v1[i].etag)
		}
	}
}

func TestRenumber(t *testing.T) {
	tests := []struct {
		id   string
		n    int
		want string
	}{
		{"JVNDB-2021-010120", 7, "JVNDB-2021-000007"},
		{"JVNVU#91137775", 123, "JVNVU#00000123"},
		{"JVN#79096585", 5, "JVN#00000005"},
		{"no-digits-x", 2, "no-digits-x-2"},
	}
	for _, tt := range tests {
		if got := renumber(tt.id, tt.n); got != tt.want {
			t.Errorf("renumber(%q, %d) = %q, want %q", tt.id, tt.n, got, tt.want)
		}
	}
}

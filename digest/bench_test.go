package digest

import (
	"testing"

	"github.com/itsecbot/itsecbot/textlen"
)

// BenchmarkCompose composes a 30-story digest under Mastodon's 500 limit.
func BenchmarkCompose(b *testing.B) {
	base := fixtureStories(b)
	stories := make([]Story, 30)
	for i := range stories {
		stories[i] = base[i%len(base)]
		stories[i].ID = int64(i + 1)
	}
	rule := textlen.Mastodon(500, 23)
	opts := Options{Hashtags: []string{"#itsec_jp"}, Slot: slot}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compose(stories, rule, opts); err != nil {
			b.Fatal(err)
		}
	}
}

package pipeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/postertest"
)

// TestHeldTargetSendsItsQueueButComposesNothing: between digest times the
// queue still goes out; new stories wait for the next digest.
func TestHeldTargetSendsItsQueueButComposesNothing(t *testing.T) {
	srv := newFeedServer(t)
	down := true
	rec := &postertest.Recorder{Fault: func(poster.Post) (bool, error) {
		if down {
			return false, &poster.Error{Poster: "recorder", Status: 503, Delivered: poster.NotDelivered, Cause: poster.CauseUnavailable}
		}
		return false, nil
	}}
	h := newHarness(t, config1(srv.URL, ""), Target{Poster: rec})
	h.run(t, 0)
	srv.set("脆弱性 queued")
	h.run(t, 16*time.Minute) // composed and queued; the platform is down

	down = false
	h.cycle.Targets[0].Hold = true
	srv.set("脆弱性 queued", "脆弱性 later")
	rep := h.run(t, 16*time.Minute)
	got := texts(rec.Posts())
	if rep.PostsSent != 1 || len(got) != 1 || !strings.Contains(got[0], "脆弱性 queued") {
		t.Fatalf("held cycle: %+v, posts %q; want the queued post sent and nothing composed", rep, got)
	}
	if rep := h.run(t, 16*time.Minute); rep.PostsSent != 0 {
		t.Fatalf("second held cycle sent %d posts", rep.PostsSent)
	}
	h.cycle.Targets[0].Hold = false
	rep = h.run(t, 16*time.Minute)
	got = texts(rec.Posts())
	if rep.PostsSent != 1 || len(got) != 2 || !strings.Contains(got[1], "脆弱性 later") {
		t.Fatalf("digest cycle: %+v, posts %q; want the held story composed now", rep, got)
	}
}

// An urgent story does not wait for the digest time: between digests it
// goes out alone at once, while the others wait.
func TestUrgentStoryGoesOutBetweenDigests(t *testing.T) {
	rec := &postertest.Recorder{}
	cfg := strings.Replace(storyFeeds(t, ""), "digest: {layout: each}", "digest: {layout: digest}", 1)
	cfg += fmt.Sprintf("  - {name: CISA KEV, url: %s, kind: kev}\n  - {name: JVN, url: %s}\n",
		fixture(t, "kev", "known_exploited_vulnerabilities.json"), fixture(t, "feeds", "jvn-rss10.rdf"))
	h := newHarness(t, cfg, Target{Poster: rec, Hold: true})
	h.run(t, 0) // the KEV catalog may be read after the stories
	h.run(t, 16*time.Minute)
	got := texts(rec.Posts())
	if len(got) != 1 || !strings.Contains(got[0], "[悪用確認]") {
		t.Fatalf("held cycles posted %q; want the urgent story alone", got)
	}
	h.cycle.Targets[0].Hold = false
	h.run(t, 16*time.Minute)
	if got = texts(rec.Posts()); len(got) < 2 || !strings.Contains(got[1], "【セキュリティ情報まとめ】") {
		t.Fatalf("the digest time composed %q", got)
	}
}

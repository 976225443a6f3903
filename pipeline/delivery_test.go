package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster/mastodon"
	"github.com/itsecbot/itsecbot/poster/mastodon/mastodontest"
	"github.com/itsecbot/itsecbot/store"
)

// capturedFeeds is a config listing the real captured feeds in testdata,
// every item accepted and posted.
func capturedFeeds(t *testing.T, extra string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("max_age: \"0\"\nbackfill: 1000\nfeeds:\n")
	for _, f := range []string{"jvn-rss10.rdf", "jvndb-new-rss10.rdf", "ipa-alert-rss10.rdf", "cisa-advisories-rss2.xml",
		"krebs-rss2.xml", "thehackernews-rss2.xml", "securityweek-rss2.xml", "schneier-atom.xml"} {
		path, err := filepath.Abs(filepath.Join("..", "testdata", "feeds", f))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "  - name: %s\n    url: file://%s\n", strings.TrimSuffix(f, filepath.Ext(f)), path)
	}
	b.WriteString(extra)
	return b.String()
}

func mastodonTarget(t *testing.T, srv *mastodontest.Server) Target {
	t.Helper()
	c, err := mastodon.New(mastodon.Config{Server: srv.URL, AccessToken: srv.Token, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return Target{Poster: c}
}

// checkEveryStoryOnce asserts that every accepted item's link is on the
// server in exactly one status, that none was given up, and that every
// reply answers a status of the server.
func checkEveryStoryOnce(t *testing.T, st *store.Store, srv *mastodontest.Server) {
	t.Helper()
	items, err := st.Items(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	statuses := srv.Statuses()
	ids := map[string]bool{}
	for _, s := range statuses {
		ids[s.ID] = true
	}
	for _, s := range statuses {
		if s.InReplyToID != "" && !ids[s.InReplyToID] {
			t.Errorf("status %s replies to %s, which is not on the server", s.ID, s.InReplyToID)
		}
	}
	accepted := 0
	for _, it := range items {
		if it.State != store.Accepted {
			continue
		}
		accepted++
		n := 0
		for _, s := range statuses {
			n += strings.Count(s.Text, it.Link)
		}
		if n != 1 {
			t.Errorf("story %q (%s) is on the server %d times", it.Title, it.Link, n)
		}
		if len(it.NotPostedBy) != 0 {
			t.Errorf("story %q given up: %v", it.Title, it.NotPostedBy)
		}
	}
	if accepted < 50 {
		t.Fatalf("only %d accepted stories; the fixture feeds are missing?", accepted)
	}
}

var partNumber = regexp.MustCompile(`\((\d+)/(\d+)\)`)

// TestServerCountingURLsInFullGetsEveryStoryOnce is the GoToSocial case: the
// server ignores Idempotency-Key, advertises 25 characters per URL but
// counts URLs in full, and refuses long statuses with 400. At 500
// characters every story of the captured feeds reaches it once.
func TestServerCountingURLsInFullGetsEveryStoryOnce(t *testing.T) {
	srv := mastodontest.NewServer(t, mastodontest.LikeGoToSocial(), mastodontest.WithLimits(500, 25))
	h := newHarness(t, capturedFeeds(t, ""), mastodonTarget(t, srv))
	rep := h.run(t, 0)
	if rep.PostsReplaced == 0 || rep.PostsSent == 0 {
		t.Fatalf("first cycle: %+v; want refusals handled and posts sent in the same cycle", rep)
	}
	for range 10 {
		if pending, _ := h.store.Candidates(context.Background(), "mastodon", 1000, time.Time{}); len(pending) == 0 {
			break
		}
		h.run(t, 16*time.Minute)
	}
	checkEveryStoryOnce(t, h.store, srv)
	for _, s := range srv.Statuses() {
		if m := partNumber.FindStringSubmatch(s.Text); m != nil && m[1] != "1" && s.InReplyToID == "" {
			t.Errorf("part %s/%s went out without its predecessor:\n%s", m[1], m[2], s.Text)
		}
	}
	var refusals int
	for _, a := range srv.Attempts() {
		if a.Status == http.StatusBadRequest {
			refusals++
		}
	}
	if refusals > 3 {
		t.Errorf("%d refusals: the learned rule should make later digests fit at the first try", refusals)
	}
}

func TestFirstPostOfThreadRefusedLeavesNoOrphan(t *testing.T) {
	srv := mastodontest.NewServer(t, mastodontest.WithLimits(500, 23))
	srv.Inject(mastodontest.Fault{Status: http.StatusUnprocessableEntity, Message: "Validation failed: Text contains a forbidden word"})
	h := newHarness(t, capturedFeeds(t, "digest: {max_stories: 12}\n"), mastodonTarget(t, srv))
	h.run(t, 0)
	statuses := srv.Statuses()
	if len(statuses) == 0 {
		t.Fatal("nothing was posted after the refusal")
	}
	first := statuses[0]
	if first.InReplyToID != "" || !strings.Contains(first.Text, "(1/") && partNumber.MatchString(first.Text) {
		t.Errorf("the first status is not the head of a thread:\n%s", first.Text)
	}
	for range 10 {
		h.run(t, 16*time.Minute)
	}
	checkEveryStoryOnce(t, h.store, srv)
}

func TestInterruptedThreadResumesWhereItStopped(t *testing.T) {
	srv := mastodontest.NewServer(t, mastodontest.WithLimits(500, 23))
	h := newHarness(t, capturedFeeds(t, "digest: {max_stories: 12}\n"), mastodonTarget(t, srv))
	srv.Inject(mastodontest.Fault{Pass: true})                                                    // the head of the thread goes out...
	srv.Inject(mastodontest.Fault{Status: http.StatusServiceUnavailable, Message: "maintenance"}) // ...then the server goes down
	h.run(t, 0)
	if got := srv.Statuses(); len(got) != 1 {
		t.Fatalf("%d statuses before the outage, want the thread's head", len(got))
	}
	h.run(t, 16*time.Minute)
	statuses := srv.Statuses()
	if len(statuses) < 3 {
		t.Fatalf("%d statuses; want the thread resumed", len(statuses))
	}
	if statuses[1].InReplyToID != statuses[0].ID || !strings.Contains(statuses[1].Text, "(2/") {
		t.Errorf("the resumed part does not answer the head:\n%s", statuses[1].Text)
	}
	for range 10 {
		h.run(t, 16*time.Minute)
	}
	checkEveryStoryOnce(t, h.store, srv)
}

func TestLimitsAreKeptWhenTheInstanceCannotBeRead(t *testing.T) {
	srv := mastodontest.NewServer(t, mastodontest.WithLimits(5000, 23))
	h := newHarness(t, capturedFeeds(t, "digest: {max_stories: 12}\n"), mastodonTarget(t, srv))
	srv.FailInstance(http.StatusBadGateway)
	h.run(t, 0)
	if got := srv.Statuses(); len(got) != 0 {
		t.Fatalf("composed %d statuses without knowing the limits", len(got))
	}
	srv.FailInstance(0)
	h.run(t, 16*time.Minute) // learns 5000
	before := len(srv.Statuses())
	srv.FailInstance(http.StatusBadGateway)
	h.cycle.Targets = []Target{mastodonTarget(t, srv)} // a new run: nothing cached in memory
	h.run(t, 16*time.Minute)
	got := srv.Statuses()[before:]
	if len(got) != 1 {
		t.Errorf("%d statuses for 12 stories; the stored 5000-character limit fits them in one", len(got))
	}
}

package bluesky_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/bluesky"
	"github.com/itsecbot/itsecbot/store"
)

// bot is itsecbot on the captured feeds with one bluesky poster, as cron
// runs it: each run builds its poster afresh and shares the database.
type bot struct {
	acct    account
	cfg     *config.Config
	store   *store.Store
	counter *counter
}

func newBot(t *testing.T, p *pdsProcess, acct account, extra string) *bot {
	t.Helper()
	var b strings.Builder
	b.WriteString("max_age: \"0\"\nbackfill: 1000\nfeeds:\n")
	for _, f := range []string{"jvn-rss10.rdf", "jvndb-new-rss10.rdf", "ipa-alert-rss10.rdf", "cisa-advisories-rss2.xml",
		"krebs-rss2.xml", "thehackernews-rss2.xml", "securityweek-rss2.xml", "schneier-atom.xml"} {
		path, err := filepath.Abs(filepath.Join("..", "..", "testdata", "feeds", f))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "  - name: %s\n    url: file://%s\n", strings.TrimSuffix(f, filepath.Ext(f)), path)
	}
	b.WriteString("posters:\n  - type: bluesky\n    service: ${BSKY_SERVICE}\n    identifier: ${BSKY_HANDLE}\n" +
		"    app_password: ${BSKY_APP_PASSWORD}\n    timeout: 20s\n" + extra)
	env := map[string]string{"BSKY_SERVICE": p.URL, "BSKY_HANDLE": acct.Handle, "BSKY_APP_PASSWORD": acct.AppPassword}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	dir := t.TempDir()
	cfg, err := config.Parse(filepath.Join(dir, "config.yaml"), []byte(b.String()), lookup, config.Platforms{"bluesky": bluesky.Platform{}})
	if err != nil {
		t.Fatal(err)
	}
	if m := cfg.Posters[0].Missing(); m != "" {
		t.Fatalf("poster has no credentials: %s", m)
	}
	st, err := store.Open(t.Context(), cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &bot{acct: acct, cfg: cfg, store: st, counter: newCounter()}
}

// poster builds the poster as the command does, with counted requests.
func (b *bot) poster(t *testing.T) *bluesky.Client {
	t.Helper()
	pc := b.cfg.Posters[0]
	p, err := pc.Settings.New(poster.Env{Common: pc.Common, UserAgent: "itsecbot/test", Logger: slog.New(slog.DiscardHandler),
		State: b.store.StateOf(pc.Name), Transport: b.counter})
	if err != nil {
		t.Fatal(err)
	}
	return p.(*bluesky.Client)
}

func (b *bot) run(t *testing.T) pipeline.Report {
	t.Helper()
	pc := b.cfg.Posters[0]
	c := &pipeline.Cycle{Config: b.cfg, Store: b.store, Targets: []pipeline.Target{{Poster: b.poster(t), Common: pc.Common}},
		Fetcher: feeds.NewFetcher(feeds.Options{Timeout: 5 * time.Second}),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now}
	rep, err := c.Run(t.Context())
	if err != nil {
		t.Fatalf("cycle: %v", err)
	}
	return rep
}

// expireStoredSession makes the stored access token one that expired,
// as it is two hours after the session was made.
func (b *bot) expireStoredSession(t *testing.T, p *pdsProcess) {
	t.Helper()
	st := b.store.StateOf(b.cfg.Posters[0].Name)
	raw, err := st.Load(t.Context(), "session")
	var s map[string]string
	if err == nil {
		err = json.Unmarshal([]byte(raw), &s)
	}
	if err != nil || s["access_jwt"] == "" {
		t.Fatalf("stored session %q: %v", raw, err)
	}
	s["access_jwt"] = p.expired(t, s["access_jwt"])
	out, _ := json.Marshal(s)
	if err := st.Save(t.Context(), "session", string(out)); err != nil {
		t.Fatal(err)
	}
}

// TestRealPDSDigestRuns posts the captured feeds' digests to the reference
// PDS in three cron runs sharing the database: one login, then a refresh
// when the stored access token has expired; every facet points at its
// link or tag; the threads hold together; every story is there once.
func TestRealPDSDigestRuns(t *testing.T) {
	p := pds(t)
	began := time.Now()
	b := newBot(t, p, p.newAccount(t, "digest.test"), "    max_stories: 8\n")
	for run := range 3 {
		if run == 1 {
			b.expireStoredSession(t, p)
		}
		rep := b.run(t)
		if rep.PostsSent < 2 || rep.PostsFailed != 0 {
			t.Fatalf("run %d: %+v; want a thread sent, nothing failed", run, rep)
		}
	}
	if got := b.counter.count("com.atproto.server.createSession"); got != 1 {
		t.Errorf("createSession called %d times in three runs, want 1 (%s)", got, b.counter)
	}
	if got := b.counter.count("com.atproto.server.refreshSession"); got != 1 {
		t.Errorf("refreshSession called %d times, want 1: after the expired token (%s)", got, b.counter)
	}
	recs := p.records(t, b.acct.DID)
	checkFacets(t, recs)
	checkThreads(t, recs)
	checkStoriesOnce(t, b.store, recs)
	t.Logf("%d records in three runs, %.1fs (%s)", len(recs), time.Since(began).Seconds(), b.counter)

	if _, err := b.poster(t).Verify(t.Context()); err != nil {
		t.Errorf("Verify: %v", err)
	}
	if got := b.counter.count("com.atproto.server.createSession"); got != 1 {
		t.Errorf("Verify logged in although a stored session works (%s)", b.counter)
	}
	checkReadBack(t, b.poster(t), recs)
	checkTooLongNeverSent(t, p, b)
}

func checkReadBack(t *testing.T, c *bluesky.Client, recs []storedRecord) {
	t.Helper()
	remotes, err := c.Recent(t.Context(), time.Now().Add(-time.Hour))
	if err != nil || len(remotes) != len(recs) {
		t.Fatalf("Recent = %d posts, %v; want %d", len(remotes), err, len(recs))
	}
	for i, r := range remotes {
		want := recs[len(recs)-1-i] // Recent is newest first
		if !strings.HasPrefix(r.ID, want.URI+"|"+want.CID) || r.Text != want.Value.Text {
			t.Errorf("Recent[%d] = %s %q, want %s", i, r.ID, r.Text, want.URI)
		}
	}
}

// checkTooLongNeverSent posts 301 graphemes: refused before any request,
// nothing new on the PDS.
func checkTooLongNeverSent(t *testing.T, p *pdsProcess, b *bot) {
	t.Helper()
	before, creates := len(p.records(t, b.acct.DID)), b.counter.count("com.atproto.repo.createRecord")
	_, err := b.poster(t).Post(context.Background(), poster.Post{Text: strings.Repeat("脆", 301)})
	if pe := asPosterError(t, err); pe.Delivered != poster.Rejected || pe.Cause != poster.CauseTooLong || pe.Limit != 300 {
		t.Errorf("301 graphemes: %v (%v, %v, limit %d); want rejected, too long, 300", err, pe.Delivered, pe.Cause, pe.Limit)
	}
	if n := b.counter.count("com.atproto.repo.createRecord"); n != creates {
		t.Errorf("a 301-grapheme post was sent (%d createRecord calls, %d before)", n, creates)
	}
	if after := len(p.records(t, b.acct.DID)); after != before {
		t.Errorf("%d records after the 301-grapheme post, %d before", after, before)
	}
}

package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var t0 = time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)

func TestOpenIsIdempotentAndRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, path); err == nil {
		t.Fatal("Open accepted a schema newer than it knows")
	}
}

func TestEnsureFeedAndRecordPoll(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f, err := s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordPoll(ctx, f.ID, Poll{At: t0, Status: 200, ETag: `"v1"`, LastModified: "Sun, 22 Nov 2026 01:00:00 GMT", NextDue: t0.Add(15 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		if err := s.RecordPoll(ctx, f.ID, Poll{At: t0.Add(time.Duration(i) * time.Hour), Status: 503, Error: "503 Service Unavailable"}); err != nil {
			t.Fatal(err)
		}
	}
	f, _ = s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	if f.ETag != `"v1"` || f.ConsecutiveFailures != 2 || f.LastError != "503 Service Unavailable" || !f.LastOK.Equal(t0) || f.LastStatus != 503 {
		t.Errorf("after polls: %+v", f)
	}
	if _, err := s.AddItems(ctx, f.ID, nil, true, t0); err != nil {
		t.Fatal(err)
	}
	f, _ = s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	if !f.Seeded || f.ETag == "" {
		t.Errorf("same URL lost state: %+v", f)
	}
	f, _ = s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn2.rdf")
	if f.ETag != "" || f.LastModified != "" || f.URL != "https://jvn.jp/rss/jvn2.rdf" || f.Seeded {
		t.Errorf("validators or seeding kept across a URL change: %+v", f)
	}
}

func item(key, title string, pub time.Time, state string) Item {
	return Item{Key: key, Title: title, Link: "https://example.org/" + key, Published: pub, FirstSeen: t0,
		CVEs: []string{"CVE-2026-0001"}, CVSSScore: 9.8, CVSSSeverity: "Critical", State: state, Reason: "test"}
}

func TestAddItemsDedupesAndKeepsDecision(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f, _ := s.EnsureFeed(ctx, "IPA", "https://www.ipa.go.jp/security/alert-rss.rdf")
	added, err := s.AddItems(ctx, f.ID, []Item{item("a", "A", t0, Accepted), item("b", "B", t0.Add(time.Hour), Rejected)}, true, t0)
	if err != nil || len(added) != 2 || added[0].ID == 0 || added[1].ID == added[0].ID {
		t.Fatalf("AddItems = %+v, %v; want 2 with IDs", added, err)
	}
	// The same keys again, with another decision: nothing changes.
	added, err = s.AddItems(ctx, f.ID, []Item{item("a", "A edited", t0, Rejected), item("c", "C", t0.Add(2*time.Hour), Accepted)}, false, t0)
	if err != nil || len(added) != 1 || added[0].Key != "c" {
		t.Fatalf("second AddItems = %+v, %v; want only c", added, err)
	}
	items, err := s.Items(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Key+":"+it.Title+":"+it.State)
	}
	want := []string{"c:C:accepted", "b:B:rejected", "a:A:accepted"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Items = %v, want %v", got, want)
	}
	if items[0].CVSSScore != 9.8 || !reflect.DeepEqual(items[0].CVEs, []string{"CVE-2026-0001"}) || items[0].Feed != "IPA" {
		t.Errorf("item fields lost: %+v", items[0])
	}
	feeds, _ := s.Feeds(ctx)
	if !feeds[0].Seeded || feeds[0].Items != 3 {
		t.Errorf("feed after AddItems: %+v", feeds[0])
	}
}

func TestOutboxFlow(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f, _ := s.EnsureFeed(ctx, "JPCERT/CC", "https://www.jpcert.or.jp/rss/jpcert.rdf")
	for _, p := range []string{"mastodon", "other"} {
		if _, err := s.RegisterPoster(ctx, p, t0); err != nil {
			t.Fatal(err)
		}
	}
	s.AddItems(ctx, f.ID, []Item{item("1", "one", t0, Accepted), item("2", "two", t0.Add(time.Minute), Accepted), item("3", "three", t0, Rejected)}, true, t0)
	pending, err := s.Candidates(ctx, "mastodon", 10, time.Time{})
	if err != nil || len(pending) != 2 || pending[0].Key != "1" {
		t.Fatalf("Pending = %v, %v", pending, err)
	}
	th := NewThread{Key: "digest-x", Posts: []NewPost{{Text: "1/2", Items: []int64{pending[0].ID}}, {Text: "2/2", Items: []int64{pending[1].ID}}}}
	if err := s.Enqueue(ctx, "mastodon", []NewThread{th}, t0); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Candidates(ctx, "mastodon", 10, time.Time{}); len(p) != 0 {
		t.Errorf("items still pending after Enqueue: %v", p)
	}
	if p, _ := s.Candidates(ctx, "other", 10, time.Time{}); len(p) != 2 {
		t.Errorf("another poster lost its pending items: %v", p)
	}
	if err := s.Enqueue(ctx, "mastodon", []NewThread{{Key: "again", Posts: []NewPost{{Text: "x", Items: []int64{pending[0].ID}}}}}, t0); err == nil {
		t.Error("an item was enqueued twice for the same poster")
	}
	unsent, _ := s.Unsent(ctx, "mastodon")
	if len(unsent) != 2 || unsent[0].PrevPending || !unsent[1].PrevPending {
		t.Fatalf("Unsent = %+v", unsent)
	}
	if err := s.MarkSent(ctx, unsent[0].ID, "109", "https://m.example/@bot/109", t0); err != nil {
		t.Fatal(err)
	}
	// A send that timed out, then one that surely failed: one unknown attempt remains.
	for _, step := range []func() error{
		func() error { return s.BeginSend(ctx, unsent[1].ID, t0) },
		func() error { return s.MarkUnknown(ctx, unsent[1].ID, "timeout") },
		func() error { return s.BeginSend(ctx, unsent[1].ID, t0.Add(time.Hour)) },
		func() error { return s.MarkNotDelivered(ctx, unsent[1].ID, "503", time.Time{}) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	unsent, _ = s.Unsent(ctx, "mastodon")
	if len(unsent) != 1 || unsent[0].ReplyTo != "109" || unsent[0].PrevPending || unsent[0].Attempts != 2 ||
		unsent[0].UnknownAttempts != 1 || !unsent[0].FirstUnknown.Equal(t0) || unsent[0].Error != "503" {
		t.Fatalf("Unsent after first sent = %+v", unsent)
	}
	items, _ := s.Items(ctx, 0)
	for _, it := range items {
		want := []string{}
		if it.Key == "1" {
			want = []string{"mastodon"}
		}
		if !reflect.DeepEqual(it.PostedTo, want) {
			t.Errorf("item %s PostedTo = %v, want %v", it.Key, it.PostedTo, want)
		}
	}
	if err := s.MarkFailed(ctx, unsent[0].ID, "422 too long"); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.Unsent(ctx, "mastodon"); len(u) != 0 {
		t.Errorf("failed post still unsent: %+v", u)
	}
	items, _ = s.Items(ctx, 0)
	for _, it := range items {
		if it.Key == "2" && it.NotPostedBy["mastodon"] != "post given up: 422 too long" {
			t.Errorf("refused item: NotPostedBy = %v", it.NotPostedBy)
		}
	}
}

func TestCrashDuringSendCountsAsUnknown(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f, _ := s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	s.RegisterPoster(ctx, "m", t0)
	added, _ := s.AddItems(ctx, f.ID, []Item{item("1", "one", t0, Accepted)}, true, t0)
	s.Enqueue(ctx, "m", []NewThread{{Key: "k", Posts: []NewPost{{Text: "x", Items: []int64{added[0].ID}}}}}, t0)
	u, _ := s.Unsent(ctx, "m")
	if err := s.BeginSend(ctx, u[0].ID, t0); err != nil {
		t.Fatal(err)
	}
	// The process dies here: nothing else is recorded.
	u, _ = s.Unsent(ctx, "m")
	if u[0].UnknownAttempts != 1 || !u[0].FirstUnknown.Equal(t0) {
		t.Errorf("after a crash mid-send: %+v, want one unknown attempt", u[0])
	}
	if n, _ := s.UnsentByPoster(ctx); n["m"] != 1 {
		t.Errorf("UnsentByPoster = %v", n)
	}
}

func TestPosterSeesOnlyItemsFromItsRegistrationAndSkips(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f, _ := s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	old := item("old", "before the poster existed", t0, Accepted)
	s.AddItems(ctx, f.ID, []Item{old}, true, t0)
	if p, _ := s.Candidates(ctx, "mastodon", 10, time.Time{}); len(p) != 0 {
		t.Fatalf("an unregistered poster has pending items: %v", p)
	}
	reg, err := s.RegisterPoster(ctx, "mastodon", t0.Add(time.Hour))
	if err != nil || !reg.Equal(t0.Add(time.Hour)) {
		t.Fatalf("RegisterPoster = %v, %v", reg, err)
	}
	if again, _ := s.RegisterPoster(ctx, "mastodon", t0.Add(5*time.Hour)); !again.Equal(reg) {
		t.Errorf("registering again moved the time to %v", again)
	}
	fresh := item("new", "after", t0, Accepted)
	fresh.FirstSeen = t0.Add(2 * time.Hour)
	tooLong := item("long", "too long", t0, Accepted)
	tooLong.FirstSeen = t0.Add(2 * time.Hour)
	added, _ := s.AddItems(ctx, f.ID, []Item{fresh, tooLong}, false, t0)
	if err := s.Skip(ctx, "mastodon", []int64{added[1].ID}, "does not fit a post"); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Candidates(ctx, "mastodon", 10, time.Time{})
	if len(p) != 1 || p[0].Key != "new" {
		t.Errorf("Pending = %+v, want only the item seen after registration and not skipped", p)
	}
	items, _ := s.Items(ctx, 0)
	for _, it := range items {
		if it.Key == "long" && it.NotPostedBy["mastodon"] != "does not fit a post" {
			t.Errorf("skipped item NotPostedBy = %v", it.NotPostedBy)
		}
	}
}

func TestIntegrityCheck(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if p, err := s.IntegrityCheck(ctx); err != nil || len(p) != 0 {
		t.Fatalf("fresh database: %v, %v", p, err)
	}
	// A delivery of an item that does not exist, written with the checks off.
	for _, q := range []string{"PRAGMA foreign_keys = OFF", "INSERT INTO deliveries(item_id, poster, skipped) VALUES (42, 'm', 'x')", "PRAGMA foreign_keys = ON"} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if p, err := s.IntegrityCheck(ctx); err != nil || len(p) != 1 || p[0] != "1 rows refer to missing rows" {
		t.Errorf("IntegrityCheck = %q, %v; want the broken reference", p, err)
	}
}

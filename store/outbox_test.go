package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// seedItems stores n accepted items in one feed and returns their IDs.
func seedItems(t *testing.T, s *Store, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	f, err := s.EnsureFeed(ctx, "JVN", "https://jvn.jp/rss/jvn.rdf")
	if err != nil {
		t.Fatal(err)
	}
	var items []Item
	for i := range n {
		it := Item{Key: fmt.Sprint("k", i), Title: fmt.Sprint("脆弱性 ", i), Link: fmt.Sprint("https://jvn.jp/", i),
			Published: t0, FirstSeen: t0, State: Accepted, Reason: "ok"}
		it.Refs = RefsOf(it)
		items = append(items, it)
	}
	added, err := s.AddItems(ctx, f.ID, items, false, t0)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(added))
	for i, it := range added {
		ids[i] = it.ID
	}
	return ids
}

func TestReplaceGivesTheRestOfTheThreadBack(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ids := seedItems(t, s, 3)
	if _, err := s.RegisterPoster(ctx, "m", t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	th := NewThread{Key: "t1", Posts: []NewPost{{Text: "1/3", Items: ids[:1]}, {Text: "2/3", Items: ids[1:2]}, {Text: "3/3", Items: ids[2:]}}}
	if err := s.Enqueue(ctx, "m", []NewThread{th}, t0); err != nil {
		t.Fatal(err)
	}
	unsent, _ := s.Unsent(ctx, "m")
	if err := s.MarkSent(ctx, unsent[0].ID, "r1", "https://m.example/r1", t0); err != nil {
		t.Fatal(err)
	}
	if pending, _ := s.Candidates(ctx, "m", 10, time.Time{}); len(pending) != 0 {
		t.Fatalf("items carried by queued posts are pending: %+v", pending)
	}
	released, err := s.Replace(ctx, "m", "t1", 1, "refused: too long")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(released, ids[1:]) {
		t.Errorf("released %v, want %v", released, ids[1:])
	}
	pending, _ := s.Candidates(ctx, "m", 10, time.Time{})
	if len(pending) != 2 {
		t.Errorf("%d pending after replace, want the two released stories", len(pending))
	}
	if unsent, _ := s.Unsent(ctx, "m"); len(unsent) != 0 {
		t.Errorf("replaced posts still queued: %+v", unsent)
	}
	p, _ := s.PostByID(ctx, unsent[1].ID)
	if p.State != PostReplaced || p.Error != "refused: too long" {
		t.Errorf("replaced post = %+v", p)
	}
	if p, _ := s.PostByID(ctx, unsent[0].ID); p.State != PostSent {
		t.Errorf("the sent head was touched: %+v", p)
	}
}

func TestRequeueOnlyFailedPosts(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ids := seedItems(t, s, 1)
	if err := s.Enqueue(ctx, "m", []NewThread{{Key: "t", Posts: []NewPost{{Text: "a", Items: ids}}}}, t0); err != nil {
		t.Fatal(err)
	}
	unsent, _ := s.Unsent(ctx, "m")
	id := unsent[0].ID
	if _, err := s.Requeue(ctx, id); err == nil {
		t.Error("a pending post was requeued")
	}
	if err := s.BeginSend(ctx, id, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(ctx, id, "outcome unknown"); err != nil {
		t.Fatal(err)
	}
	outbox, _ := s.Outbox(ctx)
	if len(outbox) != 1 || outbox[0].State != PostFailed || !slices.Equal(outbox[0].Stories, []string{"脆弱性 0"}) {
		t.Fatalf("outbox = %+v", outbox)
	}
	p, err := s.Requeue(ctx, id)
	if err != nil || p.State != PostPending {
		t.Fatalf("Requeue = %+v, %v", p, err)
	}
	if p, _ := s.PostByID(ctx, id); p.UnknownAttempts != 0 || p.Error != "" {
		t.Errorf("requeued post keeps its past: %+v", p)
	}
	if _, err := s.Requeue(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Requeue(missing) = %v, want ErrNotFound", err)
	}
}

func TestPosterStateAndRefusals(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	st := s.StateOf("bsky")
	if v, err := st.Load(ctx, "session"); err != nil || v != "" {
		t.Fatalf("unset state = %q, %v", v, err)
	}
	for _, v := range []string{"one", "two"} {
		if err := st.Save(ctx, "session", v); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ := st.Load(ctx, "session"); v != "two" {
		t.Errorf("state = %q, want two", v)
	}
	if v, _ := s.StateOf("other").Load(ctx, "session"); v != "" {
		t.Errorf("state leaked to another poster: %q", v)
	}
	ids := seedItems(t, s, 2)
	for range 2 {
		if err := s.RecordRefusals(ctx, "m", ids[:1], "HTTP 422"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Refusals(ctx, "m", ids)
	if err != nil || len(got) != 1 || got[ids[0]] != (Refusal{Count: 2, Error: "HTTP 422"}) {
		t.Errorf("Refusals = %+v, %v", got, err)
	}
}

// A feed listing more links than SQLite takes variables once made every
// cycle fail with "too many SQL variables".
func TestMatchesTakesAnyNumberOfRefs(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seedItems(t, s, 3)
	other, _ := s.EnsureFeed(ctx, "JVN mirror", "https://mirror.example/jvn.rdf")
	refs := make([]string, 40000)
	for i := range refs {
		refs[i] = fmt.Sprint("url:https://elsewhere.example/", i)
	}
	refs[39999] = "url:https://jvn.jp/2"
	found, err := s.Matches(ctx, other.ID, refs)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found["url:https://jvn.jp/2"] != "JVN" {
		t.Errorf("found %v", found)
	}
}

// A database written by the first schema keeps its posts and deliveries
// when the posts table is rebuilt.
func TestMigrationKeepsPostsOfTheFirstSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{migrations[0], "PRAGMA user_version = 1",
		`INSERT INTO feeds(id, name, url) VALUES (1, 'JVN', 'https://jvn.jp/rss/jvn.rdf')`,
		`INSERT INTO items(id, feed_id, key, title, link, published_at, first_seen_at, state, reason)
			VALUES (1, 1, 'k', 't', 'https://jvn.jp/1', '', '', 'accepted', 'ok')`,
		`INSERT INTO posts(id, poster, thread, seq, text, state, created_at) VALUES (7, 'm', 't', 0, 'hello', 'pending', '')`,
		`INSERT INTO deliveries(item_id, poster, post_id) VALUES (1, 'm', 7)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer s.Close()
	items, _ := s.PostItems(ctx, 7)
	if p, err := s.PostByID(ctx, 7); err != nil || p.Text != "hello" || len(items) != 1 {
		t.Errorf("after migration: post %+v (%v), items %+v", p, err, items)
	}
	var fk int
	if err := s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v) after migrating, want 1", fk, err)
	}
}

// pending follows what each poster carries: a queued item leaves it, a
// replaced post gives its items back, prune takes them away.
func TestPendingFollowsDeliveries(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.RegisterPoster(ctx, "m", t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	ids := seedItems(t, s, 3)
	count := func() int {
		c, err := s.Candidates(ctx, "m", 100, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return len(c)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d pending, want 3", n)
	}
	if err := s.Enqueue(ctx, "m", []NewThread{{Key: "t", Posts: []NewPost{{Text: "a", Items: ids[:2]}}}}, t0); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Errorf("%d pending after two were queued, want 1", n)
	}
	if _, err := s.Replace(ctx, "m", "t", 0, "refused"); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 3 {
		t.Errorf("%d pending after the post was replaced, want 3", n)
	}
	if n, err := s.Expire(ctx, "m", map[string]time.Time{"JVN": t0.Add(time.Minute)}, "too old"); err != nil || n != 3 {
		t.Errorf("Expire = %d, %v; want the 3 items", n, err)
	}
	if n := count(); n != 0 {
		t.Errorf("%d pending after they expired, want 0", n)
	}
	if _, err := s.RegisterPoster(ctx, "late", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Candidates(ctx, "late", 100, time.Time{}); len(c) != 0 {
		t.Errorf("a poster registered later has %d pending, want none", len(c))
	}
}

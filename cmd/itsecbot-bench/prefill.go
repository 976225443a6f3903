package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/feeds"
	"github.com/itsecbot/itsecbot/store"
)

// History shape: of every 10 stored items, 5 were accepted and posted, 3
// rejected by the filter and 2 recorded as seen, like a bot whose feeds are
// mostly taken whole (JVN, IPA, JPCERT/CC) with some filtered news.
const (
	itemsPerHistoryPost = 10
	historyBatch        = 5000
	enqueueBatch        = 1000
)

// prefill writes, through the store's API, history items spread over the
// corpus's feeds, posted where accepted, and then the feeds' current items
// as a finished first poll would have stored them (seeded, with the served
// ETag and due now), so that the measured cycle is a routine poll.
func prefill(ctx context.Context, path string, env *benchEnv, docs []document, history int, now time.Time) error {
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.RegisterPoster(ctx, posterName, now.AddDate(-2, 0, 0)); err != nil {
		return err
	}
	c := env.corpus
	var accepted []int64
	for i := range c.feeds {
		f, err := st.EnsureFeed(ctx, c.name(i), env.feeds.url(i))
		if err != nil {
			return err
		}
		parsed, err := feeds.Parse(docs[i].body, feeds.ParseOptions{ContentType: docs[i].contentType})
		if err != nil {
			return fmt.Errorf("prefill feed %d: %w", i, err)
		}
		n := history / c.feeds
		if i < history%c.feeds {
			n++
		}
		ids, err := addHistory(ctx, st, f.ID, parsed.Items, n, now)
		if err != nil {
			return err
		}
		accepted = append(accepted, ids...)
		if err := seedCurrent(ctx, st, f.ID, parsed.Items, docs[i].etag, now); err != nil {
			return err
		}
	}
	return postHistory(ctx, st, accepted, now)
}

// addHistory stores n old items made from the feed's items and returns the
// IDs of those marked accepted.
func addHistory(ctx context.Context, st *store.Store, feedID int64, tmpl []feeds.Item, n int, now time.Time) ([]int64, error) {
	var accepted []int64
	for from := 0; from < n; from += historyBatch {
		batch := make([]store.Item, 0, min(historyBatch, n-from))
		for j := from; j < from+cap(batch); j++ {
			batch = append(batch, historyItem(tmpl[j%len(tmpl)], j, now))
		}
		added, err := st.AddItems(ctx, feedID, batch, false, now)
		if err != nil {
			return nil, err
		}
		for _, it := range added {
			if it.State == store.Accepted {
				accepted = append(accepted, it.ID)
			}
		}
	}
	return accepted, nil
}

func historyItem(t feeds.Item, j int, now time.Time) store.Item {
	suffix := "?h=" + strconv.Itoa(j) // a query, not a fragment: a page of its own
	if strings.Contains(t.Link, "?") {
		suffix = "&h=" + strconv.Itoa(j)
	}
	pub := now.AddDate(0, 0, -30).Add(-time.Duration(j) * 10 * time.Minute)
	it := store.Item{
		Key: t.Key + suffix, Title: "[h" + strconv.Itoa(j) + "] " + t.Title, Link: t.Link + suffix,
		Summary: t.Summary, Published: pub, FirstSeen: pub, Identifier: t.Identifier, CVEs: t.CVEs,
	}
	if t.CVSS != nil {
		it.CVSSScore, it.CVSSSeverity, it.CVSSVector = t.CVSS.Score, t.CVSS.Severity, t.CVSS.Vector
	}
	it.Refs = store.RefsOf(it)
	switch j % 10 {
	case 0, 1, 2, 3, 4:
		it.State, it.Reason = store.Accepted, `matched "CVE" (global filter)`
	case 5, 6, 7:
		it.State, it.Reason = store.Rejected, "no include keyword matched (feed filter)"
	default:
		it.State, it.Reason = store.Seen, "already listed when the feed was first polled (backfill 0)"
	}
	return it
}

// seedCurrent stores the feed's current items as seen and records the poll
// that fetched them.
func seedCurrent(ctx context.Context, st *store.Store, feedID int64, items []feeds.Item, etag string, now time.Time) error {
	seen := make([]store.Item, len(items))
	for i, p := range items {
		pub := p.Published
		if pub.IsZero() {
			pub = now
		}
		seen[i] = store.Item{Key: p.Key, Title: p.Title, Link: p.Link, Summary: p.Summary, Published: pub,
			FirstSeen: now.Add(-time.Hour), Identifier: p.Identifier, CVEs: p.CVEs,
			State: store.Seen, Reason: "already listed when the feed was first polled (backfill 0)"}
	}
	for i := range seen {
		seen[i].Refs = store.RefsOf(seen[i])
	}
	if _, err := st.AddItems(ctx, feedID, seen, true, now.Add(-time.Hour)); err != nil {
		return err
	}
	return st.RecordPoll(ctx, feedID, store.Poll{At: now.Add(-time.Hour), Status: 200, ETag: etag,
		NextDue: now.Add(-time.Minute)})
}

// postHistory records the accepted history items as delivered, ten to a
// post, through the outbox as a cycle would.
func postHistory(ctx context.Context, st *store.Store, ids []int64, now time.Time) error {
	var threads []store.NewThread
	flush := func() error {
		if err := st.Enqueue(ctx, posterName, threads, now.AddDate(0, 0, -30)); err != nil {
			return err
		}
		threads = threads[:0]
		unsent, err := st.Unsent(ctx, posterName)
		if err != nil {
			return err
		}
		for _, p := range unsent {
			id := strconv.FormatInt(p.ID, 10)
			if err := st.MarkSent(ctx, p.ID, id, "https://bench.test/@bench/"+id, now.AddDate(0, 0, -30)); err != nil {
				return err
			}
		}
		return nil
	}
	for from := 0; from < len(ids); from += itemsPerHistoryPost {
		post := store.NewPost{Text: historyPostText, Items: ids[from:min(from+itemsPerHistoryPost, len(ids))]}
		threads = append(threads, store.NewThread{Key: "history-" + strconv.Itoa(from), Posts: []store.NewPost{post}})
		if len(threads) == enqueueBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(threads) == 0 {
		return nil
	}
	return flush()
}

// historyPostText has the length of a full Mastodon digest post.
var historyPostText = strings.Repeat("history digest ", 32)

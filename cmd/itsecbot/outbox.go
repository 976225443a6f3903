package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/store"
)

// outboxJSON is the stable shape of `outbox -json`, one object per line.
type outboxJSON struct {
	ID          int64    `json:"id"`
	Poster      string   `json:"poster"`
	Thread      string   `json:"thread"`
	Part        int      `json:"part"` // from 1
	State       string   `json:"state"`
	Attempts    int      `json:"attempts"`
	LastError   string   `json:"last_error,omitempty"`
	Created     string   `json:"created"`
	NextAttempt string   `json:"next_attempt"` // RFC 3339, or "next cycle"
	Stories     []string `json:"stories"`
}

func runOutbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("outbox", stderr)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, st, err := openForReading(ctx, *path)
	if err != nil {
		return err
	}
	defer st.Close()
	posts, err := st.Outbox(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeOutboxJSON(stdout, posts)
	}
	if len(posts) == 0 {
		_, err := fmt.Fprintln(stdout, "the outbox is empty: nothing queued, nothing given up")
		return err
	}
	var t table
	t.add("ID", "POSTER", "STATE", "ATTEMPTS", "CREATED", "NEXT", "STORIES", "LAST ERROR")
	for _, p := range posts {
		t.add(strconv.FormatInt(p.ID, 10), p.Poster, p.State, strconv.Itoa(p.Attempts),
			p.CreatedAt.In(cfg.Location).Format("2006-01-02 15:04"), nextAttempt(p.Post, cfg.Location),
			truncate(strings.Join(p.Stories, " / "), 48), p.Error)
	}
	return t.write(stdout)
}

// nextAttempt says when a post is tried again.
func nextAttempt(p store.Post, loc *time.Location) string {
	switch {
	case p.State == store.PostFailed:
		return "given up"
	case p.NextAttempt.IsZero():
		return "next cycle"
	default:
		return p.NextAttempt.In(loc).Format("2006-01-02 15:04")
	}
}

func writeOutboxJSON(w io.Writer, posts []store.OutboxPost) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, p := range posts {
		next := nextAttempt(p.Post, time.UTC)
		if !p.NextAttempt.IsZero() {
			next = p.NextAttempt.Format(time.RFC3339)
		}
		stories := p.Stories
		if stories == nil {
			stories = []string{}
		}
		if err := enc.Encode(outboxJSON{
			ID: p.ID, Poster: p.Poster, Thread: p.Thread, Part: p.Seq + 1, State: p.State, Attempts: p.Attempts,
			LastError: p.Error, Created: p.CreatedAt.Format(time.RFC3339), NextAttempt: next, Stories: stories,
		}); err != nil {
			return fmt.Errorf("write outbox: %w", err)
		}
	}
	return nil
}

// runRetry puts a failed post back in the queue; the next cycle sends it.
func runRetry(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("retry", stderr)
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	if fs.NArg() != 1 {
		return &usageError{"usage: itsecbot retry [-config FILE] ID (the id from 'itsecbot outbox')"}
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return &usageError{fmt.Sprintf("post id %q is not a number", fs.Arg(0))}
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	st, unlock, err := openToChange(ctx, cfg)
	if err != nil {
		return err
	}
	defer unlock()
	defer st.Close()
	p, err := st.Requeue(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return &usageError{fmt.Sprintf("no post %d in the outbox", id)}
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "post %d for %s is queued again; the next cycle sends it\n", p.ID, p.Poster)
	return err
}

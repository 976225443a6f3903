package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/store"
)

// feedJSON is the stable shape of `feeds -json`, one object per line.
type feedJSON struct {
	Name                string `json:"name"`
	URL                 string `json:"url"`
	LastStatus          int    `json:"last_status"`
	LastError           string `json:"last_error"`
	LastPolled          string `json:"last_polled"`
	LastOK              string `json:"last_ok"`
	ConsecutiveFailures int    `json:"consecutive_failures"`
	NextDue             string `json:"next_due"`
	Items               int    `json:"items"`
	Disabled            bool   `json:"disabled,omitempty"`
}

func runFeeds(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("feeds", stderr)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, st, err := openForReading(ctx, *path)
	if err != nil {
		return err
	}
	defer st.Close()
	rows, err := feedRows(ctx, cfg, st)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("write feeds: %w", err)
			}
		}
		return nil
	}
	return writeFeedsTable(stdout, rows)
}

// feedRows lists the configured feeds, in config order, with stored health.
func feedRows(ctx context.Context, cfg *config.Config, st *store.Store) ([]feedJSON, error) {
	stored, err := st.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]store.Feed{}
	for _, f := range stored {
		byName[f.Name] = f
	}
	rows := make([]feedJSON, 0, len(cfg.Feeds))
	for _, fc := range cfg.Feeds {
		f := byName[fc.Name]
		rows = append(rows, feedJSON{
			Name: fc.Name, URL: fc.URL, LastStatus: f.LastStatus, LastError: f.LastError,
			LastPolled: rfc3339(f.LastPolled), LastOK: rfc3339(f.LastOK),
			ConsecutiveFailures: f.ConsecutiveFailures, NextDue: rfc3339(f.NextDue), Items: f.Items,
			Disabled: fc.Disabled,
		})
	}
	return rows, nil
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func writeFeedsTable(w io.Writer, rows []feedJSON) error {
	var t table
	t.add("NAME", "STATUS", "FAILS", "ITEMS", "LAST OK", "NEXT DUE", "LAST ERROR")
	for _, r := range rows {
		status := "-"
		if r.LastStatus != 0 {
			status = strconv.Itoa(r.LastStatus)
		}
		if r.Disabled {
			status = "disabled"
		}
		t.add(r.Name, status, strconv.Itoa(r.ConsecutiveFailures), strconv.Itoa(r.Items),
			dash(r.LastOK), dash(r.NextDue), truncate(r.LastError, 80))
	}
	return t.write(w)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

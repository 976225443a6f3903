package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/store"
)

// runExplain prints, for the stories of the items named (a key, a link, a
// CVE or JVN id), which rules matched, the score and its parts, the
// sources, and the delivery per poster.
func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) error {
	fs, path := newFlags("explain", stderr)
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	if fs.NArg() != 1 {
		return &usageError{"usage: itsecbot explain [-config FILE] KEY|URL|CVE"}
	}
	cfg, st, err := openForReading(ctx, *path)
	if err != nil {
		return err
	}
	defer st.Close()
	c := &pipeline.Cycle{Config: cfg, Store: st, Now: now}
	exps, err := c.Explain(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if len(exps) == 0 {
		return &usageError{fmt.Sprintf("no stored item is named by %q (try a key from 'itsecbot items -json', a link, or a CVE id)", fs.Arg(0))}
	}
	var b strings.Builder
	for i, e := range exps {
		if i > 0 {
			b.WriteString("\n")
		}
		writeExplanation(&b, e, cfg)
	}
	_, err = io.WriteString(stdout, b.String())
	return err
}

func writeExplanation(b *strings.Builder, e pipeline.Explanation, cfg *config.Config) {
	loc := cfg.Location
	s := e.Story
	if s == nil {
		fmt.Fprintf(b, "story %d: no item of it was accepted, so it is not posted\n", e.Items[0].StoryID)
	} else {
		fmt.Fprintf(b, "story %d: %s\n", s.ID, s.Best.Title)
		fmt.Fprintf(b, "  link:     %s (from %s)\n", s.Best.Link, s.Best.Feed)
		fmt.Fprintf(b, "  sources:  %s\n", s.SourceLine())
		if len(s.CVEs) > 0 {
			kev := ""
			if len(s.KEV) > 0 {
				kev = " (in CISA's KEV catalog: " + strings.Join(s.KEV, ", ") + ")"
			}
			fmt.Fprintf(b, "  cves:     %s%s\n", strings.Join(s.CVEs, ", "), kev)
		}
		urgent := ""
		if e.Urgent > 0 && s.Score.Total >= e.Urgent {
			urgent = fmt.Sprintf(": urgent (at %g or more), posted alone at once", e.Urgent)
		}
		fmt.Fprintf(b, "  score:    %.1f%s\n", s.Score.Total, urgent)
		for _, p := range s.Score.Parts {
			fmt.Fprintf(b, "    %+6.1f  %-9s %s\n", p.Points, p.Name, p.Why)
		}
	}
	b.WriteString("  items:\n")
	for _, it := range e.Items {
		fmt.Fprintf(b, "    #%d %s, %s: %s\n", it.ID, it.Feed, it.State, it.Reason)
		fmt.Fprintf(b, "        %s\n        %s, published %s, key %s\n", it.Title, it.Link,
			it.Published.In(loc).Format("2006-01-02 15:04"), it.Key)
	}
	b.WriteString("  delivery:\n")
	if len(e.Deliveries) == 0 {
		b.WriteString("    none yet: pending for every poster registered before it was first seen\n")
	}
	for _, d := range e.Deliveries {
		fmt.Fprintf(b, "    %s: #%d %s\n", d.Poster, d.ItemID, deliveryState(d, loc))
	}
}

func deliveryState(d store.Delivery, loc *time.Location) string {
	p := d.Post
	switch {
	case d.Skipped != "":
		return "not posted: " + d.Skipped
	case p.State == store.PostSent:
		return fmt.Sprintf("posted %s in post %d %s", p.SentAt.In(loc).Format("2006-01-02 15:04"), p.ID, p.RemoteURL)
	case p.State == store.PostFailed:
		return fmt.Sprintf("given up in post %d: %s ('itsecbot retry %d' sends it again)", p.ID, p.Error, p.ID)
	default:
		s := fmt.Sprintf("queued in post %d since %s", p.ID, p.CreatedAt.In(loc).Format("2006-01-02 15:04"))
		if p.Error != "" {
			s += ": " + p.Error
		}
		return s
	}
}

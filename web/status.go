package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/store"
)

// Bounds of what the status page lists.
const (
	recentPosts = 20
	chartDays   = 14
)

// statusData is everything the status page shows.
type statusData struct {
	Generated time.Time
	Zone      string
	Health    healthState
	LastCycle store.CycleRun
	DBError   string // the database could not be read: nothing else is shown
	Today     today
	Chart     chart
	Feeds     []feedRow
	Outbox    []posterOutbox
	Recent    []store.Post
}

type today struct {
	store.DayCount
	Pending, Failed, FailingFeeds int
}

type feedRow struct {
	config.Feed
	Stored store.Feed
	Known  bool // polled at least once
}

type posterOutbox struct {
	Name       string
	Configured bool
	store.OutboxCount
	Posts []store.OutboxPost
}

// status renders the page; a database that cannot be read gives the page
// with the reason and 503.
func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	d := statusData{Generated: s.now(), Zone: s.cfg.Location.String()}
	d.Health = s.check(ctx)
	code := http.StatusOK
	if err := s.gather(ctx, &d); err != nil {
		d.DBError = err.Error()
		code = http.StatusServiceUnavailable
		s.log.Warn("status page: cannot read the database", "error", err.Error())
	}
	w.Header().Set("Cache-Control", "no-store")
	s.page.render(w, code, d, s.cfg.Location)
}

func (s *Server) gather(ctx context.Context, d *statusData) error {
	st, err := s.db.get(ctx)
	if err != nil {
		return err
	}
	if d.LastCycle, _, err = st.LastCycles(ctx); err != nil {
		return err
	}
	if err := s.gatherFeeds(ctx, st, d); err != nil {
		return err
	}
	if err := s.gatherOutbox(ctx, st, d); err != nil {
		return err
	}
	if d.Recent, err = st.RecentPosts(ctx, recentPosts); err != nil {
		return err
	}
	days, err := st.DailyCounts(ctx, dayBounds(d.Generated, s.cfg.Location, chartDays))
	if err != nil {
		return err
	}
	d.Today.DayCount = days[len(days)-1]
	d.Chart = newChart(days)
	return nil
}

// dayBounds are the local midnights that start the last n days, and the
// next midnight.
func dayBounds(now time.Time, loc *time.Location, n int) []time.Time {
	y, m, day := now.In(loc).Date()
	out := make([]time.Time, n+1)
	for i := range out {
		out[i] = time.Date(y, m, day-n+1+i, 0, 0, 0, 0, loc)
	}
	return out
}

// gatherFeeds lists the configured feeds, in config order, with their
// stored health.
func (s *Server) gatherFeeds(ctx context.Context, st *store.Store, d *statusData) error {
	stored, err := st.Feeds(ctx)
	if err != nil {
		return err
	}
	byName := map[string]store.Feed{}
	for _, f := range stored {
		byName[f.Name] = f
	}
	for _, fc := range s.cfg.Feeds {
		f, ok := byName[fc.Name]
		row := feedRow{Feed: fc, Stored: f, Known: ok && !f.LastPolled.IsZero()}
		if !fc.Disabled && f.ConsecutiveFailures > 0 {
			d.Today.FailingFeeds++
		}
		d.Feeds = append(d.Feeds, row)
	}
	return nil
}

// gatherOutbox groups the outbox by poster: the configured ones first,
// then those no longer configured that still hold posts.
func (s *Server) gatherOutbox(ctx context.Context, st *store.Store, d *statusData) error {
	counts, err := st.OutboxCounts(ctx)
	if err != nil {
		return err
	}
	posts, err := st.Outbox(ctx)
	if err != nil {
		return err
	}
	configured := configuredPosters(s.cfg)
	for _, name := range posterNames(s.cfg, counts) {
		po := posterOutbox{Name: name, Configured: slices.Contains(configured, name), OutboxCount: counts[name]}
		for _, p := range posts {
			if p.Poster == name {
				po.Posts = append(po.Posts, p)
			}
		}
		d.Today.Pending += po.Pending
		d.Today.Failed += po.Failed
		d.Outbox = append(d.Outbox, po)
	}
	return nil
}

// configuredPosters names the posters of the config; with none, posts go
// to the built-in stdout poster.
func configuredPosters(cfg *config.Config) []string {
	if len(cfg.Posters) == 0 {
		return []string{"stdout"}
	}
	names := make([]string, len(cfg.Posters))
	for i, p := range cfg.Posters {
		names[i] = p.Name
	}
	return names
}

// posterNames are the configured posters, then the others that hold posts,
// by name.
func posterNames(cfg *config.Config, counts map[string]store.OutboxCount) []string {
	names := configuredPosters(cfg)
	var others []string
	for name := range counts {
		if !slices.Contains(names, name) {
			others = append(others, name)
		}
	}
	slices.SortFunc(others, strings.Compare)
	return append(names, others...)
}

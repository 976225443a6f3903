package web

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/itsecbot/itsecbot/pipeline"
)

// Metrics count what the pipeline does, as it happens: set it as
// pipeline.Cycle.Observer and give it to Serve. Queue lengths, feed
// failures and the last successful cycle are read from the database at
// each scrape instead, so they hold whoever ran the cycle.
type Metrics struct {
	fetches       *prometheus.CounterVec
	itemsNew      *prometheus.CounterVec
	itemsAccepted *prometheus.CounterVec
	itemsRejected *prometheus.CounterVec
	posts         *prometheus.CounterVec
	cycles        *prometheus.CounterVec
	cycleSeconds  prometheus.Histogram
}

var _ pipeline.Observer = (*Metrics)(nil)

// NewMetrics returns counters at zero, registered nowhere yet.
func NewMetrics() *Metrics {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "itsecbot", Name: name, Help: help}, labels)
	}
	return &Metrics{
		fetches:       counter("feed_fetches_total", "Feed fetches by feed and outcome (ok, not_modified, failed).", "feed", "outcome"),
		itemsNew:      counter("items_new_total", "Items stored for the first time, by feed.", "feed"),
		itemsAccepted: counter("items_accepted_total", "New items the filter accepted, by feed.", "feed"),
		itemsRejected: counter("items_rejected_total", "New items the filter rejected, by feed.", "feed"),
		posts: counter("posts_total", "Sends to a platform by poster and outcome "+
			"(sent, duplicate, refused, not_delivered, unknown).", "poster", "outcome"),
		cycles: counter("cycles_total", "Cycles by outcome (ok, failed).", "outcome"),
		cycleSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "itsecbot", Name: "cycle_duration_seconds", Help: "How long cycles took.",
			Buckets: []float64{0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600},
		}),
	}
}

// FetchDone counts a fetch.
func (m *Metrics) FetchDone(feed string, outcome pipeline.Outcome, _ time.Duration) {
	m.fetches.WithLabelValues(feed, string(outcome)).Inc()
}

// ItemsStored counts new items and the filter's decisions.
func (m *Metrics) ItemsStored(feed string, added, accepted, rejected int) {
	m.itemsNew.WithLabelValues(feed).Add(float64(added))
	m.itemsAccepted.WithLabelValues(feed).Add(float64(accepted))
	m.itemsRejected.WithLabelValues(feed).Add(float64(rejected))
}

// PostDone counts a send.
func (m *Metrics) PostDone(poster string, outcome pipeline.Outcome) {
	m.posts.WithLabelValues(poster, string(outcome)).Inc()
}

// CycleDone counts a cycle and its duration.
func (m *Metrics) CycleDone(took time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "failed"
	}
	m.cycles.WithLabelValues(outcome).Inc()
	m.cycleSeconds.Observe(took.Seconds())
}

// metricsHandler serves the pipeline's counters, what the database tells
// at scrape time, and the process's own (memory, CPU, goroutines), from a
// registry of this server's own: no global state.
func (s *Server) metricsHandler() http.Handler {
	reg := prometheus.NewRegistry()
	m := s.metrics
	reg.MustRegister(m.fetches, m.itemsNew, m.itemsAccepted, m.itemsRejected, m.posts, m.cycles, m.cycleSeconds,
		newDBCollector(s), collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// dbCollector reads gauges from the database at each scrape.
type dbCollector struct {
	s                                  *Server
	up, queue, failures, lastOK, cycle *prometheus.Desc
}

func newDBCollector(s *Server) *dbCollector {
	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("itsecbot_"+name, help, labels, nil)
	}
	return &dbCollector{s: s,
		up:       desc("database_up", "1 when the database answered this scrape, else 0."),
		queue:    desc("outbox_posts", "Posts in the outbox by poster and state (pending: waiting to be sent; failed: given up).", "poster", "state"),
		failures: desc("feed_consecutive_failures", "Polls of the feed that failed in a row (0: its last poll succeeded).", "feed"),
		lastOK:   desc("last_successful_cycle_timestamp_seconds", "When the last successful cycle ended (Unix time); 0 before any."),
		cycle:    desc("last_cycle_timestamp_seconds", "When the last cycle ended, successful or not (Unix time); 0 before any."),
	}
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.queue, c.failures, c.lastOK, c.cycle} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	up := 0.0
	if err := c.collect(ctx, ch); err == nil {
		up = 1
	} else {
		c.s.log.Warn("metrics: cannot read the database", "error", err.Error())
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up)
}

func (c *dbCollector) collect(ctx context.Context, ch chan<- prometheus.Metric) error {
	st, err := c.s.db.get(ctx)
	if err != nil {
		return err
	}
	counts, err := st.OutboxCounts(ctx)
	if err != nil {
		return err
	}
	failures, err := st.FeedFailures(ctx)
	if err != nil {
		return err
	}
	last, lastOK, err := st.LastCycles(ctx)
	if err != nil {
		return err
	}
	for _, name := range posterNames(c.s.cfg, counts) {
		n := counts[name]
		ch <- prometheus.MustNewConstMetric(c.queue, prometheus.GaugeValue, float64(n.Pending), name, "pending")
		ch <- prometheus.MustNewConstMetric(c.queue, prometheus.GaugeValue, float64(n.Failed), name, "failed")
	}
	for name, n := range failures {
		ch <- prometheus.MustNewConstMetric(c.failures, prometheus.GaugeValue, float64(n), name)
	}
	ch <- prometheus.MustNewConstMetric(c.lastOK, prometheus.GaugeValue, unix(lastOK))
	ch <- prometheus.MustNewConstMetric(c.cycle, prometheus.GaugeValue, unix(last.Ended))
	return nil
}

func unix(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/schedule"
	"github.com/itsecbot/itsecbot/web"
)

// daemon runs cycles on the configured schedule until a signal stops it.
// Cycles never overlap, in this process (busy) or with another itsecbot
// (the database lock, taken per cycle, so that `once`, `retry` and
// `catchup` can run between cycles).
type daemon struct {
	path, logFormat string
	stdout, stderr  io.Writer
	stop            context.Context // the first SIGTERM or SIGINT
	ctx             context.Context // ends when a stop's grace is over

	mu     sync.Mutex // guards cfg and logger, replaced on reload
	cfg    *config.Config
	logger *slog.Logger

	cron    *cron.Cron
	entries []cron.EntryID
	busy    chan struct{} // one cycle at a time
	poll    cron.Job
	digest  cron.Job
	metrics *web.Metrics // counts what cycles do, for /metrics
}

func runDaemon(ctx context.Context, sig signals, args []string, stdout, stderr io.Writer) error {
	fs, path := newFlags("run", stderr)
	logFormat := logFormatFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadLogged(*path, *logFormat)
	if err != nil {
		return err
	}
	hard, cancel := context.WithCancel(ctx)
	defer cancel()
	d := &daemon{path: *path, logFormat: *logFormat, stdout: stdout, stderr: stderr, stop: sig.stop, ctx: hard,
		busy: make(chan struct{}, 1), metrics: web.NewMetrics()}
	d.set(cfg)
	served, err := d.serve(cfg)
	if err != nil {
		return err
	}
	// No chain on the Cron: each job is wrapped once, so that the first
	// poll below and the scheduled ones share SkipIfStillRunning.
	d.cron = cron.New(cron.WithLogger(cronLogger{d}))
	d.poll, d.digest = d.job("poll"), d.job("digest")
	d.reschedule(cfg)
	d.cron.Start()
	d.logger.Info("daemon started", "pid", os.Getpid(), "config", cfg.Path, "database", cfg.DatabasePath(),
		"poll", pollSpec(cfg), "digests", len(cfg.Schedule.Digest))
	// @every first fires one interval after start: poll now, in the
	// background, so that a stop during this first cycle has the same grace.
	first := make(chan struct{})
	go func() {
		defer close(first)
		d.poll.Run()
	}()
	for {
		select {
		case <-sig.stop.Done():
			err := d.shutdown(cancel, first)
			<-served // its failure, if any, was logged when it happened
			return err
		case <-sig.reload:
			d.reload()
		}
	}
}

// serve starts the status server (http.listen), which runs until the
// daemon stops; the channel gives its error once it has ended. An address
// that cannot be opened stops the daemon at start; a server that fails
// later is logged at once, and the daemon goes on. A reload does not move
// it: a new address takes a restart.
func (d *daemon) serve(cfg *config.Config) (<-chan error, error) {
	done := make(chan error, 1)
	if cfg.HTTP.Listen == "" {
		done <- nil
		return done, nil
	}
	ln, err := web.Listen(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(d.ctx)
	stopServing := context.AfterFunc(d.stop, cancel) // a stop ends the server too
	_, logger := d.current()
	go func() {
		defer cancel()
		defer stopServing()
		err := web.ServeOn(ctx, ln, cfg, d.metrics, logger, shortVersion())
		if err != nil {
			logger.Error("the status server stopped; the daemon goes on without it", "address", cfg.HTTP.Listen, "error", err.Error())
		}
		done <- err
	}()
	return done, nil
}

// job is one kind of cycle trigger, recovered from panics and skipped
// while the previous run of the same trigger is still going.
func (d *daemon) job(trigger string) cron.Job {
	l := cronLogger{d}
	return cron.NewChain(cron.Recover(l), cron.SkipIfStillRunning(l)).Then(cron.FuncJob(func() { d.cycle(trigger) }))
}

// cycle runs one cycle after any running one (a digest time waits for
// the poll in progress instead of being skipped).
func (d *daemon) cycle(trigger string) {
	select {
	case d.busy <- struct{}{}:
		defer func() { <-d.busy }()
	case <-d.stop.Done():
		return
	}
	if d.stop.Err() != nil {
		return
	}
	cfg, logger := d.current()
	logger.Debug("cycle starts", "trigger", trigger)
	err := cycleRun{cfg: cfg, logger: logger, stdout: d.stdout, stop: d.stop, observer: d.metrics}.run(d.ctx)
	switch {
	case err == nil, errors.Is(err, errStopped):
	case errors.Is(err, errLocked):
		logger.Warn("another itsecbot holds the database; this cycle is skipped", "trigger", trigger)
	default:
		logger.Error("cycle failed", "trigger", trigger, "error", err.Error())
	}
}

// shutdown starts no new cycle and lets the running one (scheduled, or the
// first, which ends first) end: it stops polling and sending at once, and
// the post in flight has the grace to finish before its context ends.
func (d *daemon) shutdown(cancel context.CancelFunc, first <-chan struct{}) error {
	cfg, logger := d.current()
	grace := stopGrace(cfg)
	logger.Info("stopping: no new cycles; a post in flight may finish", "within", grace.String())
	jobs := d.cron.Stop()
	t := time.AfterFunc(grace, cancel)
	defer t.Stop()
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		<-jobs.Done()
		<-first
	}()
	select {
	case <-ended:
	case <-time.After(grace + stopMargin):
		return fmt.Errorf("stop: a cycle did not end within %s", grace+stopMargin)
	}
	logger.Info("daemon stopped")
	return nil
}

// reload reads the config again; an invalid one is logged and the
// running config kept.
func (d *daemon) reload() {
	_, logger := d.current()
	cfg, err := loadLogged(d.path, d.logFormat)
	if err != nil {
		logger.Error("config reload failed; keeping the running config", "error", err.Error())
		return
	}
	if old, _ := d.current(); old.HTTP.Listen != cfg.HTTP.Listen {
		logger.Warn("http.listen changed: the status server keeps its address until a restart",
			"running", old.HTTP.Listen, "configured", cfg.HTTP.Listen)
	}
	d.set(cfg)
	d.reschedule(cfg)
	_, logger = d.current()
	logger.Info("config reloaded", "config", cfg.Path, "feeds", len(cfg.Feeds), "posters", len(cfg.Posters),
		"poll", pollSpec(cfg), "digests", len(cfg.Schedule.Digest))
}

// reschedule replaces the cron entries with the config's: the poll, and
// each distinct digest time of the config and its posters (one cycle
// serves every poster whose digest is due).
func (d *daemon) reschedule(cfg *config.Config) {
	for _, id := range d.entries {
		d.cron.Remove(id)
	}
	d.entries = []cron.EntryID{d.cron.Schedule(cfg.Schedule.PollSchedule, d.poll)}
	seen := map[string]bool{}
	add := func(specs []string, times schedule.Times) {
		for i, spec := range specs {
			spec = strings.Join(strings.Fields(spec), " ")
			if i < len(times) && !seen[spec] {
				seen[spec] = true
				d.entries = append(d.entries, d.cron.Schedule(times[i], d.digest))
			}
		}
	}
	add(cfg.Schedule.Digest, cfg.Schedule.DigestTimes)
	for _, p := range cfg.Posters {
		if p.Schedule != nil {
			add(p.Schedule, p.Digests)
		}
	}
}

func (d *daemon) set(cfg *config.Config) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cfg, d.logger = cfg, newLogger(cfg.Log, d.stderr)
}

func (d *daemon) current() (*config.Config, *slog.Logger) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cfg, d.logger
}

// pollSpec is the poll schedule as configured, or the default.
func pollSpec(cfg *config.Config) string {
	if cfg.Schedule.Poll != "" {
		return cfg.Schedule.Poll
	}
	return cfg.Schedule.PollSpec + " (the shortest feed interval)"
}

// cronLogger sends the scheduler's messages to the daemon's current
// logger: skipped runs at info, panics at error, the rest at debug.
type cronLogger struct{ d *daemon }

func (l cronLogger) Info(msg string, kv ...any) {
	_, logger := l.d.current()
	if msg == "skip" {
		logger.Info("a cycle of this trigger is still running; this run is skipped")
		return
	}
	logger.Debug("cron: "+msg, slices.Clone(kv)...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	_, logger := l.d.current()
	logger.Error("cron: "+msg, append([]any{"error", err.Error()}, kv...)...)
}

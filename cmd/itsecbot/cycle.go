package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/store"
)

// errLocked means another itsecbot (the daemon, a cron job) holds the
// database.
var errLocked = errors.New("another itsecbot is running on this database")

// errStopped ends a cycle that a signal stopped; it is not a failure.
var errStopped = errors.New("stopped by a signal")

// stopMargin is added to the longest poster timeout to bound a stop: the
// post in flight gets its whole timeout, then a little for the database.
const stopMargin = 10 * time.Second

// stopGrace is how long a stop waits for the post in flight.
func stopGrace(cfg *config.Config) time.Duration {
	longest := time.Duration(0)
	for _, p := range cfg.Posters {
		longest = max(longest, p.TimeoutDuration)
	}
	return longest + stopMargin
}

// bounded returns a context that also ends grace after stop ends, so that
// a post in flight may finish but nothing waits longer.
func bounded(ctx, stop context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	hard, cancel := context.WithCancel(ctx)
	unregister := context.AfterFunc(stop, func() {
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
		case <-hard.Done():
		}
		cancel()
	})
	return hard, func() {
		unregister()
		cancel()
	}
}

// cycleRun is one cycle of `once` or of the daemon: the two share the
// lock, the digest times and the way they stop.
type cycleRun struct {
	cfg           *config.Config
	logger        *slog.Logger
	stdout        io.Writer
	dryRun, force bool
	// stop ends the cycle early: polls are abandoned and no further post is
	// sent; the post in flight finishes unless ctx ends first, and then
	// stays queued as an unknown outcome, looked up before any resend.
	stop context.Context
	// observer, when set, is told what the cycle does (the metrics of the
	// status server).
	observer pipeline.Observer
}

// run runs the cycle under the database lock and records its outcome.
// A stop is errStopped.
func (r cycleRun) run(ctx context.Context) error {
	unlock, err := lockDatabase(r.cfg.DatabasePath())
	if err != nil {
		return err
	}
	defer unlock()
	st, err := store.Open(ctx, r.cfg.DatabasePath())
	if err != nil {
		return err
	}
	defer st.Close()
	started := time.Now()
	err = st.Annotate(r.cycle(ctx, st, started)) // a full disk or unwritable file names the database
	if r.dryRun {
		return err
	}
	rec := store.CycleRun{Started: started, Ended: time.Now()}
	if err != nil {
		rec.Error = err.Error()
	}
	// Recorded even when ctx has ended: health must see stopped and failed cycles.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if rerr := st.RecordCycle(wctx, rec); rerr != nil {
		r.logger.Error("cannot record the cycle", "error", rerr.Error())
	}
	return err
}

func (r cycleRun) cycle(ctx context.Context, st *store.Store, now time.Time) (err error) {
	targets, err := buildTargets(r.cfg, st, r.dryRun, r.stdout, r.logger)
	if err != nil {
		return err
	}
	digests, err := r.planDigests(ctx, st, targets, now)
	if err != nil {
		return err
	}
	for i, t := range targets {
		if !t.DryRun {
			targets[i].Poster = guarded(t.Poster, r.stop, st.StateOf(t.Poster.Name()), r.logger)
		}
	}
	c := &pipeline.Cycle{
		Config: r.cfg, Store: st, Fetcher: newFetcher(r.cfg), Targets: targets,
		Logger: r.logger, Now: time.Now, Templates: r.cfg.Digest.Parsed, Force: r.force, Observer: r.observer,
	}
	defer c.Done(now, &err)
	var rep pipeline.Report
	if err := c.Prepare(ctx, now); err != nil {
		return fmt.Errorf("cycle: %w", err)
	}
	if err := r.poll(ctx, c, now, &rep); err != nil {
		return err
	}
	for i, t := range targets {
		if r.stop.Err() != nil {
			break
		}
		before := rep
		if err := c.Deliver(ctx, t, now, &rep); err != nil {
			if r.stop.Err() != nil && ctx.Err() != nil {
				return r.stopped(c, rep)
			}
			return fmt.Errorf("cycle: %w", err)
		}
		if err := digests[i].done(ctx, st, t, now, delta(rep, before), r.logger); err != nil {
			return fmt.Errorf("cycle: %w", err)
		}
	}
	if r.stop.Err() != nil {
		return r.stopped(c, rep)
	}
	c.LogReport(rep)
	return nil
}

// poll polls the due feeds; a stop abandons the polls in progress (a feed
// not recorded is simply polled next time).
func (r cycleRun) poll(ctx context.Context, c *pipeline.Cycle, now time.Time, rep *pipeline.Report) error {
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(r.stop, cancel)()
	if err := c.Poll(pctx, now, rep); err != nil {
		if r.stop.Err() != nil && pctx.Err() != nil {
			return r.stopped(c, *rep)
		}
		return fmt.Errorf("cycle: %w", err)
	}
	return nil
}

func (r cycleRun) stopped(c *pipeline.Cycle, rep pipeline.Report) error {
	c.LogReport(rep)
	r.logger.Info("stopped by a signal; posts not sent stay queued for the next run")
	return errStopped
}

// delta is what one target's turn added to the report.
func delta(after, before pipeline.Report) pipeline.Report {
	return pipeline.Report{
		PostsSent:       after.PostsSent - before.PostsSent,
		PostsFailed:     after.PostsFailed - before.PostsFailed,
		PostsReplaced:   after.PostsReplaced - before.PostsReplaced,
		PostsReconciled: after.PostsReconciled - before.PostsReconciled,
	}
}

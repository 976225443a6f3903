package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/pipeline"
	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/schedule"
	"github.com/itsecbot/itsecbot/store"
)

// stateLastDigest is the poster state key of the last time the poster
// composed on its digest schedule (RFC 3339).
const stateLastDigest = "last_digest"

// digestPlan is one target's digest decision for a cycle.
type digestPlan struct {
	times schedule.Times
	due   time.Time // the digest time that passed; zero when none did
}

// planDigests decides, per target, whether this cycle composes: always
// without digest times; else when a digest time passed since the poster's
// last digest. Targets that must wait are held: their queue still goes
// out. The decision rests on the database, not on the process, so the
// daemon and `once` from cron decide alike.
func (r cycleRun) planDigests(ctx context.Context, st *store.Store, targets []pipeline.Target, now time.Time) ([]digestPlan, error) {
	plans := make([]digestPlan, len(targets))
	for i := range targets {
		t := &targets[i]
		times := digestTimes(r.cfg, t.Poster.Name())
		if len(times) == 0 || t.DryRun {
			continue
		}
		plans[i].times = times
		state := st.StateOf(t.Poster.Name())
		last, err := loadTime(ctx, state, stateLastDigest)
		if err != nil {
			return nil, err
		}
		if last.IsZero() {
			// First cycle on this schedule: the first digest is the next
			// digest time, not now.
			r.logger.Info("digest schedule starts", "poster", t.Poster.Name(), "next_digest", times.Next(now).In(r.cfg.Location))
			t.Hold = true
			if err := state.Save(ctx, stateLastDigest, now.UTC().Format(time.RFC3339Nano)); err != nil {
				return nil, err
			}
			continue
		}
		due, ok := times.Due(last, now)
		t.Hold = !ok
		plans[i].due = due
	}
	return plans, nil
}

// digestTimes are the configured poster's digest times.
func digestTimes(cfg *config.Config, name string) schedule.Times {
	for _, p := range cfg.Posters {
		if p.Name == name {
			return p.Digests
		}
	}
	return cfg.Schedule.DigestTimes // the stdout poster of a config without posters
}

// done records the digest once the target could compose: a poster whose
// queue still holds posts from before this cycle (the platform is down,
// the day's cap is reached) keeps its digest due, so it composes as soon
// as it can instead of skipping an edition.
func (p digestPlan) done(ctx context.Context, st *store.Store, t pipeline.Target, now time.Time, rep pipeline.Report, log *slog.Logger) error {
	if p.due.IsZero() {
		return nil
	}
	name := t.Poster.Name()
	waiting, err := st.Unsent(ctx, name)
	if err != nil {
		return err
	}
	for _, post := range waiting {
		if post.CreatedAt.Before(now) {
			log.Info("digest waits until the poster's queue goes out", "poster", name,
				"digest_time", p.due, "waiting_post", post.ID)
			return nil
		}
	}
	if err := st.StateOf(name).Save(ctx, stateLastDigest, now.UTC().Format(time.RFC3339Nano)); err != nil {
		return err
	}
	log.Info("digest done", "poster", name, "digest_time", p.due, "posts_sent", rep.PostsSent,
		"posts_failed", rep.PostsFailed, "posts_queued", len(waiting), "next_digest", p.times.Next(now))
	return nil
}

func loadTime(ctx context.Context, state poster.State, key string) (time.Time, error) {
	raw, err := state.Load(ctx, key)
	if err != nil || raw == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return time.Time{}, fmt.Errorf("poster state %s: %w", key, err)
	}
	return t, nil
}

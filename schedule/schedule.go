// Package schedule reads the cron specs of the config (when to poll, when
// to compose digests) and says when a digest is due, so that the daemon
// and a cron-driven `itsecbot once` decide alike.
package schedule

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// MinGap is the shortest time between two runs a spec may ask for.
const MinGap = time.Minute

// Parse reads one spec: five cron fields ("0 8,12,18 * * *") or a
// descriptor ("@every 15m", "@daily"), optionally after "CRON_TZ=Zone " or
// "TZ=Zone ". A spec without a zone runs in loc. It never panics (the cron
// parser does on a bare "CRON_TZ=Asia/Tokyo").
func Parse(spec string, loc *time.Location) (s cron.Schedule, err error) {
	spec = strings.Join(strings.Fields(spec), " ")
	if spec == "" {
		return nil, errors.New("empty schedule")
	}
	if zone, rest, ok := cutZone(spec); ok {
		switch {
		case zone == "":
			return nil, fmt.Errorf("%q names no time zone; write CRON_TZ=Asia/Tokyo before the times", spec)
		case rest == "":
			return nil, fmt.Errorf("%q names a time zone but no times; write it like \"CRON_TZ=%s 0 8 * * *\"", spec, zone)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("%q is not a schedule: %v", spec, r)
		}
	}()
	s, err = parser().Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("%q is not a schedule: %w", spec, err)
	}
	switch v := s.(type) {
	case *cron.SpecSchedule:
		if v.Location == time.Local && loc != nil {
			v.Location = loc // the parser's "no zone given"
		}
	case cron.ConstantDelaySchedule:
		if v.Delay < MinGap {
			return nil, fmt.Errorf("%q is too often: at least every %s", spec, MinGap)
		}
	}
	return s, nil
}

// parser reads five fields and descriptors, like crontab(5).
func parser() cron.Parser {
	return cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
}

// cutZone splits "CRON_TZ=Zone rest" or "TZ=Zone rest".
func cutZone(spec string) (zone, rest string, ok bool) {
	for _, prefix := range []string{"CRON_TZ=", "TZ="} {
		if after, found := strings.CutPrefix(spec, prefix); found {
			zone, rest, _ = strings.Cut(after, " ")
			return zone, strings.TrimSpace(rest), true
		}
	}
	return "", "", false
}

// Times are the digest times of one poster; empty means every poll
// cycle composes.
type Times []cron.Schedule

// Due returns the earliest digest time after last and at or before now,
// and whether there is one.
func (ts Times) Due(last, now time.Time) (time.Time, bool) {
	var due time.Time
	for _, s := range ts {
		t := s.Next(last)
		if t.IsZero() || t.After(now) {
			continue
		}
		if due.IsZero() || t.Before(due) {
			due = t
		}
	}
	return due, !due.IsZero()
}

// Next returns the first digest time after t (zero when there is none).
func (ts Times) Next(t time.Time) time.Time {
	var next time.Time
	for _, s := range ts {
		n := s.Next(t)
		if !n.IsZero() && (next.IsZero() || n.Before(next)) {
			next = n
		}
	}
	return next
}

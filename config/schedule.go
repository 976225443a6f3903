package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/schedule"
)

// schedule parses the poll and digest specs. The default poll runs every
// shortest feed interval, so that no feed waits past its own.
func (v *validator) schedule(c *Config) {
	s := &c.Schedule
	poll := s.Poll
	if poll == "" {
		poll = "@every " + strings.TrimSuffix(shortestInterval(c).String(), "0s")
	}
	s.PollSpec = poll
	if ps, err := schedule.Parse(poll, c.Location); err != nil {
		v.fail("schedule.poll", "%v", err)
	} else {
		s.PollSchedule = ps
	}
	s.DigestTimes = v.specs("schedule.digest", s.Digest, c.Location)
}

// specs parses a list of cron specs, reporting each bad one at its index.
func (v *validator) specs(key string, specs []string, loc *time.Location) schedule.Times {
	times := make(schedule.Times, 0, len(specs))
	for i, spec := range specs {
		s, err := schedule.Parse(spec, loc)
		if err != nil {
			v.fail(fmt.Sprintf("%s[%d]", key, i), "%v", err)
			continue
		}
		times = append(times, s)
	}
	return times
}

// shortestInterval is the shortest poll interval of the enabled feeds, at
// least a minute; the global interval when there are none.
func shortestInterval(c *Config) time.Duration {
	d := time.Duration(0)
	for _, f := range c.Feeds {
		if !f.Disabled && f.IntervalDuration > 0 && (d == 0 || f.IntervalDuration < d) {
			d = f.IntervalDuration
		}
	}
	if d == 0 {
		d = c.IntervalDuration
	}
	return max(d, schedule.MinGap)
}

package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/store"
)

// healthState is the bot's health as the database tells it.
type healthState struct {
	OK     bool
	Reason string // why not, or what is well
	Ja     string // the same for the status page, in Japanese
}

// check reads the latest cycles: the bot is healthy while a cycle
// succeeded within the last poll times (config.MissedPolls) and the
// database answers, as `itsecbot health` judges.
func (s *Server) check(ctx context.Context) healthState {
	st, err := s.db.get(ctx)
	if err == nil {
		var last store.CycleRun
		var lastOK time.Time
		if last, lastOK, err = st.LastCycles(ctx); err == nil {
			return s.judge(last, lastOK)
		}
	}
	return healthState{Reason: "database unusable: " + err.Error(), Ja: "データベースを読めません"}
}

// judge tells from the latest cycles whether the bot is healthy.
func (s *Server) judge(last store.CycleRun, lastOK time.Time) healthState {
	now := s.now()
	failed := ""
	if last.Error != "" {
		failed = fmt.Sprintf("; the last cycle (%s) failed: %s", stamp(last.Ended), last.Error)
	}
	switch {
	case lastOK.IsZero():
		return healthState{Reason: "no cycle has succeeded yet" + failed, Ja: "成功したサイクルがまだありません"}
	case !now.Before(s.cfg.Schedule.CyclesOverdue(lastOK)):
		return healthState{
			Reason: fmt.Sprintf("no cycle has succeeded for %s (%d poll times of %s have passed); last success %s%s",
				now.Sub(lastOK).Round(time.Second), config.MissedPolls, s.cfg.Schedule.PollSpec, stamp(lastOK), failed),
			Ja: fmt.Sprintf("%s以上サイクルが成功していません", jaDuration(now.Sub(lastOK).Round(time.Minute))),
		}
	}
	return healthState{OK: true, Reason: fmt.Sprintf("last successful cycle %s (%s ago)%s",
		stamp(lastOK), now.Sub(lastOK).Round(time.Second), failed), Ja: "正常に動作しています"}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// health answers 200 while cycles succeed, else 503, with the reason.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	h := s.check(ctx)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !h.OK {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "unhealthy:", h.Reason)
		return
	}
	fmt.Fprintln(w, "ok:", h.Reason)
}

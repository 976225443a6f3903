package main

import "fmt"

// target is one performance goal and whether the median met it.
type target struct {
	Name   string `json:"name"`
	Figure string `json:"figure"`
	Met    bool   `json:"met"`
}

const (
	mb            = 1e6
	rssLimitBytes = 150 * mb
)

func cycleTargets(f map[string]stat, feeds int) []target {
	scope := ""
	if feeds != 1000 {
		scope = fmt.Sprintf(" (goal set for 1000 feeds; measured with %d)", feeds)
	}
	ratio, warm, rss := f["cold_over_floor"].Median, f["warm_seconds"].Median, f["cold_max_rss_bytes"].Median
	return []target{
		{Name: "cold cycle within 1.5x the parse+fetch floor" + scope,
			Figure: fmt.Sprintf("%.2fx (cold %.2f s, floor %.2f s)", ratio, f["cold_seconds"].Median,
				f["floor_parse_plus_fetch_seconds"].Median), Met: ratio <= 1.5},
		{Name: "warm cycle <= 0.5 s" + scope, Figure: fmt.Sprintf("%.3f s", warm), Met: warm <= 0.5},
		{Name: "peak RSS <= 150 MB, cold cycle" + scope, Figure: fmt.Sprintf("%.1f MB", rss/mb), Met: rss <= rssLimitBytes},
	}
}

// historyTargets compares the largest history with none.
func historyTargets(points []historyPoint) []target {
	var base, big *historyPoint
	for i := range points {
		switch {
		case points[i].History == 0:
			base = &points[i]
		case big == nil || points[i].History > big.History:
			big = &points[i]
		}
	}
	if base == nil || big == nil {
		return nil
	}
	t0, t1 := base.Figures["cycle_seconds"].Median, big.Figures["cycle_seconds"].Median
	r0, r1 := base.Figures["cycle_max_rss_bytes"].Median, big.Figures["cycle_max_rss_bytes"].Median
	return []target{
		{Name: fmt.Sprintf("%d stored items slow a cycle by <= 10%%", big.History),
			Figure: fmt.Sprintf("%+.1f%% (%.3f s -> %.3f s)", 100*(t1/t0-1), t0, t1), Met: t1 <= 1.1*t0},
		{Name: fmt.Sprintf("%d stored items add <= 10%% to peak RSS", big.History),
			Figure: fmt.Sprintf("%+.1f%% (%.1f MB -> %.1f MB)", 100*(r1/r0-1), r0/mb, r1/mb), Met: r1 <= 1.1*r0},
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
)

type row struct{ key, label string }

var cycleRows = []row{
	{"cold_seconds", "cold cycle (empty database), wall"},
	{"cold_cpu_seconds", "  CPU, user+system"},
	{"cold_items_per_second", "  items per second"},
	{"cold_max_rss_bytes", "  peak RSS"},
	{"cold_heap_sys_bytes", "  heap_sys at exit"},
	{"cold_sys_bytes", "  sys at exit"},
	{"cold_total_alloc_bytes", "  allocated in all"},
	{"cold_mallocs", "  allocations"},
	{"db_bytes", "  database size after it"},
	{"warm_seconds", "warm cycle (every feed 304), wall"},
	{"warm_cpu_seconds", "  CPU, user+system"},
	{"warm_max_rss_bytes", "  peak RSS"},
	{"warm_total_alloc_bytes", "  allocated in all"},
	{"warm_mallocs", "  allocations"},
	{"floor_gofeed_parse_seconds", "floor: gofeed parse alone, %d workers"},
	{"floor_gofeed_parse_cpu_seconds", "  CPU"},
	{"floor_gofeed_parse_1worker_seconds", "  gofeed parse alone, 1 worker"},
	{"floor_gofeed_parse_1worker_cpu_seconds", "  CPU"},
	{"feeds_parse_seconds", "  feeds.Parse (decode+gofeed+normalise), %d workers"},
	{"feeds_parse_cpu_seconds", "  CPU"},
	{"floor_fetch_seconds", "floor: loopback fetch alone"},
	{"floor_fetch_cpu_seconds", "  CPU, client and server"},
	{"floor_fetch_304_seconds", "  loopback fetch, every feed 304"},
	{"floor_fetch_304_cpu_seconds", "  CPU, client and server"},
	{"floor_parse_plus_fetch_seconds", "floor: gofeed parse + fetch"},
	{"floor_parse_plus_fetch_cpu_seconds", "  CPU"},
	{"cold_over_floor", "cold cycle / floor, wall"},
	{"cold_cpu_over_floor_cpu", "cold cycle / floor, CPU"},
}

var historyRows = []row{
	{"cycle_seconds", "cycle, wall"},
	{"cycle_cpu_seconds", "  CPU, user+system"},
	{"cycle_max_rss_bytes", "  peak RSS"},
	{"cycle_heap_sys_bytes", "  heap_sys at exit"},
	{"cycle_total_alloc_bytes", "  allocated in all"},
	{"cycle_mallocs", "  allocations"},
}

// format renders v in the unit its figure's name ends with.
func format(key string, v float64) string {
	switch {
	case strings.HasSuffix(key, "_per_second"):
		return fmt.Sprintf("%.0f/s", v)
	case strings.HasSuffix(key, "_seconds"):
		return fmt.Sprintf("%.3f s", v)
	case strings.HasSuffix(key, "_bytes"):
		return fmt.Sprintf("%.1f MB", v/mb)
	case strings.Contains(key, "_over_"):
		return fmt.Sprintf("%.2fx", v)
	}
	return fmt.Sprintf("%.2fM", v/1e6)
}

func writeRows(w io.Writer, rows []row, figs map[string]stat, workers int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tmedian\tmin – max")
	for _, r := range rows {
		st, ok := figs[r.key]
		if !ok {
			continue
		}
		label := r.label
		if strings.Contains(label, "%d") {
			label = fmt.Sprintf(label, workers)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s – %s\n", label, format(r.key, st.Median), format(r.key, st.Min), format(r.key, st.Max))
	}
	tw.Flush()
}

func writeHeading(w io.Writer, s setup, m machine, what string) {
	fmt.Fprintf(w, "%s: %d feeds x %d items (%.1f MB of documents) on %d loopback ports\n",
		what, s.Feeds, s.Items, float64(s.Bytes)/mb, s.Hosts)
	fmt.Fprintf(w, "fetch concurrency %d, %d per host; backfill %d; %d reps (median, min – max); MB = 10^6 bytes\n",
		s.Concurrency, s.PerHost, s.Backfill, s.Reps)
	fmt.Fprintf(w, "machine: %d CPUs, %s, %s %s; load average %s\n\n", m.CPUs, m.CPUModel, m.GoVersion, m.OS, m.Load)
}

func writeTargets(w io.Writer, ts []target) {
	if len(ts) == 0 {
		return
	}
	fmt.Fprintln(w, "\ntargets:")
	for _, t := range ts {
		mark := "MISSED"
		if t.Met {
			mark = "met"
		}
		fmt.Fprintf(w, "  %-6s %s: %s\n", mark, t.Name, t.Figure)
	}
}

func (r *cycleReport) writeTable(w io.Writer) {
	writeHeading(w, r.Setup, r.Machine, "itsecbot once, real binary")
	writeRows(w, cycleRows, r.Figures, r.Setup.Concurrency)
	fmt.Fprintf(w, "\ncold cycle stored %d items, accepted %d, sent %d posts\n",
		r.Counts["cold_new_items"], r.Counts["cold_accepted"], r.Counts["cold_posts"])
	writeTargets(w, r.Targets)
}

func (r *historyReport) writeTable(w io.Writer) {
	writeHeading(w, r.Setup, r.Machine, "itsecbot once against a stored history")
	fmt.Fprintf(w, "each cycle: every feed lists %d new items; history items: 50%% accepted and posted, 30%% rejected, 20%% seen\n\n",
		r.Setup.NewItems)
	for _, p := range r.Sizes {
		fmt.Fprintf(w, "history %d (%d items stored after the runs, database %.1f MB, prefilled in %.1f s; %d new, %d accepted, %d posts per cycle)\n",
			p.History, p.StoredItems, float64(p.DBBytes)/mb, p.PrefillSecond, p.Counts["new_items"], p.Counts["accepted"], p.Counts["posts"])
		writeRows(w, historyRows, p.Figures, 0)
		fmt.Fprintln(w)
	}
	writeTargets(w, r.Targets)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func saveJSON(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save report: %w", err)
	}
	if err := printJSON(f, v); err != nil {
		f.Close()
		return fmt.Errorf("save report: %w", err)
	}
	return f.Close()
}

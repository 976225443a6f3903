package web

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// samples reads Prometheus text: "name{labels}" -> value.
func samples(t *testing.T, body string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

func TestMetricsCountWhatTheCycleDidAndReadTheQueue(t *testing.T) {
	m := NewMetrics()
	cfg, rep := fixture(t, m)
	code, h, body := get(t, newServer(t, cfg, m, now.Add(time.Minute)), "GET", "/metrics")
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics = %d %s", code, h.Get("Content-Type"))
	}
	got := samples(t, body)
	var fetched, newItems, accepted float64
	for k, v := range got {
		switch {
		case strings.HasPrefix(k, "itsecbot_feed_fetches_total{"):
			fetched += v
		case strings.HasPrefix(k, "itsecbot_items_new_total{"):
			newItems += v
		case strings.HasPrefix(k, "itsecbot_items_accepted_total{"):
			accepted += v
		}
	}
	if int(fetched) != rep.FeedsPolled || int(newItems) != rep.NewItems || int(accepted) != rep.Accepted {
		t.Errorf("fetches %v, new %v, accepted %v; the cycle reported %+v", fetched, newItems, accepted, rep)
	}
	want := map[string]float64{
		`itsecbot_feed_fetches_total{feed="JVN",outcome="ok"}`:                1,
		`itsecbot_feed_fetches_total{feed="Vendor (moved)",outcome="failed"}`: 1,
		`itsecbot_items_new_total{feed="JVN"}`:                                20,
		`itsecbot_posts_total{outcome="sent",poster="demo"}`:                  float64(rep.PostsSent),
		`itsecbot_posts_total{outcome="not_delivered",poster="x"}`:            1,
		`itsecbot_cycles_total{outcome="ok"}`:                                 1,
		`itsecbot_cycle_duration_seconds_count`:                               1,
		`itsecbot_outbox_posts{poster="x",state="pending"}`:                   1,
		`itsecbot_outbox_posts{poster="demo",state="pending"}`:                0,
		`itsecbot_feed_consecutive_failures{feed="Vendor (moved)"}`:           1,
		`itsecbot_last_successful_cycle_timestamp_seconds`:                    float64(now.Add(time.Second).Unix()),
		`itsecbot_database_up`:                                                1,
	}
	for k, w := range want {
		if v, ok := got[k]; !ok || v != w {
			t.Errorf("%s = %v (present %v), want %v", k, v, ok, w)
		}
	}
	if _, ok := got["process_resident_memory_bytes"]; !ok {
		t.Error("no process metrics")
	}
	if rej := got[`itsecbot_items_rejected_total{feed="The Hacker News"}`]; rej < 1 {
		t.Errorf("The Hacker News rejected %v items; its filter rejects some of its three", rej)
	}
}

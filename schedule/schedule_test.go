package schedule

import (
	"strings"
	"testing"
	"time"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseNext(t *testing.T) {
	tokyo := mustLoad(t, "Asia/Tokyo")
	base := time.Date(2026, 5, 1, 10, 7, 30, 0, time.UTC) // 19:07:30 in Tokyo
	tests := []struct {
		spec string
		loc  *time.Location
		want string // the next run after base, in UTC
	}{
		{"*/15 * * * *", time.UTC, "2026-05-01T10:15:00Z"},
		{"@every 15m", time.UTC, "2026-05-01T10:22:30Z"},
		{"@hourly", time.UTC, "2026-05-01T11:00:00Z"},
		{"CRON_TZ=Asia/Tokyo 0 8,12,18 * * *", time.UTC, "2026-05-01T23:00:00Z"}, // 08:00 JST tomorrow
		{"TZ=Asia/Tokyo 0 20 * * *", time.UTC, "2026-05-01T11:00:00Z"},
		{"0 8,12,18 * * *", tokyo, "2026-05-01T23:00:00Z"}, // no zone: the config's
		{"@daily", tokyo, "2026-05-01T15:00:00Z"},
		{"  0   9\t* * MON-FRI ", time.UTC, "2026-05-04T09:00:00Z"}, // 1 May 2026 is a Friday
	}
	for _, tt := range tests {
		s, err := Parse(tt.spec, tt.loc)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.spec, err)
			continue
		}
		if got := s.Next(base).UTC().Format(time.RFC3339); got != tt.want {
			t.Errorf("Parse(%q).Next = %s, want %s", tt.spec, got, tt.want)
		}
	}
}

func TestParseErrorsNeverPanic(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"CRON_TZ=Asia/Tokyo", "names a time zone but no times"}, // panics robfig/cron's parser
		{"TZ=Asia/Tokyo", "names a time zone but no times"},
		{"CRON_TZ=Asia/Tokyo   ", "names a time zone but no times"},
		{"CRON_TZ= 0 8 * * *", "names no time zone"},
		{"CRON_TZ=Mars/Base 0 9 * * *", "bad location"},
		{"", "empty schedule"},
		{"0 */5 * * * *", "expected exactly 5 fields"},
		{"0 9 L * *", "not a schedule"},
		{"@every 30s", "too often"},
		{"@every", "not a schedule"},
		{"@sometimes", "not a schedule"},
		{"61 * * * *", "not a schedule"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.spec, time.UTC)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", tt.spec, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"CRON_TZ=Asia/Tokyo", "TZ=UTC @daily", "*/15 * * * *", "@every 1h", "0 8 * * 1-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		if s, err := Parse(spec, time.UTC); err == nil && s == nil {
			t.Fatalf("Parse(%q): no schedule and no error", spec)
		}
	})
}

func TestDue(t *testing.T) {
	tokyo := mustLoad(t, "Asia/Tokyo")
	var editions Times
	for _, spec := range []string{"CRON_TZ=Asia/Tokyo 0 8,12 * * *", "0 18 * * *"} {
		s, err := Parse(spec, tokyo)
		if err != nil {
			t.Fatal(err)
		}
		editions = append(editions, s)
	}
	at := func(hhmm string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", "2026-05-01 "+hhmm, tokyo)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		last, now string
		due       string // "" when none is due
	}{
		{"07:00", "07:59", ""},
		{"07:00", "08:00", "08:00"},
		{"07:00", "08:14", "08:00"},
		{"08:00", "08:15", ""}, // the 8:00 digest is done
		{"08:00", "13:00", "12:00"},
		{"07:00", "19:00", "08:00"}, // several missed: one digest, the earliest named
		{"12:00", "18:00", "18:00"}, // the zone-less spec runs in the config's zone
	}
	for _, tt := range tests {
		got, ok := editions.Due(at(tt.last), at(tt.now))
		want := tt.due != ""
		if ok != want || (ok && !got.Equal(at(tt.due))) {
			t.Errorf("Due(last %s, now %s) = %v %v, want %q", tt.last, tt.now, got.In(tokyo).Format("15:04"), ok, tt.due)
		}
	}
	if next := editions.Next(at("12:30")); !next.Equal(at("18:00")) {
		t.Errorf("Next(12:30) = %v, want 18:00", next.In(tokyo))
	}
	if _, ok := Times(nil).Due(at("07:00"), at("20:00")); ok {
		t.Error("no digest times, yet a digest is due")
	}
}

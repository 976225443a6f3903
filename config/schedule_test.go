package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSchedules(t *testing.T) {
	src := `feeds:
  - {name: a, url: https://a.example/feed, interval: 1h}
  - {name: b, url: https://b.example/feed, interval: 20m}
schedule:
  digest: ["CRON_TZ=Asia/Tokyo 0 8,12,18 * * *"]
posters:
  - {type: stdout, name: three}
  - {type: stdout, name: daily, schedule: ["0 8 * * *"]}
  - {type: stdout, name: every-poll, schedule: []}
`
	c, err := Parse("config.yaml", []byte(src), env(nil), testPlatforms())
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) // 09:00 in Tokyo
	if got := c.Schedule.PollSchedule.Next(base).Sub(base); got != 20*time.Minute {
		t.Errorf("default poll every %v, want the shortest feed interval 20m", got)
	}
	want := map[string]int{"three": 1, "daily": 1, "every-poll": 0}
	for _, p := range c.Posters {
		if len(p.Digests) != want[p.Name] {
			t.Errorf("poster %s: %d digest schedules, want %d", p.Name, len(p.Digests), want[p.Name])
		}
	}
	if next := c.Posters[0].Digests.Next(base); !next.Equal(time.Date(2026, 5, 1, 3, 0, 0, 0, time.UTC)) {
		t.Errorf("three's next digest = %v, want 12:00 in Tokyo", next)
	}
	// Zone-less specs run in the config's timezone (Asia/Tokyo by default).
	if next := c.Posters[1].Digests.Next(base); !next.Equal(time.Date(2026, 5, 1, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("daily's next digest = %v, want 08:00 in Tokyo tomorrow", next)
	}
}

func TestScheduleErrorsAreLocated(t *testing.T) {
	src := `feeds:
  - {name: a, url: https://a.example/feed}
  - {name: b, url: https://a.example/feed}
  - {name: c, url: https://a.example/feed, disabled: true}
schedule:
  poll: "@every 10s"
  digest:
    - "CRON_TZ=Asia/Tokyo"
    - "0 25 * * *"
posters:
  - type: stdout
    schedule: ["TZ=Asia/Tokyo"]
`
	_, err := Parse("config.yaml", []byte(src), env(nil), testPlatforms())
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`config.yaml:3:20: feeds[1].url: https://a.example/feed is already the url of feeds[0]`,
		`config.yaml:6:9: schedule.poll: "@every 10s" is too often`,
		`config.yaml:8:7: schedule.digest[0]: "CRON_TZ=Asia/Tokyo" names a time zone but no times`,
		`config.yaml:9:7: schedule.digest[1]: "0 25 * * *" is not a schedule`,
		`config.yaml:12:16: posters[0].schedule[0]: "TZ=Asia/Tokyo" names a time zone but no times`,
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("error %d = %q, want prefix %q", i, lines[i], w)
		}
	}
}

func TestSecretFilePathExpandsVariables(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tok"), []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	src := "feeds:\n  - {name: a, url: https://a.example/}\nposters:\n  - {type: secret, token_file: \"${CREDENTIALS_DIRECTORY}/tok\"}\n"
	c, err := Parse("config.yaml", []byte(src), env(map[string]string{"CREDENTIALS_DIRECTORY": dir}), testPlatforms())
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Posters[0].Settings.(*secretSettings).secret; got != "s3cret" {
		t.Errorf("secret = %q", got)
	}
	c, err = Parse("config.yaml", []byte(src), env(nil), testPlatforms())
	if err != nil {
		t.Fatal(err)
	}
	if m := c.Posters[0].Missing(); !strings.Contains(m, "CREDENTIALS_DIRECTORY is not set") {
		t.Errorf("missing = %q", m)
	}
}

func TestPreflight(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "here.rdf"), []byte("<rss/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `database: missing/bot.db
feeds:
  - {name: a, url: "file:here.rdf"}
  - {name: b, url: "file:gone.rdf"}
  - {name: c, url: "file:gone-too.rdf", disabled: true}
  - {name: d, url: "https://d.example/feed"}
`
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, env(nil), testPlatforms())
	if err != nil {
		t.Fatal(err)
	}
	err = Preflight(c)
	want := []string{
		path + ":1: database: the folder " + filepath.Join(dir, "missing") + " does not exist",
		path + ":4: feeds[1].url: cannot read " + filepath.Join(dir, "gone.rdf") + ": no such file or directory",
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("Preflight = %v\nwant %s", err, strings.Join(want, "\n"))
	}
	if err := os.Mkdir(filepath.Join(dir, "missing"), 0o755); err != nil {
		t.Fatal(err)
	}
	c.Feeds = c.Feeds[:1]
	if err := Preflight(c); err != nil {
		t.Errorf("Preflight with the folder and the file there: %v", err)
	}
}

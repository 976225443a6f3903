package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Keyword lists of the production config: Japanese public bodies are taken
// whole, news feeds are filtered.
var (
	jaSecurity = []string{"脆弱性", "不正アクセス", "マルウェア", "ランサムウェア", "情報漏えい", "情報漏洩", "フィッシング",
		"サイバー攻撃", "攻撃", "不正", "CVE", "ゼロデイ", "パッチ", "修正"}
	enSecurity = []string{"vulnerability", "vulnerabilities", "zero-day", "0-day", "exploit", "CVE", "ransomware",
		"malware", "breach", "patch", "backdoor", "phishing", "botnet"}
	globalExclude = []string{"セミナー", "ウェビナー", "講演", "求人", "採用情報", "webinar", "sponsored"}
)

// tokenVar is the environment variable the generated config reads the fake
// platform's token from.
const tokenVar = "ITSECBOT_BENCH_TOKEN"

// posterName is the generated config's Mastodon poster.
const posterName = "bench"

type benchConfig struct {
	database    string
	mastodonURL string
	concurrency int
	perHost     int
	backfill    int
	maxStories  int
	feeds       []feedEntry
}

type feedEntry struct {
	name, url string
	include   []string
}

// feedEntries lists the corpus's feeds as the server serves them.
func feedEntries(c *corpus, fs *feedServer) []feedEntry {
	out := make([]feedEntry, c.feeds)
	for i := range out {
		fx := c.fixture(i)
		e := feedEntry{name: c.name(i), url: fs.url(i)}
		switch {
		case !fx.japanese:
			e.include = enSecurity
		case strings.HasPrefix(fx.name, "2ch"):
			e.include = jaSecurity
		}
		out[i] = e
	}
	return out
}

// write renders the config as YAML. max_age is off: the captured items keep
// their real, old dates, and every new item must reach the filter.
func (bc benchConfig) write(path string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "database: %s\nmax_age: \"0\"\nbackfill: %d\n", strconv.Quote(bc.database), bc.backfill)
	b.WriteString("log: {level: debug, format: json}\n")
	fmt.Fprintf(&b, "fetch: {concurrency: %d, per_host: %d}\n", bc.concurrency, bc.perHost)
	fmt.Fprintf(&b, "filter: {exclude: %s}\n", yamlList(globalExclude))
	fmt.Fprintf(&b, "digest: {max_stories: %d}\n", bc.maxStories)
	fmt.Fprintf(&b, "posters:\n  - {type: mastodon, name: %s, server: %s, access_token: \"${%s}\"}\n",
		posterName, strconv.Quote(bc.mastodonURL), tokenVar)
	b.WriteString("feeds:\n")
	for _, f := range bc.feeds {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n", strconv.Quote(f.name), strconv.Quote(f.url))
		if len(f.include) > 0 {
			fmt.Fprintf(&b, "    filter: {include: %s}\n", yamlList(f.include))
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

func yamlList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

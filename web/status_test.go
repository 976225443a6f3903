package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/store"
)

func TestStatusPageShowsFeedsQueueAndRecentPosts(t *testing.T) {
	cfg, rep := fixture(t, nil)
	code, h, body := get(t, newServer(t, cfg, nil, now.Add(5*time.Minute)), "GET", "/")
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %s", code, h.Get("Content-Type"))
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	mustContain(t, "the page", body,
		`<html lang="ja">`, `name="viewport"`, "正常", // a cycle succeeded 5 minutes ago
		fmt.Sprintf(`<span class="n">%d</span><span class="l">今日の新着`, rep.NewItems),
		fmt.Sprintf(`<span class="n">%d</span><span class="l">今日の投稿`, rep.PostsSent),
		// feeds, with the failing one and its error
		"JPCERT/CC", "JVN iPedia", `<td class="name">Vendor (moved)</td>`, "失敗中", "no such file or directory",
		// the x poster's queued post and why it waits
		"<h3>x ", "送信待ち 1件", "connection refused", "次のサイクル",
		"注意喚起: Cisco ASAおよびFTDにおける複数の脆弱性",
		// the stdout poster's posts
		"<h3>demo ", "送信待ちの投稿はありません", "最近の投稿", "【セキュリティ情報まとめ】",
		// the chart: 14 days, today's bars drawn on the server
		"過去14日間", "<svg", fmt.Sprintf("11/22 新着 %d件", rep.NewItems))
	if strings.Contains(body, "<script") {
		t.Error("the page has a script; it must work without")
	}
	if n := strings.Count(body, `class="c-day`); n != 7 {
		t.Errorf("%d day labels, want every other of 14 days", n)
	}
}

func TestStatusPageRendersWithAnEmptyDatabase(t *testing.T) {
	cfg := loadConfig(t, t.TempDir())
	st, err := store.Open(context.Background(), cfg.DatabasePath())
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, _, body := get(t, newServer(t, cfg, nil, now), "GET", "/")
	if code != http.StatusOK {
		t.Fatalf("GET / on an empty database = %d", code)
	}
	mustContain(t, "the empty page", body, "異常", "成功したサイクルがまだありません", "未取得", "JPCERT/CC",
		"送信待ちの投稿はありません", "まだ投稿はありません", "新着（最大 0件）")
}

func TestUnusableDatabaseIsServiceUnavailable(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 512)), 0o600)
	empty := filepath.Join(dir, "empty.db") // a database, without the schema
	os.WriteFile(empty, nil, 0o600)
	for name, path := range map[string]string{"missing": filepath.Join(dir, "missing.db"), "garbage": garbage, "no schema": empty} {
		t.Run(name, func(t *testing.T) {
			cfg := loadConfig(t, t.TempDir())
			cfg.Database = path
			srv := newServer(t, cfg, nil, now)
			for _, p := range []string{"/", "/healthz", "/feed.atom", "/feed.json"} {
				if code, _, body := get(t, srv, "GET", p); code != http.StatusServiceUnavailable {
					t.Errorf("GET %s = %d, want 503:\n%.300s", p, code, body)
				}
			}
			_, _, page := get(t, srv, "GET", "/")
			mustContain(t, "the page", page, "データベースを読めません")
			_, _, health := get(t, srv, "GET", "/healthz")
			mustContain(t, "/healthz", health, "unhealthy: database unusable: ")
			code, _, metrics := get(t, srv, "GET", "/metrics")
			if code != http.StatusOK {
				t.Errorf("GET /metrics = %d", code)
			}
			mustContain(t, "/metrics", metrics, "itsecbot_database_up 0")
		})
	}
}

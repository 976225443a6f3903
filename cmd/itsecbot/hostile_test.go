package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// rss builds a small RSS 2.0 document; prolog is the XML declaration to
// use, and links start with base so that each feed's stories are its own.
func rss(prolog, base string, titles ...string) string {
	var b strings.Builder
	b.WriteString(prolog + `<rss version="2.0"><channel><title>t</title><link>https://x.example/</link>`)
	for i, t := range titles {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://x.example/%s/%d</link><pubDate>Sun, 22 Nov 2026 09:00:00 +0900</pubDate></item>`, t, base, i)
	}
	return b.String() + `</channel></rss>`
}

func encode(t *testing.T, s string, enc transform.Transformer) []byte {
	out, _, err := transform.String(enc, s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

// hostileServer serves one path per misbehaviour.
func hostileServer(t *testing.T) (*httptest.Server, *atomic.Bool) {
	truncate := new(atomic.Bool)
	doc := func(base string) string {
		return rss(`<?xml version="1.0" encoding="UTF-8"?>`, base, "ルータにおける脆弱性", "second")
	}
	eucDoc := encode(t, rss(`<?xml version="1.0"?>`, "euc", "ＥＵＣ－ＪＰの脆弱性情報"), japanese.EUCJP.NewEncoder())
	isoDoc := encode(t, rss(`<?xml version="1.0" encoding="ISO-2022-JP"?>`, "iso", "ISO-2022-JPの脆弱性情報"), japanese.ISO2022JP.NewEncoder())
	mux := http.NewServeMux()
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(doc("good"))) })
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte(doc("gzip")))
		zw.Close()
	})
	mux.HandleFunc("/etag", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"e1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"e1"`)
		w.Write([]byte(doc("etag")))
	})
	mux.HandleFunc("/ratelimited", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("<x>padding</x>\n"), 4096)
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
		for sent := 0; sent < 50<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client gave up, as it should
			}
		}
	})
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		for _, c := range []byte(doc("trickle")) {
			if _, err := w.Write([]byte{c}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) })
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<!DOCTYPE html><html><head><title>Moved</title></head><body>Our feed moved.</body></html>"))
	})
	mux.HandleFunc("/eucjp", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=EUC-JP")
		w.Write(eucDoc)
	})
	mux.HandleFunc("/iso2022jp", func(w http.ResponseWriter, r *http.Request) { w.Write(isoDoc) })
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) {
		d := doc("truncated")
		if truncate.Load() {
			d = d[:len(d)/2]
		}
		w.Write([]byte(d))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, truncate
}

var hostilePaths = []string{"good", "gzip", "etag", "ratelimited", "huge", "trickle", "hang", "loop", "html", "eucjp", "iso2022jp", "truncated"}

func feedsJSON(t *testing.T, cfgPath string) map[string]feedJSON {
	t.Helper()
	out, _, err := runCmd(t, "feeds", "-json", "-config", cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]feedJSON{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var f feedJSON
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("feeds -json line %q: %v", line, err)
		}
		byName[f.Name] = f
	}
	return byName
}

func TestHostileFeedsInOneCycle(t *testing.T) {
	t.Parallel() // waits on timeouts and signals, not the CPU
	srv, truncate := hostileServer(t)
	var cfg strings.Builder
	cfg.WriteString("max_age: \"0\"\nbackfill: 5\nfetch: {timeout: 3s, max_body_mib: 1, concurrency: 16}\nfeeds:\n")
	for _, p := range hostilePaths {
		fmt.Fprintf(&cfg, "  - {name: %s, url: %s/%s}\n", p, srv.URL, p)
	}
	cfg.WriteString("posters:\n  - type: stdout\n")
	cfgPath := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, cfgPath, cfg.String())

	start := time.Now()
	out, stderr, err := runCmd(t, "once", "-config", cfgPath)
	if err != nil {
		t.Fatalf("once: %v\n%s", err, stderr)
	}
	// The hanging and trickling feeds take the whole 3 s timeout; nothing may take longer.
	if elapsed := time.Since(start); elapsed > 3*time.Second+4*time.Second {
		t.Errorf("cycle took %v with a 3s fetch timeout", elapsed)
	}
	for _, want := range []string{"ルータにおける脆弱性", "ＥＵＣ－ＪＰの脆弱性情報", "ISO-2022-JPの脆弱性情報"} {
		if !strings.Contains(out, want) {
			t.Errorf("posts lack %q:\n%s", want, out)
		}
	}
	first := feedsJSON(t, cfgPath)
	ok := func(name string, items int) {
		t.Helper()
		f := first[name]
		if f.LastError != "" || f.Items != items || f.LastOK == "" || f.ConsecutiveFailures != 0 {
			t.Errorf("%s: %+v, want OK with %d items", name, f, items)
		}
	}
	failed := func(name string, status int, errPart string) {
		t.Helper()
		f := first[name]
		if f.LastStatus != status || !strings.Contains(strings.ToLower(f.LastError), errPart) || f.ConsecutiveFailures != 1 || f.Items != 0 {
			t.Errorf("%s: %+v, want failure with status %d and error containing %q", name, f, status, errPart)
		}
	}
	ok("good", 2)
	ok("gzip", 2)
	ok("etag", 2)
	ok("eucjp", 1)
	ok("iso2022jp", 1)
	ok("truncated", 2)
	failed("ratelimited", 429, "429")
	// No usable answer came: the status stays 0 and the error says why.
	failed("huge", 0, "too large")
	failed("trickle", 0, "")
	failed("hang", 0, "")
	failed("loop", 0, "redirect")
	failed("html", 200, "not a feed")
	for _, name := range []string{"trickle", "hang"} {
		if e := strings.ToLower(first[name].LastError); !strings.Contains(e, "timeout") && !strings.Contains(e, "deadline") {
			t.Errorf("%s: error %q does not say it timed out", name, e)
		}
	}
	due, _ := time.Parse(time.RFC3339, first["ratelimited"].NextDue)
	if until := time.Until(due); until < 110*time.Minute {
		t.Errorf("ratelimited feed is due again in %v, want Retry-After's 2h honoured", until)
	}

	// Second cycle: the ETag feed answers 304, the truncated feed breaks but keeps its items.
	truncate.Store(true)
	if _, stderr, err := runCmd(t, "once", "-force", "-config", cfgPath); err != nil {
		t.Fatalf("second once: %v\n%s", err, stderr)
	}
	second := feedsJSON(t, cfgPath)
	if f := second["etag"]; f.LastStatus != http.StatusNotModified || f.LastError != "" || f.Items != 2 {
		t.Errorf("etag feed on second poll: %+v, want 304", f)
	}
	if f := second["truncated"]; !strings.Contains(f.LastError, "parse") || f.Items != 2 || f.ConsecutiveFailures != 1 || f.LastOK != first["truncated"].LastOK {
		t.Errorf("truncated feed: %+v, want a parse error with its 2 earlier items kept", f)
	}
}

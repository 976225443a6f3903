package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fetchParse fetches url with a default Fetcher and parses the body.
func fetchParse(t *testing.T, f *Fetcher, url string) (*Feed, error) {
	t.Helper()
	resp, err := f.Fetch(context.Background(), url, Validators{})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	return Parse(resp.Body, ParseOptions{ContentType: resp.ContentType})
}

func TestFetchConditionalGET(t *testing.T) {
	body := readFixture(t, "jvn-rss10.rdf")
	const lastMod = "Wed, 01 May 2024 01:00:00 GMT"
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified) // no validators resent
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "application/rdf+xml")
		w.Write(body)
	}))
	defer srv.Close()
	f := NewFetcher(Options{UserAgent: "itsecbot-test/1.0"})

	first, err := f.Fetch(context.Background(), srv.URL, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	want := Validators{ETag: `"v1"`, LastModified: lastMod}
	if first.Status != 200 || first.NotModified || !bytes.Equal(first.Body, body) || first.Validators != want ||
		first.ContentType != "application/rdf+xml" || first.URL != srv.URL {
		t.Fatalf("first fetch = status %d notModified %v validators %+v type %q url %q", first.Status, first.NotModified, first.Validators, first.ContentType, first.URL)
	}
	second, err := f.Fetch(context.Background(), srv.URL, first.Validators)
	if err != nil {
		t.Fatal(err)
	}
	if second.Status != 304 || !second.NotModified || second.Body != nil || second.Validators != want {
		t.Errorf("second fetch = status %d notModified %v body %d bytes validators %+v; want 304 with validators kept",
			second.Status, second.NotModified, len(second.Body), second.Validators)
	}
	if len(seen) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(seen))
	}
	if h := seen[0]; h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" || h.Get("User-Agent") != "itsecbot-test/1.0" {
		t.Errorf("first request headers = %v; want no validators and our User-Agent", h)
	}
	if h := seen[1]; h.Get("If-None-Match") != `"v1"` || h.Get("If-Modified-Since") != lastMod {
		t.Errorf("second request INM=%q IMS=%q; want stored validators", h.Get("If-None-Match"), h.Get("If-Modified-Since"))
	}
}

func TestFetchDefaultUserAgentAndAccept(t *testing.T) {
	var ua, accept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua, accept = r.UserAgent(), r.Header.Get("Accept")
	}))
	defer srv.Close()
	if _, err := NewFetcher(Options{}).Fetch(context.Background(), srv.URL, Validators{}); err != nil {
		t.Fatal(err)
	}
	if ua != DefaultUserAgent || !strings.HasPrefix(accept, "application/rss+xml") {
		t.Errorf("User-Agent %q Accept %q; want %q and feed types first", ua, accept, DefaultUserAgent)
	}
}

func gzipBytes(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchGzip(t *testing.T) {
	zipped := gzipBytes(t, readFixture(t, "schneier-atom.xml"))
	var acceptEncoding string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acceptEncoding = r.Header.Get("Accept-Encoding")
		w.Header().Set("Content-Encoding", "gzip") // even when not asked for
		w.Write(zipped)
	}))
	defer srv.Close()
	tests := []struct {
		name, wantAccept string
		transport        http.RoundTripper
	}{
		{"transport decompresses", "gzip", nil},
		{"unrequested gzip decompressed by us", "", &http.Transport{DisableCompression: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, err := fetchParse(t, NewFetcher(Options{Transport: tt.transport}), srv.URL)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(feed.Items) != 10 || acceptEncoding != tt.wantAccept {
				t.Errorf("items %d, Accept-Encoding %q; want 10, %q", len(feed.Items), acceptEncoding, tt.wantAccept)
			}
		})
	}
}

func TestFetchStatusErrors(t *testing.T) {
	now := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, retryAfter string
		status           int
		want             time.Duration
	}{
		{"429 seconds", "120", 429, 2 * time.Minute},
		{"429 HTTP-date", now.Add(90 * time.Second).Format(http.TimeFormat), 429, 90 * time.Second},
		{"503 seconds", "30", 503, 30 * time.Second},
		{"503 date in the past", now.Add(-time.Hour).Format(http.TimeFormat), 503, 0},
		{"429 garbage", "soon", 429, 0},
		{"404 ignores Retry-After", "60", 404, 0},
		{"500", "", 500, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			f := NewFetcher(Options{Now: func() time.Time { return now }})
			_, err := f.Fetch(context.Background(), srv.URL+"/feed", Validators{})
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *StatusError", err)
			}
			if se.Status != tt.status || se.RetryAfter != tt.want || se.URL != srv.URL+"/feed" {
				t.Errorf("StatusError = %+v, want status %d RetryAfter %v", se, tt.status, tt.want)
			}
			if !strings.Contains(err.Error(), srv.URL+"/feed") || !strings.Contains(err.Error(), http.StatusText(tt.status)) {
				t.Errorf("message %q does not name URL and status", err)
			}
		})
	}
}

func TestFetchFile(t *testing.T) {
	path, err := filepath.Abs(fixtureDir + "jvndb-new-rss10.rdf")
	if err != nil {
		t.Fatal(err)
	}
	fileURL := (&url.URL{Scheme: "file", Path: path}).String()
	f := NewFetcher(Options{})
	first, err := f.Fetch(context.Background(), fileURL, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	feed, err := Parse(first.Body, ParseOptions{})
	if err != nil || len(feed.Items) != 6 || first.Status != 0 || first.Validators.LastModified == "" {
		t.Fatalf("file fetch: status %d validators %+v, parse err %v", first.Status, first.Validators, err)
	}
	second, err := f.Fetch(context.Background(), fileURL, first.Validators)
	if err != nil || !second.NotModified {
		t.Errorf("refetch with validators: NotModified %v err %v, want true", second != nil && second.NotModified, err)
	}
	tests := []struct {
		name, url string
		is        error
	}{
		{"relative path", "file://testdata/x.rdf", nil},
		{"missing file", "file:///nonexistent/feed.rdf", fs.ErrNotExist},
		{"too large", fileURL, ErrTooLarge},
		{"unsupported scheme", "ftp://example.jp/feed.rdf", nil},
	}
	small := NewFetcher(Options{MaxBody: 100})
	for _, tt := range tests {
		_, err := small.Fetch(context.Background(), tt.url, Validators{})
		if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) || !strings.Contains(err.Error(), tt.url) {
			t.Errorf("%s: err = %v, want error naming the URL (is %v)", tt.name, err, tt.is)
		}
	}
}

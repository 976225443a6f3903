package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const fiftyMB = 50 << 20

// bigBody writes 50 MB in 64 KiB chunks until the client goes away, and
// reports how much it managed to write.
func bigBody(withLength bool, written chan<- int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var n int64
		defer func() { written <- n }()
		if withLength {
			w.Header().Set("Content-Length", strconv.Itoa(fiftyMB))
		}
		chunk := []byte(strings.Repeat("x", 64<<10))
		for n < fiftyMB {
			m, err := w.Write(chunk)
			n += int64(m)
			if err != nil {
				return
			}
		}
	}
}

func TestFetchTooLarge(t *testing.T) {
	for _, withLength := range []bool{true, false} {
		t.Run(fmt.Sprintf("Content-Length=%v", withLength), func(t *testing.T) {
			written := make(chan int64, 1)
			srv := httptest.NewServer(bigBody(withLength, written))
			defer srv.Close()
			_, err := NewFetcher(Options{}).Fetch(context.Background(), srv.URL, Validators{})
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), srv.URL) {
				t.Fatalf("err = %v, want ErrTooLarge naming the URL", err)
			}
			n := <-written
			t.Logf("server wrote %d bytes; err: %v", n, err)
			if n >= fiftyMB/2 {
				t.Errorf("server wrote %d bytes before the client gave up, want far less than %d", n, fiftyMB)
			}
		})
	}
}

func TestFetchTricklingBodyTimesOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<"))
		w.(http.Flusher).Flush()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				w.Write([]byte("r"))
				w.(http.Flusher).Flush()
			}
		}
	}))
	defer srv.Close()
	const timeout = 1500 * time.Millisecond
	start := time.Now()
	_, err := NewFetcher(Options{Timeout: timeout}).Fetch(context.Background(), srv.URL, Validators{})
	elapsed := time.Since(start)
	t.Logf("after %v: %v", elapsed, err)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timeout after 1.5s") {
		t.Fatalf("err = %v, want a timeout wrapping context.DeadlineExceeded", err)
	}
	// Generous margin: the machine is shared, but reading the trickle to its
	// end would take forever.
	if elapsed > timeout+3*time.Second {
		t.Errorf("Fetch returned after %v, want about %v", elapsed, timeout)
	}
}

func TestFetchCallerCancelIsNotATimeout(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewFetcher(Options{}).Fetch(ctx, "http://127.0.0.1:1/feed", Validators{})
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "timeout") {
		t.Errorf("err = %v, want context.Canceled, not reported as our timeout", err)
	}
}

func TestFetchRedirects(t *testing.T) {
	var hits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusMovedPermanently)
			return
		}
		w.Write(readFixture(t, "krebs-rss2.xml"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewFetcher(Options{})

	_, err := f.Fetch(context.Background(), srv.URL+"/loop", Validators{})
	t.Logf("loop: %v", err)
	if !errors.Is(err, ErrTooManyRedirects) || !strings.Contains(err.Error(), srv.URL+"/loop") {
		t.Errorf("loop: err = %v, want ErrTooManyRedirects naming the URL", err)
	}
	if got := hits.Load(); got != 6 {
		t.Errorf("loop: server saw %d requests, want 6 (the first + 5 redirects)", got)
	}
	resp, err := f.Fetch(context.Background(), srv.URL+"/hop/5", Validators{})
	if err != nil || resp.URL != srv.URL+"/hop/0" {
		t.Errorf("5 hops: err %v, final URL %v; want success at /hop/0", err, resp)
	}
	if _, err := f.Fetch(context.Background(), srv.URL+"/hop/6", Validators{}); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("6 hops: err = %v, want ErrTooManyRedirects", err)
	}
}

func TestHostLimiter(t *testing.T) {
	h := newHostLimiter(2)
	ctx := context.Background()
	var releases []func()
	for range 2 {
		rel, err := h.acquire(ctx, "a.example")
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, rel)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.acquire(done, "a.example"); !errors.Is(err, context.Canceled) {
		t.Fatalf("third slot on a full host: err = %v, want to wait until ctx ends", err)
	}
	if rel, err := h.acquire(ctx, "b.example"); err != nil {
		t.Errorf("other host blocked: %v", err)
	} else {
		rel()
	}
	releases[0]()
	if rel, err := h.acquire(ctx, "a.example"); err != nil {
		t.Errorf("slot not given back: %v", err)
	} else {
		rel()
	}
}

func TestFetchPerHostLimit(t *testing.T) {
	var inFlight, arrived atomic.Int32
	full := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inFlight.Add(1) == 2 {
			close(full)
		}
		arrived.Add(1)
		defer inFlight.Add(-1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	f := NewFetcher(Options{PerHost: 2})
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := f.Fetch(context.Background(), srv.URL, Validators{})
			errs <- err
		}()
	}
	<-full
	// Both slots are taken: a third fetch must wait for one, not reach the server.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := f.Fetch(ctx, srv.URL, Validators{})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "wait for host slot") {
		t.Errorf("third fetch: err = %v, want to time out waiting for a slot", err)
	}
	if got := arrived.Load(); got != 2 {
		t.Errorf("server saw %d requests, want 2", got)
	}
	close(release)
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestSlowHostLeavesGlobalSlotsToOthers: feeds queued behind a hanging host
// wait for that host's slot without holding one of the global slots.
func TestSlowHostLeavesGlobalSlotsToOthers(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<rss version="2.0"><channel><title>t</title></channel></rss>`))
	}))
	defer fast.Close()
	f := NewFetcher(Options{PerHost: 1, Concurrency: 2, Timeout: 10 * time.Second})
	done := make(chan error, 3)
	for range 3 { // one hangs, two queue for the slow host's single slot
		go func() {
			_, err := f.Fetch(context.Background(), slow.URL, Validators{})
			done <- err
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	time.Sleep(100 * time.Millisecond) // let the slow fetches queue up
	if _, err := f.Fetch(ctx, fast.URL, Validators{}); err != nil {
		t.Errorf("fetch from another host while one hangs: %v", err)
	}
	close(release)
	for range 3 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestGlobalConcurrencyLimit(t *testing.T) {
	release := make(chan struct{})
	var arrived atomic.Int32
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	a, b := httptest.NewServer(handler), httptest.NewServer(handler)
	defer a.Close()
	defer b.Close()
	f := NewFetcher(Options{Concurrency: 1})
	first := make(chan error, 1)
	go func() { _, err := f.Fetch(context.Background(), a.URL, Validators{}); first <- err }()
	for arrived.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := f.Fetch(ctx, b.URL, Validators{})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "wait for a fetch slot") {
		t.Errorf("second fetch with Concurrency 1: %v, want to wait for a fetch slot", err)
	}
	if got := arrived.Load(); got != 1 {
		t.Errorf("servers saw %d requests, want 1", got)
	}
	close(release)
	if err := <-first; err != nil {
		t.Error(err)
	}
}

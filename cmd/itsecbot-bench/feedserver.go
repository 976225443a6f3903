package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// document is one generated feed as served.
type document struct {
	body        []byte
	etag        string
	contentType string
}

// feedServer serves the generated feeds on several loopback ports, one
// "host" each (the fetcher limits concurrency per host:port), answering
// conditional GETs with 304.
type feedServer struct {
	srv   *http.Server
	lns   []net.Listener
	docs  atomic.Pointer[[]document]
	wg    sync.WaitGroup
	full  atomic.Int64 // 200 answers
	not   atomic.Int64 // 304 answers
	bytes atomic.Int64 // body bytes sent
}

func startFeedServer(hosts int) (*feedServer, error) {
	fs := &feedServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed/{n}", fs.serveFeed)
	fs.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	for range hosts {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fs.close()
			return nil, fmt.Errorf("listen: %w", err)
		}
		fs.lns = append(fs.lns, ln)
	}
	for _, ln := range fs.lns {
		// Serve ends at close; a listener that failed earlier shows up
		// as failed fetches in the cycle's report.
		fs.wg.Go(func() { _ = fs.srv.Serve(ln) })
	}
	return fs, nil
}

// url is feed n's address; feeds are spread over the hosts in turn.
func (fs *feedServer) url(n int) string {
	return fmt.Sprintf("http://%s/feed/%d", fs.lns[n%len(fs.lns)].Addr(), n)
}

// publish replaces every feed's document at once.
func (fs *feedServer) publish(docs []document) { fs.docs.Store(&docs) }

func (fs *feedServer) resetCounts() {
	fs.full.Store(0)
	fs.not.Store(0)
	fs.bytes.Store(0)
}

func (fs *feedServer) serveFeed(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	docs := fs.docs.Load()
	if err != nil || docs == nil || n < 0 || n >= len(*docs) {
		http.NotFound(w, r)
		return
	}
	d := (*docs)[n]
	w.Header().Set("ETag", d.etag)
	if r.Header.Get("If-None-Match") == d.etag {
		fs.not.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	fs.full.Add(1)
	fs.bytes.Add(int64(len(d.body)))
	w.Header().Set("Content-Type", d.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(d.body)))
	_, _ = w.Write(d.body)
}

func (fs *feedServer) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = fs.srv.Shutdown(ctx)
	for _, ln := range fs.lns {
		_ = ln.Close()
	}
	fs.wg.Wait()
}

// Package web is itsecbot's optional HTTP server: the operator's status
// page, the readers' curated feed of stories (Atom and JSON Feed), a health
// check and Prometheus metrics. It reads the database through its own
// read-only connections and answers GET and HEAD only: nothing it serves
// can change state.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/itsecbot/itsecbot/config"
)

// Server answers the status page, the feeds, /healthz and /metrics.
type Server struct {
	cfg     *config.Config
	db      *database
	metrics *Metrics
	log     *slog.Logger
	now     func() time.Time
	version string
	page    *page
}

// Options are what a Server needs besides the config.
type Options struct {
	// Metrics are the counters the pipeline feeds (Cycle.Observer); nil
	// serves fresh ones, all zero, beside what the database tells.
	Metrics *Metrics
	Logger  *slog.Logger
	Now     func() time.Time // time.Now when nil
	Version string           // shown in the feeds' generator
}

// New returns a server over cfg's database, which it opens read-only on
// first use. Close releases it.
func New(cfg *config.Config, opts Options) *Server {
	s := &Server{cfg: cfg, db: &database{path: cfg.DatabasePath()}, metrics: opts.Metrics, log: opts.Logger,
		now: opts.Now, version: opts.Version, page: newPage()}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Close closes the server's database connections.
func (s *Server) Close() error { return s.db.close() }

// Handler routes the server's pages. Methods other than GET and HEAD are
// refused with 405 on every path.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.status)
	mux.HandleFunc("GET /feed.atom", s.atom)
	mux.HandleFunc("GET /feed.json", s.jsonFeed)
	mux.HandleFunc("GET /healthz", s.health)
	mux.Handle("GET /metrics", s.metricsHandler())
	return s.readOnly(mux)
}

// readOnly refuses every method that could ask for a change, sets the
// headers every answer shares and logs requests at debug level.
func (s *Server) readOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed: this server only reads", http.StatusMethodNotAllowed)
			s.log.Debug("http request refused", "method", r.Method, "path", r.URL.Path)
			return
		}
		start := time.Now()
		next.ServeHTTP(w, r)
		s.log.Debug("http request", "method", r.Method, "path", r.URL.Path, "took", time.Since(start))
	})
}

// Serve serves cfg.HTTP.Listen until ctx ends, then shuts down (requests
// in progress get 5 seconds) and closes its database connections. With no
// address configured it returns nil at once. m may be nil (see Options).
func Serve(ctx context.Context, cfg *config.Config, m *Metrics, logger *slog.Logger, version string) error {
	if cfg.HTTP.Listen == "" {
		return nil
	}
	ln, err := Listen(cfg)
	if err != nil {
		return err
	}
	return ServeOn(ctx, ln, cfg, m, logger, version)
}

// Listen opens cfg.HTTP.Listen, so that a caller can fail at start, with
// the address, when it is taken.
func Listen(cfg *config.Config) (net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		return nil, fmt.Errorf("serve http on %s (http.listen): %w", cfg.HTTP.Listen, err)
	}
	return ln, nil
}

// ServeOn is Serve on a listener Listen opened; it closes ln.
func ServeOn(ctx context.Context, ln net.Listener, cfg *config.Config, m *Metrics, logger *slog.Logger, version string) error {
	s := New(cfg, Options{Metrics: m, Logger: logger, Version: version})
	defer s.Close()
	return s.serve(ctx, ln)
}

func (s *Server) serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	s.log.Info("status server listening", "address", ln.Addr().String())
	select {
	case err := <-done:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("stop http server: %w", err)
	}
	return nil
}

package feeds

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
)

// fetchFile reads a file:// URL, for offline demos and tests. The file's
// modification time acts as Last-Modified, so an unchanged file is
// NotModified just like a 304.
func fetchFile(ctx context.Context, u *url.URL, v Validators, max int64) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if u.Opaque != "" || (u.Host != "" && u.Host != "localhost") || !filepath.IsAbs(u.Path) {
		return nil, fmt.Errorf("fetch %s: file URL must name an absolute local path (file:///path)", u)
	}
	f, err := os.Open(u.Path)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("fetch %s: is a directory", u)
	}
	out := &Response{
		URL:        u.String(),
		Validators: Validators{LastModified: st.ModTime().UTC().Format(http.TimeFormat)},
	}
	if v.LastModified != "" && v.LastModified == out.Validators.LastModified {
		out.NotModified = true
		return out, nil
	}
	if st.Size() > max {
		return nil, fmt.Errorf("fetch %s: %w: %d bytes exceeds %d", u, ErrTooLarge, st.Size(), max)
	}
	if out.Body, err = readLimited(f, max, st.Size()); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	return out, nil
}

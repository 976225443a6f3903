package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"

	"github.com/goccy/go-yaml/parser"
)

// Preflight checks what a run needs beyond a valid file: the database's
// folder exists and is writable (the database and its lock are created
// there), the database itself is writable, and every enabled file: feed
// exists. Problems are located in the file like its own.
func Preflight(c *Config) error {
	v := validator{file: c.Path}
	if src, err := os.ReadFile(c.Path); err == nil {
		doc, _ := parser.ParseBytes(src, 0) // Load parsed it already
		v.loc = locator{doc: doc}
	}
	v.databaseFolder(c)
	for i, f := range c.Feeds {
		if !f.Disabled {
			v.fileFeed(fmt.Sprintf("feeds[%d].url", i), f.URL)
		}
	}
	if len(v.errs) == 0 {
		return nil
	}
	sort.SliceStable(v.errs, func(i, j int) bool { return v.errs[i].Line < v.errs[j].Line })
	return v.errs
}

func (v *validator) databaseFolder(c *Config) {
	path := c.DatabasePath()
	if path == ":memory:" {
		return
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		v.fail("database", "the folder %s does not exist", dir)
		return
	case err != nil:
		v.fail("database", "cannot use the folder %s: %v", dir, err)
		return
	case !info.IsDir():
		v.fail("database", "%s is not a folder", dir)
		return
	}
	probe, err := os.CreateTemp(dir, ".itsecbot-check-*")
	if err != nil {
		v.fail("database", "cannot create files in %s (the database and its lock live there): %v", dir, unwrapPath(err))
		return
	}
	probe.Close()
	os.Remove(probe.Name())
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		v.fail("database", "cannot write %s: %v", path, unwrapPath(err))
	}
}

// fileFeed reports a file: feed whose file is missing or unreadable.
func (v *validator) fileFeed(key, raw string) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "file" {
		return
	}
	f, err := os.Open(u.Path)
	if err != nil {
		v.fail(key, "cannot read %s: %v", u.Path, unwrapPath(err))
		return
	}
	f.Close()
}

// unwrapPath drops the path an *fs.PathError repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

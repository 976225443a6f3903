package main

import (
	"fmt"
	"path/filepath"
	"strings"
)

// corpus describes the generated feeds: feed i is built from fixture
// i mod len(fixtures). At version v a feed lists the items numbered
// v*newPer ... v*newPer+items-1, newest first, so each version adds newPer
// items to every feed and drops as many old ones.
type corpus struct {
	fixtures []fixture
	feeds    int
	items    int
	newPer   int

	// The last version rendered, kept: feeds are large, and each mode asks
	// for the same version several times.
	cachedVersion int
	cached        []document
}

func (c *corpus) fixture(feed int) *fixture { return &c.fixtures[feed%len(c.fixtures)] }

// name is the feed's name in the config and the store.
func (c *corpus) name(feed int) string {
	fx := c.fixture(feed)
	return fmt.Sprintf("bench-%04d-%s", feed, strings.TrimSuffix(fx.name, filepath.Ext(fx.name)))
}

func (c *corpus) seqs(version int) []int {
	out := make([]int, c.items)
	first := version * c.newPer
	for i := range out {
		out[i] = first + c.items - 1 - i
	}
	return out
}

func etag(feed, version int) string { return fmt.Sprintf(`"f%d-v%d"`, feed, version) }

// documents renders every feed at version.
func (c *corpus) documents(version int) []document {
	if c.cached != nil && c.cachedVersion == version {
		return c.cached
	}
	c.cached = nil // let the old version go before rendering the new one
	seqs := c.seqs(version)
	docs := make([]document, c.feeds)
	for i := range docs {
		fx := c.fixture(i)
		docs[i] = document{body: fx.render(i, seqs), etag: etag(i, version), contentType: fx.contentType}
	}
	c.cached, c.cachedVersion = docs, version
	return docs
}

func totalBytes(docs []document) int64 {
	var n int64
	for _, d := range docs {
		n += int64(len(d.body))
	}
	return n
}

func bodies(docs []document) [][]byte {
	out := make([][]byte, len(docs))
	for i, d := range docs {
		out[i] = d.body
	}
	return out
}

// Package feeds fetches RSS 1.0, RSS 2.0 and Atom feeds over HTTP(S) or from
// file:// URLs, decodes Japanese legacy encodings, parses them with gofeed and
// normalises every item: plain-text titles and summaries, UTC dates (offset-less
// and JST dates read as Asia/Tokyo), a stable dedupe key, and the JVN /
// JVN iPedia `sec:` vulnerability fields (identifier, CVE, CWE, CVSS).
//
// Fetching and parsing are separate steps so the caller can store validators
// and skip parsing on 304:
//
//	resp, err := fetcher.Fetch(ctx, url, stored)
//	if err == nil && !resp.NotModified {
//		feed, err = feeds.Parse(resp.Body, feeds.ParseOptions{ContentType: resp.ContentType})
//	}
//
// # Memory
//
// A feed's memory is bounded before gofeed sees it: the body by
// Options.MaxBody, its structure by MaxDepth, MaxNodes, MaxAttrs,
// MaxElementAttrs, MaxText and MaxJoinedText (ErrTooComplex), and the parses
// running at once by a ParseBudget (ParseBudget.Parse), which lets one
// maximum-size document be parsed at a time. A cycle therefore holds the
// bodies fetched and not yet parsed plus about one worst-case parse (100 to
// 150 MB of heap for a 10 MiB document). With the defaults, a cycle of eight
// 10 MiB hostile feeds stays under 300 MB RSS: `itsecbot once` peaked at
// 55-87 MiB for 650,000 nested elements per feed (7.6 GB before the
// structure check), 236-267 MiB for the costliest documents the check lets
// through, and 191-203 MiB for a real news feed grown to 10 MiB. Each
// further large feed in the same cycle can add its body while it waits for
// the budget, up to four times fetch.concurrency of them.
package feeds

import "time"

// Feed is a parsed and normalised feed document.
type Feed struct {
	Title, Link, Language string
	Items                 []Item // in document order, duplicates (same Key) merged
	// Format is the feed's type and version, e.g. "rss 1.0", "atom 1.0".
	Format string
	// Encoding is the character encoding the document was read in, e.g.
	// "utf-8", "euc-jp", "shift_jis".
	Encoding string
}

// Item is one normalised feed entry.
type Item struct {
	// Key is the dedupe key: the JVN identifier, else the GUID, else the link,
	// else "sha256:" + hex SHA-256 of Title + "\n" + Summary.
	Key        string
	GUID, Link string
	Title      string    // plain text
	Summary    string    // plain text (description, else content), trimmed
	Published  time.Time // UTC; zero when unknown/unparseable
	Updated    time.Time // UTC; zero when unknown
	Categories []string
	Identifier string   // JVNDB-2024-000001, JVN#12345678, JVNVU#...
	CVEs       []string // unique, in order: sec:references first, then ids named in title/summary
	CWEs       []string
	CVSS       *CVSS // nil when none; the highest version wins (v3 over v2)
	// Categories, CVEs and CWEs are unique and hold at most 256 entries each.
}

// CVSS is one CVSS base score as published in a JVN `sec:cvss` element.
type CVSS struct {
	Version  string // "3.0", "2.0"...
	Score    float64
	Severity string // as published: Critical, High, Medium, Low, None
	Vector   string
}

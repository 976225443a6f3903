package feeds

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var fullMemory = flag.Bool("memory", false, "parse eight 10 MiB hostile feeds at once and check peak memory (slow)")

// nestedFeed is an RSS feed whose item holds n nested namespaced elements,
// 15 bytes each: 650,000 of them make a 9.75 MB body.
func nestedFeed(n int) []byte {
	return rssItem(strings.Repeat("<x:elm>", n) + strings.Repeat("</x:elm>", n))
}

// widestFeed comes just under the node limit with empty items and fills
// the rest of size with text in pieces just under the text limit: about
// the most memory a document passing the structure check can take.
func widestFeed(size int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
	b.WriteString(strings.Repeat("<item/>", MaxNodes-1000))
	piece := strings.Repeat("<", MaxText-100)
	for i := 0; b.Len()+len(piece)+200 < size; i++ {
		fmt.Fprintf(&b, "<item><link>https://x.example/%d</link><description><![CDATA[%s]]></description></item>", i, piece)
	}
	b.WriteString("</channel></rss>")
	return []byte(b.String())
}

// peakHeap runs f and returns the highest heap size (live and not yet
// collected objects) seen above the starting one, sampled every millisecond.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	stop, peak := make(chan struct{}), make(chan uint64)
	go func() {
		var p uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			p = max(p, read())
			select {
			case <-stop:
				peak <- max(p, read())
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	p := <-peak
	return p - min(p, base)
}

// fetchParseAll serves bodies from one server (with a Content-Length, as
// for static files) and fetches and parses them all at once through a
// default Fetcher and ParseBudget, as a cycle does.
func fetchParseAll(t *testing.T, bodies [][]byte) (peak uint64, errs []error) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Length", strconv.Itoa(len(bodies[i])))
		w.Write(bodies[i])
	}))
	defer srv.Close()
	f := NewFetcher(Options{PerHost: len(bodies), Timeout: time.Minute})
	budget := NewParseBudget(0)
	errs = make([]error, len(bodies))
	peak = peakHeap(func() {
		var wg sync.WaitGroup
		for i := range bodies {
			wg.Go(func() {
				resp, err := f.Fetch(context.Background(), fmt.Sprintf("%s/%d", srv.URL, i), Validators{})
				if err == nil {
					_, err = budget.Parse(context.Background(), resp.Body, ParseOptions{ContentType: resp.ContentType})
				}
				errs[i] = err
			})
		}
		wg.Wait()
	})
	return peak, errs
}

// TestHostileFeedsMemory fetches and parses eight feeds of nested
// namespaced elements at once. Unchecked, gofeed took about 1 KB per
// element (0.9 GB for each 9.75 MB feed); the structure check refuses them
// before they reach it. Run with -memory for the full size.
func TestHostileFeedsMemory(t *testing.T) {
	n, ceiling := 20_000, uint64(16<<20)
	if *fullMemory {
		n, ceiling = 650_000, 160<<20
	}
	body := nestedFeed(n)
	bodies := make([][]byte, 8)
	for i := range bodies {
		bodies[i] = body
	}
	peak, errs := fetchParseAll(t, bodies)
	t.Logf("8 feeds of %d bytes: peak heap %.1f MiB", len(body), float64(peak)/(1<<20))
	for i, err := range errs {
		if !errors.Is(err, ErrTooComplex) {
			t.Errorf("feed %d: err = %v, want ErrTooComplex", i, err)
		}
	}
	if peak > ceiling {
		t.Errorf("peak heap %d MiB, want at most %d MiB", peak>>20, ceiling>>20)
	}
}

// TestWidestFeedsMemory fetches and parses eight of the costliest
// documents the structure check lets through, at once: the budget must
// keep them from being parsed together.
func TestWidestFeedsMemory(t *testing.T) {
	if !*fullMemory {
		t.Skip("run with -memory")
	}
	body := widestFeed(DefaultMaxBody - 1024)
	bodies := make([][]byte, 8)
	for i := range bodies {
		bodies[i] = body
	}
	peak, errs := fetchParseAll(t, bodies)
	t.Logf("8 feeds of %d bytes: peak heap %.1f MiB", len(body), float64(peak)/(1<<20))
	for i, err := range errs {
		if err != nil {
			t.Errorf("feed %d: %v", i, err)
		}
	}
	if ceiling := uint64(256 << 20); peak > ceiling {
		t.Errorf("peak heap %d MiB, want at most %d MiB", peak>>20, ceiling>>20)
	}
}

// TestParseCostBoundsMemory checks the estimate the budget weighs parses
// by against the measured peak, for shapes at the structure limits.
func TestParseCostBoundsMemory(t *testing.T) {
	if !*fullMemory {
		t.Skip("run with -memory")
	}
	n := MaxNodes - 100
	attrs := strings.Repeat(` a=""`, MaxElementAttrs-1)
	shapes := map[string][]byte{
		"widest":             widestFeed(DefaultMaxBody - 1024),
		"extension elements": rssItem(strings.Repeat("<x:a/>", n)),
		"nested extensions":  rssItem(strings.Repeat(strings.Repeat(`<x:a xmlns:x="urn:y">`, 60)+strings.Repeat("</x:a>", 60), n/60)),
		"attributes":         rssItem(strings.Repeat("<x:a"+attrs+"/>", MaxAttrs/MaxElementAttrs)),
		"empty items":        []byte(`<rss version="2.0"><channel>` + strings.Repeat("<item/>", n) + `</channel></rss>`),
		"RSS 1.0 items":      []byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel/>` + strings.Repeat("<item/>", n) + `</rdf:RDF>`),
		"Atom entries":       []byte(`<feed xmlns="http://www.w3.org/2005/Atom">` + strings.Repeat("<entry/>", n) + `</feed>`),
		"JSON items":         []byte(`{"version":"https://jsonfeed.org/version/1.1","items":[` + strings.Repeat(`{},`, n/2) + `{}]}`),
		"joined text":        rssItem("<x:a>" + strings.Repeat("aaaa<!---->", 5700) + "</x:a>"),
		"text":               rssItem(strings.Repeat("<description>"+strings.Repeat("a", MaxText-100)+"</description>", 9)),
	}
	for name, doc := range shapes {
		st, err := scan(doc, defaultLimits)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		peak := peakHeap(func() { _, err = Parse(doc, ParseOptions{}) })
		cost := parseCost(len(doc), st)
		t.Logf("%-18s %5.2f MB, %5d nodes, %5d attributes: peak heap %6.1f MB, estimate %6.1f MB", name,
			float64(len(doc))/1e6, st.nodes, st.attrs, float64(peak)/1e6, float64(cost)/1e6)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if int64(peak) > cost {
			t.Errorf("%s: peak heap %d bytes above the estimate %d", name, peak, cost)
		}
	}
}

package faults

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// publicHost is where the hostile feeds seem to be: an address of the
// documentation range, which the bot treats as public (so that it refuses
// redirects to internal addresses), reached through hostileServer acting
// as the environment's HTTP proxy.
const publicHost = "192.0.2.1"

// sizes are the hostile feeds' sizes: bounded by default, real with -full.
type sizes struct {
	bomb   int64 // bytes a gzip bomb inflates to
	nested int   // nested elements
	flood  int   // items of a flooding feed
	links  int   // links of the feed of many links
}

func hostileSizes() sizes {
	if *full {
		return sizes{bomb: 1 << 30, nested: 650_000, flood: 20_000, links: 40_000}
	}
	return sizes{bomb: 16 << 20, nested: 20_000, flood: 5_000, links: 40_000}
}

// hostileServer serves the hostile feeds, one per path, as a proxy for
// publicHost, and counts requests that must never come.
type hostileServer struct {
	srv      *httptest.Server
	bomb     []byte
	forbid   atomic.Int64 // requests to /secret (an entity's SYSTEM URL)
	silentLn net.Listener // accepts connections and never answers
	docs     map[string][]byte
}

func newHostileServer(t *testing.T, sz sizes) *hostileServer {
	t.Helper()
	h := &hostileServer{bomb: gzipBomb(t, sz.bomb), docs: hostileDocs(sz)}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.silentLn = ln
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never read or written
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return h
}

// url is a hostile feed's address; the silent one is dialled directly.
func (h *hostileServer) url(name string) string {
	if name == "silent" {
		return "http://" + h.silentLn.Addr().String() + "/feed"
	}
	return "http://" + publicHost + "/" + name
}

func (h *hostileServer) proxy() string { return h.srv.URL }

func (h *hostileServer) serve(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if doc, ok := h.docs[name]; ok {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(doc)
		return
	}
	switch name {
	case "secret":
		h.forbid.Add(1)
		w.Write([]byte("root:x:0:0:secret"))
	case "gzip-bomb":
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(h.bomb)
	case "huge":
		chunk := bytes.Repeat([]byte("<x>padding</x>\n"), 4096)
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
		for sent := 0; sent < 4<<30; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the bot gave up, as it should
			}
		}
	case "trickle":
		for _, c := range []byte(h.docs["good"]) {
			if _, err := w.Write([]byte{c}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
	case "hang":
		<-r.Context().Done()
	case "redirect-loop":
		http.Redirect(w, r, "http://"+publicHost+"/redirect-loop2", http.StatusFound)
	case "redirect-loop2":
		http.Redirect(w, r, "http://"+publicHost+"/redirect-loop", http.StatusFound)
	case "redirect-metadata":
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	case "redirect-private":
		http.Redirect(w, r, "http://10.0.0.8/feed.rdf", http.StatusMovedPermanently)
	case "redirect-loopback":
		http.Redirect(w, r, h.srv.URL+"/secret", http.StatusFound)
	default:
		http.NotFound(w, r)
	}
}

// gzipBomb is a feed whose gzip body inflates to size bytes of spaces.
func gzipBomb(t *testing.T, size int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>`))
	if _, err := io.CopyN(zw, spaces{}, size); err != nil {
		t.Fatal(err)
	}
	zw.Write([]byte(`</title></channel></rss>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// rssDoc is an RSS document with the given prolog and items (raw XML).
func rssDoc(prolog string, items ...string) []byte {
	return []byte(prolog + `<rss version="2.0" xmlns:x="urn:x"><channel><title>t</title><link>https://hostile.example/</link>` +
		strings.Join(items, "") + `</channel></rss>`)
}

func item(title, link string) string {
	return fmt.Sprintf("<item><title>%s</title><link>%s</link></item>", title, link)
}

// hostileDocs are the hostile feeds that are documents.
func hostileDocs(sz sizes) map[string][]byte {
	xml := `<?xml version="1.0" encoding="UTF-8"?>`
	laughs := `<!DOCTYPE rss [<!ENTITY lol "lol">`
	for i := 1; i <= 9; i++ {
		prev := "lol"
		if i > 1 {
			prev = fmt.Sprintf("lol%d", i-1)
		}
		laughs += fmt.Sprintf(`<!ENTITY lol%d "%s">`, i, strings.Repeat("&"+prev+";", 10))
	}
	laughs += "]>"
	var flood, links, linkItems strings.Builder
	for i := range sz.flood {
		flood.WriteString(item(fmt.Sprintf("洪水 %d の脆弱性", i), fmt.Sprintf("https://flood.example/%d.html", i)))
	}
	for i := range sz.links {
		fmt.Fprintf(&links, "https://l.example/%d ", i)
		if i%8 == 0 {
			fmt.Fprintf(&links, "CVE-2026-%d ", 10000+i)
		}
		fmt.Fprintf(&linkItems, "<item><link>https://links.example/item/%d</link></item>", i)
	}
	return map[string][]byte{
		"good":           rssDoc(xml, item("正常なフィードの脆弱性情報 1", "https://good.example/1.html"), item("正常なフィードの脆弱性情報 2", "https://good.example/2.html")),
		"billion-laughs": rssDoc(xml+laughs, item("笑い &lol9;", "https://laughs.example/1.html")),
		"xxe": rssDoc(xml+`<!DOCTYPE rss [<!ENTITY file SYSTEM "file:///etc/passwd"><!ENTITY net SYSTEM "`+"http://"+publicHost+`/secret">]>`,
			item("外部実体 &file; &net;", "https://xxe.example/1.html")),
		"nul":           []byte(strings.ReplaceAll(string(rssDoc(xml, item("NUL\x00バイトを含む\x00脆弱性情報", "https://nul.example/1.html"))), "<item>", "\x00<item>")),
		"nested":        rssDoc(xml, "<item><title>入れ子</title><link>https://nested.example/1.html</link>"+strings.Repeat("<x:elm>", sz.nested)+strings.Repeat("</x:elm>", sz.nested)+"</item>"),
		"flood":         rssDoc(xml, flood.String()),
		"links-text":    rssDoc(xml, "<item><title>4万のリンクを含む告知</title><link>https://links.example/notice.html</link><description>"+links.String()+"</description></item>"),
		"links-items":   rssDoc(xml, linkItems.String()),
		"not-xml":       []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("\xff\xfe", 1000)),
		"wrong-charset": []byte(`<?xml version="1.0" encoding="x-unknown-9"?>` + string(rssDoc("", item("文字コード", "https://charset.example/1.html")))),
	}
}

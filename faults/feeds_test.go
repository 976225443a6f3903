package faults

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// feedItem is one entry of a fake feed.
type feedItem struct {
	title, link, summary string
	published            time.Time
}

// feedServer serves RSS feeds whose entries a test adds between runs, and
// CISA's KEV catalog from the project's testdata, with an ETag that a
// test can change to make the bot read it again.
type feedServer struct {
	srv *httptest.Server
	kev []byte

	mu      sync.Mutex
	items   map[string][]feedItem // by feed name
	kevTag  int
	onFetch func(feed string) // called as each request arrives
}

func newFeedServer(t *testing.T, names ...string) *feedServer {
	t.Helper()
	kev, err := os.ReadFile(filepath.Join("..", "testdata", "kev", "known_exploited_vulnerabilities.json"))
	if err != nil {
		t.Fatal(err)
	}
	f := &feedServer{kev: kev, items: map[string][]feedItem{}}
	for _, n := range names {
		f.items[n] = nil
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *feedServer) url(feed string) string { return f.srv.URL + "/" + feed }

// add lists n new stories in each feed named, after the ones it lists.
func (f *feedServer) add(n int, feeds ...string) { f.addSized(n, 0, feeds...) }

// addSized is add with summaries of about size bytes.
func (f *feedServer) addSized(n, size int, feeds ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	summary := "影響を受ける製品と対策の詳細は、開発者の公開する情報を参照してください。"
	if size > 0 {
		summary = strings.Repeat(summary, size/len(summary)+1)
	}
	for _, name := range feeds {
		for range n {
			i := len(f.items[name])
			f.items[name] = append(f.items[name], feedItem{
				title:     fmt.Sprintf("%s-%d: 製品の認証処理における脆弱性（第%d報、影響を受けるバージョンと回避策を更新）", name, i, i+1),
				link:      fmt.Sprintf("https://news.example/%s/%d.html", name, i),
				summary:   summary,
				published: time.Now().UTC().Truncate(time.Second),
			})
		}
	}
}

// addLink lists an entry with a given link: the same story as another
// feed's entry with that link.
func (f *feedServer) addLink(feed, title, link string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items[feed] = append(f.items[feed], feedItem{title: title, link: link, summary: title, published: time.Now().UTC()})
}

// bumpKEV makes the catalog new to the bot.
func (f *feedServer) bumpKEV() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.kevTag++
}

// setOnFetch installs a hook run as each request arrives.
func (f *feedServer) setOnFetch(fn func(feed string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onFetch = fn
}

func (f *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	f.mu.Lock()
	hook, items, known, tag := f.onFetch, append([]feedItem(nil), f.items[name]...), f.items[name] != nil, fmt.Sprintf(`"kev-%d"`, f.kevTag)
	f.mu.Unlock()
	if hook != nil {
		hook(name)
	}
	switch {
	case name == "kev":
		if r.Header.Get("If-None-Match") == tag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", tag)
		w.Header().Set("Content-Type", "application/json")
		w.Write(f.kev)
	case known:
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write([]byte(rssOf(name, items)))
	default:
		http.NotFound(w, r)
	}
}

// rssOf renders items as RSS 2.0, newest first as feeds list them.
func rssOf(name string, items []feedItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>https://news.example/%s/</link>`, name, name)
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description></item>",
			html.EscapeString(it.title), html.EscapeString(it.link), html.EscapeString(it.link), it.published.Format(time.RFC1123Z),
			html.EscapeString(it.summary))
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

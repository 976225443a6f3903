package feeds

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// publicIP is what the test resolver gives "public" names (TEST-NET-3).
var publicIP = netip.MustParseAddr("203.0.113.7")

// fakeDNS resolves names from a table, as the guard's checks see them.
func fakeDNS(table map[string]string) func(context.Context, string) ([]netip.Addr, error) {
	return func(_ context.Context, host string) ([]netip.Addr, error) {
		ip, ok := table[host]
		if !ok {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		return []netip.Addr{netip.MustParseAddr(ip)}, nil
	}
}

// internalFeed is a feed server on loopback that counts its requests.
func internalFeed(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	body := readFixture(t, "jvn-rss10.rdf")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// TestRedirectToInternalAddress: a feed whose configured host is public
// (feed.example, which only a dial hook connects to the test server) may
// not be redirected to an internal address, by IP or by name.
func TestRedirectToInternalAddress(t *testing.T) {
	internal, hits := internalFeed(t)
	port := internal.URL[strings.LastIndex(internal.URL, ":")+1:]
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	defer redirector.Close()
	// Every connection goes to the loopback servers, whatever the name:
	// only the guard's resolver tells public from internal.
	dial := &net.Dialer{}
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, p, _ := net.SplitHostPort(addr)
		return dial.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", p))
	}}
	defer transport.CloseIdleConnections()
	dns := fakeDNS(map[string]string{"feed.example": publicIP.String(), "cdn.example": publicIP.String(),
		"internal.example": "127.0.0.1", "metadata.example": "169.254.169.254"})
	feedURL := "http://feed.example:" + redirector.URL[strings.LastIndex(redirector.URL, ":")+1:] + "/?to="

	tests := []struct {
		to   string
		kind string // "" = allowed
	}{
		{"http://127.0.0.1:" + port + "/feed", "loopback"},
		{"http://internal.example:" + port + "/feed", "loopback"},
		{"http://[::ffff:127.0.0.1]:" + port + "/feed", "loopback"},
		{"http://metadata.example:" + port + "/latest/meta-data/", "link-local"},
		{"http://10.0.0.8:" + port + "/feed", "private"},
		{"http://[fd00::8]:" + port + "/feed", "private"},
		{"http://100.64.0.8:" + port + "/feed", "shared (CGNAT)"},
		{"http://0.0.0.0:" + port + "/feed", "unspecified"},
		{"http://cdn.example:" + port + "/feed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.to, func(t *testing.T) {
			for _, allow := range []bool{false, true} {
				f := NewFetcher(Options{Transport: transport, AllowPrivate: allow})
				f.guard.lookup = dns
				before := hits.Load()
				rawURL := feedURL + url.QueryEscape(tt.to)
				_, err := f.Fetch(context.Background(), rawURL, Validators{})
				if tt.kind == "" || allow {
					if err != nil {
						t.Errorf("AllowPrivate %v: %v", allow, err)
					}
					continue
				}
				msg := fmt.Sprintf("fetch %s: redirected to %s: private address not allowed: ", rawURL, tt.to)
				if !errors.Is(err, ErrPrivateAddress) || !strings.Contains(err.Error(), msg) ||
					!strings.Contains(err.Error(), "an internal ("+tt.kind+") address") || !strings.Contains(err.Error(), "fetch.allow_private: true") {
					t.Errorf("err = %v\nwant ErrPrivateAddress starting %q, naming a %s address and fetch.allow_private", err, msg, tt.kind)
				}
				if hits.Load() != before {
					t.Error("the internal server was reached")
				}
				t.Log(err)
			}
		})
	}
}

// TestDialRefusesInternalAddress: a public feed's fetch is checked where
// it connects, after name resolution, so a name whose DNS points at an
// internal address (here the real resolver's localhost) is refused, and
// so is an answer that changed since an earlier check.
func TestDialRefusesInternalAddress(t *testing.T) {
	internal, hits := internalFeed(t)
	u, _ := url.Parse(internal.URL)
	dial := newGuard(false).dialer(time.Second)
	_, err := dial(context.Background(), "tcp", "localhost:"+u.Port())
	if !errors.Is(err, ErrPrivateAddress) || !strings.Contains(err.Error(), "is an internal (loopback) address") {
		t.Errorf("err = %v, want the dial refused with ErrPrivateAddress", err)
	}
	if hits.Load() != 0 {
		t.Error("the internal server was reached")
	}
	t.Log(err)
}

// A feed may reach internal addresses only when its configured URL says
// so; what its name resolves to never does.
func TestOnlyTheConfiguredHostAllowsInternalAddresses(t *testing.T) {
	g := newGuard(false)
	g.lookup = fakeDNS(map[string]string{"intranet.example": "10.0.0.5", "metadata.example": "169.254.169.254"})
	for host, want := range map[string]bool{
		"127.0.0.1": true, "::1": true, "10.1.2.3": true, "localhost": true, "LOCALHOST.": true, "app.localhost": true,
		"intranet.example": false, "metadata.example": false, "203.0.113.9": false, "example.com": false,
	} {
		if got := privateAllowed(g.scope(context.Background(), host)); got != want {
			t.Errorf("feed on %s: internal addresses allowed = %v, want %v", host, got, want)
		}
	}
	if !privateAllowed(newGuard(true).scope(context.Background(), "example.com")) {
		t.Error("fetch.allow_private does not allow internal addresses")
	}
}

// TestInternalFeedsStillWork: a feed configured on an internal address may
// use internal addresses, redirects included.
func TestInternalFeedsStillWork(t *testing.T) {
	internal, hits := internalFeed(t)
	redirector := httptest.NewServer(http.RedirectHandler(internal.URL+"/feed", http.StatusMovedPermanently))
	defer redirector.Close()
	u, _ := url.Parse(redirector.URL)
	for _, feedURL := range []string{redirector.URL, "http://localhost:" + u.Port()} {
		resp, err := NewFetcher(Options{}).Fetch(context.Background(), feedURL, Validators{})
		if err != nil || resp.URL != internal.URL+"/feed" {
			t.Errorf("%s: err %v, response %+v; want the redirect followed", feedURL, err, resp)
		}
	}
	if hits.Load() != 2 {
		t.Errorf("internal server saw %d requests, want 2", hits.Load())
	}
}

// TestProxyOnInternalAddress: the environment's proxy may sit on an
// internal address; the feed behind it is still checked by name.
func TestProxyOnInternalAddress(t *testing.T) {
	proxy, hits := internalFeed(t)
	pu, _ := url.Parse(proxy.URL)
	f := NewFetcher(Options{})
	f.client.Transport.(*http.Transport).Proxy = http.ProxyURL(pu)
	f.guard.proxies = proxyAddrs(&httpproxy.Config{HTTPProxy: pu.Host})
	f.guard.lookup = fakeDNS(map[string]string{"feed.example": publicIP.String()})
	if _, err := f.Fetch(context.Background(), "http://feed.example/feed", Validators{}); err != nil || hits.Load() != 1 {
		t.Errorf("fetch through a proxy on loopback: %v (proxy saw %d requests)", err, hits.Load())
	}
}

func TestProxyAddrs(t *testing.T) {
	got := proxyAddrs(&httpproxy.Config{HTTPProxy: "proxy.corp:3128", HTTPSProxy: "https://10.0.0.1"})
	want := map[string]bool{"proxy.corp:3128": true, "10.0.0.1:443": true}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("proxyAddrs = %v, want %v", got, want)
	}
}

func TestInternalKind(t *testing.T) {
	tests := map[string]string{
		"127.0.0.1": "loopback", "127.9.9.9": "loopback", "::1": "loopback", "::ffff:127.0.0.1": "loopback",
		"10.1.2.3": "private", "172.16.0.1": "private", "192.168.1.1": "private", "fc00::1": "private", "fd00:ec2::254": "private",
		"169.254.169.254": "link-local", "fe80::1": "link-local",
		"0.0.0.0": "unspecified", "0.1.2.3": "unspecified", "::": "unspecified",
		"100.64.0.1": "shared (CGNAT)", "100.127.255.255": "shared (CGNAT)",
		"239.1.2.3": "multicast or broadcast", "224.0.0.1": "link-local", "255.255.255.255": "multicast or broadcast", "ff02::1": "link-local",
		"8.8.8.8": "", "203.0.113.7": "", "100.128.0.1": "", "172.32.0.1": "", "2606:4700::1111": "",
	}
	for addr, want := range tests {
		if got := internalKind(netip.MustParseAddr(addr)); got != want {
			t.Errorf("internalKind(%s) = %q, want %q", addr, got, want)
		}
	}
}

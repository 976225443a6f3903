package feeds

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// guard keeps fetches of public feeds away from internal addresses
// (loopback, private, link-local, CGNAT...): a feed's server could otherwise
// redirect the bot, or point its DNS, at a cloud metadata endpoint or an
// admin page on the bot's network, and whatever parsed there would be
// posted. A feed whose own configured host is internal, such as a test
// server on 127.0.0.1, may use internal addresses, and so may every feed
// with Options.AllowPrivate.
type guard struct {
	allowAll bool
	// lookup resolves a host name; net.DefaultResolver outside tests.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	// proxies are the host:port of the environment's HTTP(S) proxies: the
	// proxy, not the bot, connects to the feed, so dialing it is allowed.
	proxies map[string]bool
}

func newGuard(allowAll bool) *guard {
	return &guard{
		allowAll: allowAll,
		lookup: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		},
		proxies: proxyAddrs(httpproxy.FromEnvironment()),
	}
}

// privateOK marks a fetch's context when it may reach internal addresses.
type privateOK struct{}

// scope marks ctx for a fetch of a feed on host. Only the configured URL
// itself decides: an internal address written in it, or localhost. What a
// name resolves to does not, or a public feed's DNS could open the bot's
// network to itself.
func (g *guard) scope(ctx context.Context, host string) context.Context {
	if g.allowAll || configuredInternal(host) {
		return context.WithValue(ctx, privateOK{}, true)
	}
	return ctx
}

// configuredInternal reports whether host, as written in a feed's URL, is
// an internal address or names this machine.
func configuredInternal(host string) bool {
	if ip, err := netip.ParseAddr(host); err == nil {
		return internalKind(ip) != ""
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

func privateAllowed(ctx context.Context) bool {
	ok, _ := ctx.Value(privateOK{}).(bool)
	return ok
}

// internal returns the kind and address of the first internal address
// host is or resolves to; kind is "" when there is none (or the name does
// not resolve: the dial then fails, or is checked, on its own).
func (g *guard) internal(ctx context.Context, host string) (kind string, ip netip.Addr) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return internalKind(ip), ip
	}
	ips, err := g.lookup(ctx, host)
	if err != nil {
		return "", netip.Addr{}
	}
	for _, ip := range ips {
		if kind := internalKind(ip); kind != "" {
			return kind, ip
		}
	}
	return "", netip.Addr{}
}

// checkRedirect refuses a redirect to an internal address, so the error
// names the redirect rather than a failed dial. It also covers pooled
// connections, which are reused without dialing.
func (g *guard) checkRedirect(req *http.Request) error {
	if privateAllowed(req.Context()) {
		return nil
	}
	if kind, ip := g.internal(req.Context(), req.URL.Hostname()); kind != "" {
		return refusal(ip, kind)
	}
	return nil
}

// dialer returns the transport's dial function: it checks, after name
// resolution and before connecting, every address a public feed's fetch
// connects to, which also defeats DNS answers that change between the
// checks above and the dial.
func (g *guard) dialer(timeout time.Duration) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
		if !privateAllowed(ctx) && !g.proxies[addr] {
			d.Control = refuseInternal
		}
		return d.DialContext(ctx, network, addr)
	}
}

// refuseInternal is a net.Dialer Control function: address is the
// resolved ip:port about to be connected to.
func refuseInternal(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot check address %q", ErrPrivateAddress, address)
	}
	if kind := internalKind(ap.Addr()); kind != "" {
		return refusal(ap.Addr(), kind)
	}
	return nil
}

func refusal(ip netip.Addr, kind string) error {
	return fmt.Errorf("%w: %s is an internal (%s) address and the feed's own address is not (set fetch.allow_private: true to allow)",
		ErrPrivateAddress, ip, kind)
}

// internalKind names the non-public range ip is in, or returns "".
func internalKind(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsUnspecified(), ip.Is4() && ip.As4()[0] == 0:
		return "unspecified"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsPrivate():
		return "private"
	case netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64}), 10).Contains(ip):
		return "shared (CGNAT)"
	case ip.IsMulticast(), ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "multicast or broadcast"
	}
	return ""
}

// proxyAddrs returns the host:port the transport dials for the proxies in
// cfg (a scheme-less proxy is http://, as net/http reads it).
func proxyAddrs(cfg *httpproxy.Config) map[string]bool {
	out := map[string]bool{}
	for _, p := range []string{cfg.HTTPProxy, cfg.HTTPSProxy} {
		if p == "" {
			continue
		}
		if !strings.Contains(p, "://") {
			p = "http://" + p
		}
		u, err := url.Parse(p)
		if err != nil || u.Hostname() == "" {
			continue
		}
		port := u.Port()
		if port == "" {
			port = map[string]string{"http": "80", "https": "443", "socks5": "1080", "socks5h": "1080"}[u.Scheme]
		}
		out[net.JoinHostPort(u.Hostname(), port)] = true
	}
	return out
}

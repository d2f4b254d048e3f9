package api

import (
	"net"
	"net/netip"
	"sync"

	"github.com/labstack/echo/v4"
)

// Reverse proxies. X-Forwarded-For and X-Forwarded-Proto are believed only
// when the connection comes from an address in FLICKET_TRUSTED_PROXIES;
// otherwise anyone could pick the address the throttles count against (and
// the access log shows) or claim https. Nothing is trusted by default, not
// even loopback or private networks.

// trustOptions turns the configured networks into Echo's trust options.
func trustOptions(nets []netip.Prefix) []echo.TrustOption {
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range nets {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{
			IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen()),
		}))
	}
	return opts
}

// proxyTrust decides whether a peer is a trusted proxy, and warns once when
// an untrusted peer sends X-Forwarded-For: behind a proxy that is not listed,
// every client shares the proxy's address, so per-address limits hit
// everyone at once.
type proxyTrust struct {
	nets []netip.Prefix
	once sync.Once
}

func (p *proxyTrust) trusted(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// warnUntrustedForwarded is the middleware that logs the warning.
func (s *Server) warnUntrustedForwarded(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Header.Get(echo.HeaderXForwardedFor) != "" && !s.proxies.trusted(req.RemoteAddr) {
			s.proxies.once.Do(func() {
				requestLogger(c, s.log).Warn("X-Forwarded-For from a peer that is not a trusted proxy: the header is ignored, "+
					"so every client behind that proxy shares its address (and its sign-in limits). "+
					"If Flicket runs behind this reverse proxy, add its address to FLICKET_TRUSTED_PROXIES.",
					"peer", req.RemoteAddr)
			})
		}
		return next(c)
	}
}

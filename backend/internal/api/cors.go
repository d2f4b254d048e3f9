package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// CORS lets pages on other origins (an integrator's dashboard) call the API
// with a bearer token. Access-Control-Allow-Credentials is never sent, so a
// browser never attaches the session cookie to such a call and never shows
// a cookie-authenticated answer to another origin: the cookie session stays
// same-site only (see checkCSRFHeader for the unsafe requests a browser may
// still send with it).

// corsAllowHeaders are the request headers the API reads.
var corsAllowHeaders = strings.Join([]string{
	echo.HeaderAuthorization, echo.HeaderContentType, echo.HeaderAccept, "Accept-Language", echo.HeaderXRequestID,
	idempotencyHeader,
}, ", ")

// corsExposeHeaders are the response headers a script may need to read.
var corsExposeHeaders = strings.Join([]string{
	echo.HeaderLocation, echo.HeaderRetryAfter, echo.HeaderXRequestID, echo.HeaderContentDisposition, echo.HeaderAllow,
	echo.HeaderWWWAuthenticate, idempotencyReplayed,
}, ", ")

// corsMaxAge is how long (seconds) a browser may reuse a preflight's answer.
const corsMaxAge = "600"

// corsPolicy is FLICKET_CORS_ORIGINS parsed: off, any origin, or a list.
type corsPolicy struct {
	any     bool
	origins []string // lower-cased scheme://host[:port]
}

func newCORSPolicy(list []string) corsPolicy {
	if len(list) == 1 && list[0] == "*" {
		return corsPolicy{any: true}
	}
	return corsPolicy{origins: list}
}

func (p corsPolicy) enabled() bool { return p.any || len(p.origins) > 0 }

// allowOrigin is the Access-Control-Allow-Origin for origin, or "".
func (p corsPolicy) allowOrigin(origin string) string {
	switch {
	case origin == "":
		return ""
	case p.any:
		return "*"
	case slices.Contains(p.origins, strings.ToLower(origin)):
		return origin
	}
	return ""
}

// cors answers preflights of API paths and marks the API's answers to the
// allowed origins.
func (s *Server) cors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		p := req.URL.Path
		if !s.corsPolicy.enabled() || (p != apiPrefix && !strings.HasPrefix(p, apiPrefix+"/")) {
			return next(c)
		}
		h := c.Response().Header()
		if !s.corsPolicy.any {
			// The answer depends on Origin: caches must not mix them.
			h.Add(echo.HeaderVary, echo.HeaderOrigin)
		}
		allow := s.corsPolicy.allowOrigin(req.Header.Get(echo.HeaderOrigin))
		if allow == "" {
			return next(c)
		}
		h.Set(echo.HeaderAccessControlAllowOrigin, allow)
		if req.Method != http.MethodOptions || req.Header.Get(echo.HeaderAccessControlRequestMethod) == "" {
			h.Set(echo.HeaderAccessControlExposeHeaders, corsExposeHeaders)
			return next(c)
		}
		// A preflight: the methods this path accepts and the headers the API
		// reads. The browser itself refuses what is not listed.
		methods := allowedMethods(s.routes, strings.TrimPrefix(p, apiPrefix))
		if len(methods) == 0 {
			return next(c) // an unknown path: its 404
		}
		h.Set(echo.HeaderAllow, strings.Join(methods, ", "))
		h.Set(echo.HeaderAccessControlAllowMethods, strings.Join(methods, ", "))
		h.Set(echo.HeaderAccessControlAllowHeaders, corsAllowHeaders)
		h.Set(echo.HeaderAccessControlMaxAge, corsMaxAge)
		return c.NoContent(http.StatusNoContent)
	}
}

// sameOrigin tells whether a browser request comes from Flicket's own pages:
// Sec-Fetch-Site (set by the browser, not by scripts) says same-origin, or
// else Origin names this server (the Host asked for, or the base URL's
// host). A request with neither header is not from a browser that could
// be fooled into sending it.
func (s *Server) sameOrigin(c echo.Context) bool {
	req := c.Request()
	if site := req.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin"
	}
	origin := req.Header.Get(echo.HeaderOrigin)
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false // "null" (a sandboxed frame, a file) or garbage
	}
	if strings.EqualFold(u.Host, req.Host) {
		return true
	}
	base, err := url.Parse(s.baseURL(c))
	return err == nil && strings.EqualFold(u.Host, base.Host)
}

package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// The browser session. The SPA signs in with POST /session; the server
// issues an ordinary API token and puts it in an HttpOnly, SameSite=Strict
// cookie, so no JavaScript (the SPA's or an injected script's) can read it:
// the original embedded its token in every page's script (features §8.1 S8).
// SameSite=Strict keeps other sites' pages from sending the cookie, and the
// X-Requested-With header, which a cross-site form cannot set and a
// cross-site fetch cannot send without a CORS preflight we never grant, is
// required on every cookie-authenticated unsafe request as a second line.
const (
	sessionCookie = "flicket_session"
	// csrfHeader must carry csrfValue on cookie-authenticated unsafe requests.
	csrfHeader = "X-Requested-With"
	csrfValue  = "flicket"
)

// SessionRequest signs a browser in.
type SessionRequest struct {
	// Username or e-mail address.
	Username string `json:"username" validate:"required,nonblank,max=254" example:"admin"`
	Password string `json:"password" validate:"required,pwbytes" example:"secret"`
	// Remember keeps the cookie for the token's lifetime; otherwise it ends
	// with the browser session.
	Remember bool `json:"remember,omitempty" example:"true"`
} // @name SessionRequest

// sessionCookieToken returns the token in the session cookie, if any.
func sessionCookieToken(c echo.Context) string {
	ck, err := c.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(ck.Value)
}

// requestToken is the request's token: the bearer token, else the session
// cookie's (viaCookie true).
func requestToken(c echo.Context) (token string, viaCookie bool) {
	if t := bearerToken(c); t != "" {
		return t, false
	}
	return sessionCookieToken(c), true
}

// unsafeMethod tells whether the method may change state.
func unsafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// checkCSRFHeader refuses a cookie-authenticated unsafe request that lacks
// the X-Requested-With header or comes from another origin's page. The header
// alone sufficed while no preflight was ever granted; with CORS on, a page
// of another origin on the same site (SameSite lets the cookie through) is
// refused by its Origin or Sec-Fetch-Site.
func (s *Server) checkCSRFHeader(c echo.Context) error {
	if !unsafeMethod(c.Request().Method) {
		return nil
	}
	if c.Request().Header.Get(csrfHeader) != csrfValue {
		return newError(http.StatusForbidden, "auth.csrf_header_missing",
			"Requests authenticated by the session cookie must send the header '%s: %s'.", csrfHeader, csrfValue)
	}
	if !s.sameOrigin(c) {
		return newError(http.StatusForbidden, "auth.cross_origin",
			"Requests authenticated by the session cookie must come from Flicket's own pages; other sites must send a bearer token.")
	}
	return nil
}

// secureCookies tells whether the cookie must be Secure: the request came
// over https (directly or through a proxy saying so) or the site's base URL
// is https.
func (s *Server) secureCookies(c echo.Context) bool {
	return c.Scheme() == "https" || strings.HasPrefix(strings.ToLower(s.baseURL(c)), "https://")
}

func (s *Server) setSessionCookie(c echo.Context, token string, remember bool) {
	ck := &http.Cookie{ //nolint:gosec // G124: Secure is set whenever the site is served over https; plain http must still work locally
		Name: sessionCookie, Value: token, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secureCookies(c),
	}
	if remember {
		ck.MaxAge = int(s.tokens.TTL() / time.Second)
	}
	c.SetCookie(ck)
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{ //nolint:gosec // G124: as above
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secureCookies(c),
	})
}

// createSession godoc
//
//	@Summary		Sign a browser in
//	@Description	Checks the credentials like POST /tokens (username in any letter case, or e-mail; throttled), issues a token and sets it in the HttpOnly, SameSite=Strict cookie `flicket_session` (kept for the token's lifetime when `remember`, else until the browser closes). The token is never in the body. Requests authenticated by the cookie must send `X-Requested-With: flicket` on POST, PATCH, PUT and DELETE and come from Flicket's own pages (Origin or Sec-Fetch-Site; else 403 auth.cross_origin), and so must this one.
//	@Tags			session
//	@Accept			json
//	@Produce		json
//	@Param			X-Requested-With	header		string			false	"must be flicket (the SPA client always sends it)"
//	@Param			body				body		SessionRequest	true	"credentials"
//	@Success		200					{object}	Me
//	@Failure		401					{object}	ErrorBody
//	@Failure		403					{object}	ErrorBody
//	@Failure		422					{object}	ErrorBody
//	@Failure		429					{object}	ErrorBody
//	@Router			/flicket-api/session [post]
func (s *Server) createSession(c echo.Context) error {
	// Refuses login CSRF: a cross-site form cannot set the header, and
	// another origin's page is refused by its Origin.
	if err := s.checkCSRFHeader(c); err != nil {
		return err
	}
	var req SessionRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	u, err := s.checkLogin(c, req.Username, req.Password, "")
	if err != nil {
		return err
	}
	issued, err := s.issueToken(c, u.ID)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, issued.Token, req.Remember)
	return c.JSON(http.StatusOK, meJSON(s.links(c), u))
}

// getSession godoc
//
//	@Summary		The signed-in user
//	@Description	The user the session cookie (or bearer token) belongs to; 204 when the browser is not signed in (or its session has ended, in which case the cookie is cleared). The SPA calls it on start, so a signed-out visit logs no failed request.
//	@Tags			session
//	@Produce		json
//	@Success		200	{object}	Me
//	@Success		204
//	@Router			/flicket-api/session [get]
func (s *Server) getSession(c echo.Context) error {
	token, viaCookie := requestToken(c)
	if token == "" {
		return c.NoContent(http.StatusNoContent)
	}
	owner, _, err := s.authenticate(c, token)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized {
		if viaCookie {
			s.clearSessionCookie(c)
		}
		return c.NoContent(http.StatusNoContent)
	}
	if err != nil {
		return err
	}
	// The token owner row carries roles but not the group list: reload.
	u, err := model.FindUser(c.Request().Context(), s.db, owner.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, meJSON(s.links(c), u))
}

// deleteSession godoc
//
//	@Summary		Sign a browser out
//	@Description	Revokes the session cookie's token and clears the cookie. Always 204, signed in or not; needs `X-Requested-With: flicket` when a cookie is sent.
//	@Tags			session
//	@Param			X-Requested-With	header	string	false	"must be flicket when the cookie is sent"
//	@Success		204
//	@Failure		403	{object}	ErrorBody
//	@Router			/flicket-api/session [delete]
func (s *Server) deleteSession(c echo.Context) error {
	token := sessionCookieToken(c)
	if token == "" {
		s.clearSessionCookie(c)
		return c.NoContent(http.StatusNoContent)
	}
	if err := s.checkCSRFHeader(c); err != nil {
		return err
	}
	// A token that no longer parses has nothing left to revoke.
	if jti, _, err := s.tokens.Parse(token); err == nil {
		if err := model.RevokeAPIToken(c.Request().Context(), s.db, jti, s.now()); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	return c.NoContent(http.StatusNoContent)
}

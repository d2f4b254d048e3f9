package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/model"
)

const (
	bearerChallenge = `Bearer realm="Authentication Required"` //nolint:gosec // a challenge header, not a credential
	basicChallenge  = `Basic realm="Authentication Required"`
)

// errUnauthorized is a 401 with the WWW-Authenticate challenge, if any (the
// browser session sends none, so that browsers show no login box).
func errUnauthorized(code, msg, challenge string) *APIError {
	e := &APIError{Status: http.StatusUnauthorized, Code: code, Message: msg}
	if challenge != "" {
		e.Header = map[string]string{echo.HeaderWWWAuthenticate: challenge}
	}
	return e
}

// bearerToken extracts the token from "Authorization: Bearer <token>".
func bearerToken(c echo.Context) string {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// authenticate checks a token and returns its owner. Every failure is a 401
// that says what is wrong; none can become a 500.
func (s *Server) authenticate(c echo.Context, token string) (*model.User, string, error) {
	jti, _, err := s.tokens.Parse(token)
	switch {
	case errors.Is(err, auth.ErrTokenExpired):
		return nil, "", errUnauthorized("auth.token_expired", "The token has expired; get a new one from POST /flicket-api/tokens.", bearerChallenge)
	case err != nil:
		return nil, "", errUnauthorized("auth.token_invalid", "The token is not valid.", bearerChallenge)
	}
	owner, err := model.FindTokenOwner(c.Request().Context(), s.db, jti)
	if errors.Is(err, model.ErrNotFound) {
		return nil, "", errUnauthorized("auth.token_invalid", "The token is not valid.", bearerChallenge)
	}
	if err != nil {
		return nil, "", err
	}
	switch {
	case owner.TokenRevokedAt != nil:
		return nil, "", errUnauthorized("auth.token_revoked", "The token has been revoked.", bearerChallenge)
	case !s.now().Before(owner.TokenExpiresAt):
		return nil, "", errUnauthorized("auth.token_expired", "The token has expired; get a new one from POST /flicket-api/tokens.", bearerChallenge)
	case owner.Disabled:
		return nil, "", errUnauthorized("auth.account_disabled", "This account has been disabled.", bearerChallenge)
	}
	u := owner.User
	return &u, jti, nil
}

// requireUser is the guard of every authenticated route. API clients send
// "Authorization: Bearer <token>"; the SPA's browser session sends the same
// token in the HttpOnly cookie flicket_session instead (see session.go), and
// must then also send "X-Requested-With: flicket" on unsafe methods.
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, viaCookie := requestToken(c)
		if token == "" {
			return errUnauthorized("auth.token_missing",
				"Send a token as 'Authorization: Bearer <token>'; get one from POST /flicket-api/tokens.", bearerChallenge)
		}
		if viaCookie {
			if err := s.checkCSRFHeader(c); err != nil {
				return err
			}
		}
		u, jti, err := s.authenticate(c, token)
		if err != nil {
			if viaCookie {
				// The browser holds a dead session: drop it so the SPA starts over.
				s.clearSessionCookie(c)
			}
			return err
		}
		c.Set(userKey, u)
		c.Set(tokenIDKey, jti)
		return next(c)
	}
}

// requireCan lets users through whose role rules (model.User.Can) allow
// what may says; the others get a 403 with the message.
func (s *Server) requireCan(may func(model.UserCan) bool, message string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return s.requireUser(func(c echo.Context) error {
			if !may(currentUser(c).Can()) {
				return errForbidden("%s", message)
			}
			return next(c)
		})
	}
}

// currentUser is the authenticated user; only call it behind a guard.
func currentUser(c echo.Context) *model.User {
	return currentUserOrNil(c)
}

func currentUserOrNil(c echo.Context) *model.User {
	u, _ := c.Get(userKey).(*model.User)
	return u
}

func currentTokenID(c echo.Context) string {
	id, _ := c.Get(tokenIDKey).(string)
	return id
}

// TokenResponse carries a new bearer token.
type TokenResponse struct {
	ExpiresAt Time   `json:"expires_at" example:"Thu, 26 Nov 2026 17:58:16 GMT"`
	ExpiresIn int64  `json:"expires_in" example:"36000"`
	Token     string `json:"token" example:"eyJhbGciOiJIUzI1NiIs..."`
} // @name TokenResponse

// createToken godoc
//
//	@Summary		Get a token
//	@Description	Exchanges HTTP Basic credentials (username in any letter case, or e-mail) for a bearer token valid for FLICKET_TOKEN_TTL (10 hours by default).
//	@Tags			tokens
//	@Produce		json
//	@Security		BasicAuth
//	@Success		200	{object}	TokenResponse
//	@Failure		401	{object}	ErrorBody
//	@Failure		429	{object}	ErrorBody
//	@Router			/flicket-api/tokens [post]
func (s *Server) createToken(c echo.Context) error {
	login, password, ok := c.Request().BasicAuth()
	if !ok || login == "" {
		return errUnauthorized("auth.credentials_missing", "Send your username and password with HTTP Basic authentication.", basicChallenge)
	}
	u, err := s.checkLogin(c, login, password, basicChallenge)
	if err != nil {
		return err
	}
	issued, err := s.issueToken(c, u.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, TokenResponse{
		Token: issued.Token, ExpiresAt: apiTime(issued.ExpiresAt), ExpiresIn: int64(s.tokens.TTL().Seconds()),
	})
}

// checkLogin checks a username (any letter case) or e-mail and a password,
// as POST /tokens and POST /session both do. The attempt is counted against
// the client address and the account it names before the password is
// checked (see loginGuard); an unknown user costs as much time as a wrong
// password, and a disabled account is refused only after its password
// matched (so the refusal does not tell strangers the account exists).
// challenge is the WWW-Authenticate value of the 401s ("" for none).
func (s *Server) checkLogin(c echo.Context, login, password, challenge string) (*model.User, error) {
	addr := c.RealIP()
	if wait := s.logins.addressWait(addr); wait > 0 {
		return nil, throttled(wait)
	}
	ctx := c.Request().Context()
	u, err := model.FindUserByLogin(ctx, s.db, login)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return nil, err
	}
	acct := "login:" + model.NormalizeLogin(login)
	if u != nil {
		acct = "user:" + strconv.FormatInt(u.ID, 10)
	}
	attempt, wait := s.logins.begin(addr, acct)
	if wait > 0 {
		return nil, throttled(wait)
	}
	var ok bool
	err = s.passwords.Do(ctx, func() {
		if u == nil {
			s.hasher.Burn(password)
			return
		}
		ok = s.hasher.Verify(u.Password, password)
	})
	if err != nil {
		attempt.cancelled()
		return nil, passwordWorkError(err)
	}
	if !ok {
		attempt.failed()
		return nil, errUnauthorized("auth.invalid_credentials", "The username or password is wrong.", challenge)
	}
	attempt.succeeded()
	if u.Disabled {
		return nil, errUnauthorized("auth.account_disabled", "This account has been disabled.", challenge)
	}
	return u, nil
}

// passwordWorkError answers a password check or hash that could not run:
// 503 with Retry-After when the pool is overloaded.
func passwordWorkError(err error) error {
	if errors.Is(err, auth.ErrBusy) {
		e := newError(http.StatusServiceUnavailable, "server.busy",
			"The server is busy checking passwords; try again in a moment.")
		e.Header = map[string]string{"Retry-After": "2"}
		e.Cause = err
		return e
	}
	return err
}

// verifyPassword checks a password in the bounded bcrypt pool.
func (s *Server) verifyPassword(ctx context.Context, hash, password string) (bool, error) {
	var ok bool
	if err := s.passwords.Do(ctx, func() { ok = s.hasher.Verify(hash, password) }); err != nil {
		return false, passwordWorkError(err)
	}
	return ok, nil
}

// hashPassword hashes a new password in the bounded bcrypt pool.
func (s *Server) hashPassword(ctx context.Context, password string) (string, error) {
	var hash string
	var hashErr error
	if err := s.passwords.Do(ctx, func() { hash, hashErr = s.hasher.Hash(password) }); err != nil {
		return "", passwordWorkError(err)
	}
	return hash, hashErr
}

// issueToken signs a token and records it server-side.
func (s *Server) issueToken(c echo.Context, userID int64) (auth.Issued, error) {
	issued, err := s.tokens.Issue(userID)
	if err != nil {
		return auth.Issued{}, err
	}
	ctx := c.Request().Context()
	err = model.CreateAPIToken(ctx, s.db, &model.APIToken{
		ID: issued.ID, UserID: userID, CreatedAt: issued.IssuedAt, ExpiresAt: issued.ExpiresAt,
	})
	if err != nil {
		return auth.Issued{}, err
	}
	// Keep the table small: forget tokens that expired a day ago.
	if _, err := model.PruneAPITokens(ctx, s.db, s.now().Add(-24*time.Hour)); err != nil {
		requestLogger(c, s.log).Warn("prune tokens", "err", err)
	}
	return issued, nil
}

// revokeToken godoc
//
//	@Summary		Revoke the token
//	@Description	Revokes the bearer token used for this request; it gets 401 afterwards, on every server sharing the database.
//	@Tags			tokens
//	@Security		BearerAuth
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Router			/flicket-api/tokens [delete]
func (s *Server) revokeToken(c echo.Context) error {
	if err := model.RevokeAPIToken(c.Request().Context(), s.db, currentTokenID(c), s.now()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// resetTokenTTL is how long a password-reset link works.
const resetTokenTTL = time.Hour

// PasswordResetRequest asks for a password-reset link.
type PasswordResetRequest struct {
	Email string `json:"email" validate:"required,email,max=254" example:"jane@example.com"`
} // @name PasswordResetRequest

// PasswordResetAccepted is the one answer to every reset request, whether or
// not an account uses the address.
type PasswordResetAccepted struct {
	Message string `json:"message" example:"If an account uses this address, a link to choose a new password is on its way."`
} // @name PasswordResetAccepted

// PasswordResetConfirm sets a new password with the token from the mail.
type PasswordResetConfirm struct {
	Token    string `json:"token" validate:"required,max=200" example:"mU0Xo7cJ0b1oM3Vd3p1b2rKq9mBq1oXw4g2eV8Qh0xA"`
	Password string `json:"password" validate:"required,min=8,pwbytes" example:"new-secret-42"`
} // @name PasswordResetConfirm

// requestPasswordReset godoc
//
//	@Summary		Ask for a password-reset link
//	@Description	Always answers 202 with the same body, after about the same time, whether or not the address belongs to an account, so the endpoint tells nobody which addresses exist. For an enabled account it mails (in the user's language) a link to `<base URL>/reset-password?token=<token>` that works once, for one hour. The password is not changed until the link is used. Throttled per client address and per e-mail address.
//	@Tags			tokens
//	@Accept			json
//	@Produce		json
//	@Param			body	body		PasswordResetRequest	true	"the account's e-mail"
//	@Success		202		{object}	PasswordResetAccepted
//	@Failure		400		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Failure		429		{object}	ErrorBody
//	@Router			/flicket-api/password-reset [post]
func (s *Server) requestPasswordReset(c echo.Context) error {
	start := time.Now()
	var req PasswordResetRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	email := model.NormalizeEmail(req.Email)
	ipKey, emailKey := c.RealIP(), email
	if wait := max(s.resetIPThrottle.blocked(ipKey), s.resetEmailThrottle.blocked(emailKey)); wait > 0 {
		return throttled(wait)
	}
	s.resetIPThrottle.fail(ipKey)
	s.resetEmailThrottle.fail(emailKey)
	if err := s.startPasswordReset(c.Request().Context(), email); err != nil {
		return err
	}
	// An existing account costs a few writes more than a missing one; wait
	// out the difference so the time does not tell them apart.
	if wait := s.resetMinDuration - time.Since(start); wait > 0 {
		select {
		case <-time.After(wait):
		case <-c.Request().Context().Done():
		}
	}
	return c.JSON(http.StatusAccepted, PasswordResetAccepted{
		Message: "If an account uses this address, a link to choose a new password is on its way.",
	})
}

// startPasswordReset stores a reset for the enabled account with this e-mail,
// if there is one, and queues its mail in the same transaction.
func (s *Server) startPasswordReset(ctx context.Context, email string) error {
	u, err := model.FindUserByLogin(ctx, s.db, email)
	if errors.Is(err, model.ErrNotFound) || (err == nil && u.Disabled) {
		return nil
	}
	if err != nil {
		return err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	return s.write(ctx, func(t *model.Tx) error {
		tx := t.DB
		r := &model.PasswordReset{UserID: u.ID, TokenHash: hashResetToken(token), CreatedAt: now, ExpiresAt: now.Add(resetTokenTTL)}
		if err := model.CreatePasswordReset(ctx, tx, r); err != nil {
			return err
		}
		return s.mail.EnqueuePasswordReset(ctx, tx, u, token)
	})
}

func hashResetToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// confirmPasswordReset godoc
//
//	@Summary		Set a new password with a reset link's token
//	@Description	Sets the password (8 to 72 bytes, with at least one letter and one digit), uses up the token and every other reset link of the account, and revokes all the account's API tokens. An unknown, used or expired token is a 422 on `token`. Failed attempts are throttled per client address.
//	@Tags			tokens
//	@Accept			json
//	@Param			body	body	PasswordResetConfirm	true	"the token from the mail and the new password"
//	@Success		204
//	@Failure		400	{object}	ErrorBody
//	@Failure		422	{object}	ErrorBody
//	@Failure		429	{object}	ErrorBody
//	@Router			/flicket-api/password-reset/confirm [post]
func (s *Server) confirmPasswordReset(c echo.Context) error {
	key := c.RealIP()
	if wait := s.resetConfirmThrottle.blocked(key); wait > 0 {
		return throttled(wait)
	}
	var req PasswordResetConfirm
	if err := s.bind(c, &req); err != nil {
		return err
	}
	if err := checkPassword("password", req.Password); err != nil {
		return err
	}
	ctx := c.Request().Context()
	now := s.now()
	errBadToken := errField("token", "invalid", "This password-reset link is unknown, used or expired; ask for a new one.")
	// The token first: a bad one costs a query, never a bcrypt hash.
	tokenHash := hashResetToken(req.Token)
	if _, err := model.FindPasswordReset(ctx, s.db, tokenHash, now); errors.Is(err, model.ErrNotFound) {
		s.resetConfirmThrottle.fail(key)
		return errBadToken
	} else if err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, req.Password)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(t *model.Tx) error {
		tx := t.DB
		// Used up here, atomically: a concurrent confirmation may have won.
		r, err := model.UsePasswordReset(ctx, tx, tokenHash, now)
		if errors.Is(err, model.ErrNotFound) {
			return errBadToken
		}
		if err != nil {
			return err
		}
		u, err := model.FindUser(ctx, tx, r.UserID)
		if errors.Is(err, model.ErrNotFound) || (err == nil && u.Disabled) {
			return errBadToken
		}
		if err != nil {
			return err
		}
		return model.SetPasswordAfterReset(ctx, t, u.ID, hash)
	})
	if errors.Is(err, errBadToken) {
		s.resetConfirmThrottle.fail(key)
	}
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

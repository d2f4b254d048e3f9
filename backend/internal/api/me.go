package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// MeUpdateRequest changes the signed-in user's own account; absent fields
// are left alone and unknown ones (username, groups, disabled...) ignored.
// Changing the e-mail or the password needs current_password.
type MeUpdateRequest struct {
	CurrentPassword *string  `json:"current_password,omitempty" example:"correct-horse-1"`
	Email           *trimmed `json:"email,omitempty" validate:"omitnil,email,min=6,max=60" swaggertype:"string" example:"me@example.com"`
	JobTitle        *trimmed `json:"job_title,omitempty" validate:"omitnil,max=64" swaggertype:"string" example:"Technician"`
	Locale          *string  `json:"locale,omitempty" validate:"omitnil,oneof=en fr" example:"fr"`
	Name            *trimmed `json:"name,omitempty" validate:"omitnil,min=4,max=60" swaggertype:"string" example:"Jane Doe"`
	Password        *string  `json:"password,omitempty" example:"n3w-passw0rd"`
} // @name MeUpdateRequest

// MeCan is what the signed-in user may do outside any one ticket, by role:
// the areas of the administration the web app shows.
type MeCan struct {
	DeleteTickets     bool `json:"delete_tickets"`
	ManageConfig      bool `json:"manage_config"`
	ManageDepartments bool `json:"manage_departments"`
	ManageUsers       bool `json:"manage_users"`
} // @name MeCan

// Me is the signed-in user, with their settings and what they may do.
type Me struct {
	User
	Can MeCan `json:"can"`
} // @name Me

func meJSON(l linker, u *model.User) Me {
	can := u.Can()
	return Me{User: userJSON(l, u, u), Can: MeCan{
		DeleteTickets: can.DeleteTickets, ManageConfig: can.ManageConfig,
		ManageDepartments: can.ManageDepartments, ManageUsers: can.ManageUsers,
	}}
}

// getMe godoc
//
//	@Summary		Get my account
//	@Description	The signed-in user, with their settings (locale, disabled, groups) and what they may do (can: the areas of the administration open to them).
//	@Tags			me
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	Me
//	@Failure		401	{object}	ErrorBody
//	@Router			/flicket-api/me [get]
func (s *Server) getMe(c echo.Context) error {
	me := currentUser(c)
	u, err := model.FindUser(c.Request().Context(), s.db, me.ID)
	if err != nil {
		return err
	}
	if err := model.LoadUserTotals(c.Request().Context(), s.db, u); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, meJSON(s.links(c), u))
}

// updateMe godoc
//
//	@Summary		Update my account
//	@Description	Changes name, e-mail, job title, locale or password. A new e-mail or password needs current_password (422 when wrong). A new password (8 to 72 bytes, a letter and a digit) revokes every other token of the user; the one making the request stays valid.
//	@Tags			me
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		MeUpdateRequest	true	"the changes"
//	@Success		200		{object}	Me
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"the e-mail is taken"
//	@Failure		422		{object}	ErrorBody
//	@Failure		429		{object}	ErrorBody	"too many wrong current passwords"
//	@Router			/flicket-api/me [patch]
func (s *Server) updateMe(c echo.Context) error {
	var req MeUpdateRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	if req.Password != nil {
		if err := checkPassword("password", *req.Password); err != nil {
			return err
		}
	}
	ctx := c.Request().Context()
	me, err := model.FindUser(ctx, s.db, currentUser(c).ID)
	if err != nil {
		return err
	}
	newEmail := req.Email != nil && model.NormalizeEmail(string(*req.Email)) != me.Email
	if newEmail || req.Password != nil {
		if err := s.checkCurrentPassword(c, me, req.CurrentPassword); err != nil {
			return err
		}
	}
	upd := model.UserUpdate{
		Name:     req.Name.ptr(),
		Email:    req.Email.ptr(),
		JobTitle: req.JobTitle.ptr(),
		Locale:   req.Locale,
	}
	if req.Password != nil {
		hash, err := s.hashPassword(ctx, *req.Password)
		if err != nil {
			return err
		}
		upd.PasswordHash = &hash
	}
	// A new password signs out every other client (model.UpdateUser);
	// this one stays signed in.
	upd.KeepTokenID = currentTokenID(c)
	var u *model.User
	err = s.write(ctx, func(tx *model.Tx) error {
		var err error
		u, err = model.UpdateUser(ctx, tx, me.ID, upd)
		return err
	})
	if err != nil {
		return err
	}
	if err := model.LoadUserTotals(ctx, s.db, u); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, meJSON(s.links(c), u))
}

// checkCurrentPassword verifies the password re-typed to confirm a
// sensitive change. Failures are throttled like sign-ins, so a stolen token
// cannot be used to guess the password.
func (s *Server) checkCurrentPassword(c echo.Context, me *model.User, current *string) error {
	if current == nil || *current == "" {
		return errField("current_password", "required",
			"current_password is required to change the e-mail address or the password.")
	}
	// Counted before the check, like sign-ins, so parallel guesses cannot
	// all pass.
	key := "me|" + strconv.FormatInt(me.ID, 10)
	stamp, wait := s.logins.pair.take(key)
	if wait > 0 {
		return throttled(wait)
	}
	ok, err := s.verifyPassword(c.Request().Context(), me.Password, *current)
	if err != nil {
		s.logins.pair.give(key, stamp)
		return err
	}
	if !ok {
		return errField("current_password", "mismatch", "current_password is not your current password.")
	}
	s.logins.pair.reset(key)
	return nil
}

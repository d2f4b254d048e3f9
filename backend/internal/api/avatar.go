package api

import (
	"bytes"
	"crypto/sha256"
	_ "embed" // the default avatar template
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // avatar formats
	_ "image/jpeg" // avatar formats
	_ "image/png"  // avatar formats
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"
	_ "golang.org/x/image/webp" // avatar formats

	"github.com/flicket/flicket/backend/internal/files"
	"github.com/flicket/flicket/backend/internal/model"
)

// Avatar limits: small images of the four formats browsers show everywhere.
const (
	maxAvatarBytes = 2 << 20
	maxAvatarSide  = 4096
)

// avatarFormats maps image.DecodeConfig's format names to stored extensions.
var avatarFormats = map[string]string{"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp"}

//go:embed avatar_default.svg.tmpl
var defaultAvatarSource string

var defaultAvatarTemplate = template.Must(template.New("avatar").Parse(defaultAvatarSource))

// defaultAvatarCSP forbids everything an SVG could load or run.
const defaultAvatarCSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

// AvatarResponse gives the URL of the user's avatar.
type AvatarResponse struct {
	Avatar string `json:"avatar" example:"http://localhost:5000/flicket-api/user/1/avatar"`
} // @name AvatarResponse

func (s *Server) avatars() *files.Store { return s.files.Sub("avatars") }

// initials are up to two letters from the display name (first and last
// word), else the username's first letter, else "?".
func initials(u *model.User) string {
	first := func(s string) string {
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return string(unicode.ToUpper(r))
			}
		}
		return ""
	}
	words := strings.Fields(u.Name)
	out := ""
	if len(words) > 0 {
		out = first(words[0])
		if len(words) > 1 {
			out += first(words[len(words)-1])
		}
	}
	if out == "" {
		out = first(u.Username)
	}
	if out == "" {
		out = "?"
	}
	return out
}

// defaultAvatar draws the user's initials on a colour derived from the id.
func defaultAvatar(u *model.User) ([]byte, error) {
	var buf bytes.Buffer
	err := defaultAvatarTemplate.Execute(&buf, map[string]any{
		"Label": u.Name, "Initials": initials(u), "Hue": (u.ID * 137) % 360,
	})
	if err != nil {
		return nil, fmt.Errorf("draw default avatar: %w", err)
	}
	return buf.Bytes(), nil
}

// getAvatar godoc
//
//	@Summary		Get a user's avatar
//	@Description	The uploaded image, or an SVG with the user's initials when there is none.
//	@Tags			users
//	@Produce		png
//	@Produce		jpeg
//	@Produce		gif
//	@Produce		image/webp
//	@Produce		image/svg+xml
//	@Security		BearerAuth
//	@Param			id	path		int	true	"user id"
//	@Success		200	{file}		binary
//	@Failure		401	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/user/{id}/avatar [get]
func (s *Server) getAvatar(c echo.Context) error {
	id, err := pathID(c, "id", "The user")
	if err != nil {
		return err
	}
	u, err := model.FindUser(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The user")
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-cache")
	if u.Avatar != nil && *u.Avatar != "" {
		served, err := s.serveAvatarFile(c, *u.Avatar)
		if served || err != nil {
			return err
		}
	}
	svg, err := defaultAvatar(u)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(svg)
	h.Set(echo.HeaderContentType, "image/svg+xml")
	h.Set("Content-Security-Policy", defaultAvatarCSP)
	h.Set("ETag", `"d-`+hex.EncodeToString(sum[:8])+`"`)
	http.ServeContent(c.Response(), c.Request(), "", time.Time{}, bytes.NewReader(svg))
	return nil
}

// serveAvatarFile sends a stored avatar if it is there and is one of the
// image types we accept; otherwise it reports false and the caller draws
// the default.
func (s *Server) serveAvatarFile(c echo.Context, name string) (bool, error) {
	log := requestLogger(c, s.log)
	f, err := s.avatars().Open(name)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, files.ErrInvalidName) {
		log.Warn("avatar file missing", "file", name, "err", err)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer func() { _ = f.Close() }()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("read avatar: %w", err)
	}
	ct := http.DetectContentType(head[:n])
	if !inlineImageTypes[ct] {
		log.Warn("avatar file is not an image", "file", name, "type", ct)
		return false, nil
	}
	st, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("stat avatar: %w", err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, ct)
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("ETag", `"`+name+`"`)
	http.ServeContent(c.Response(), c.Request(), "", st.ModTime(), f)
	return true, nil
}

// uploadAvatar godoc
//
//	@Summary		Set my avatar
//	@Description	A PNG, JPEG, GIF or WebP image of at most 2 MB and 4096×4096 pixels, in the multipart field `avatar`. The previous picture is removed once the new one is saved.
//	@Tags			me
//	@Accept			multipart/form-data
//	@Produce		json
//	@Security		BearerAuth
//	@Param			avatar	formData	file	true	"the image"
//	@Success		200		{object}	AvatarResponse
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		413		{object}	ErrorBody
//	@Failure		415		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/me/avatar [put]
func (s *Server) uploadAvatar(c echo.Context) error {
	form, err := parseMultipart(c)
	if err != nil {
		return err
	}
	defer func() { _ = form.RemoveAll() }()
	parts := form.File["avatar"]
	if len(parts) != 1 {
		return errField("avatar", "required", "Send one image in a part named avatar.")
	}
	data, err := readAvatar(parts[0])
	if err != nil {
		return err
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	ext, ok := avatarFormats[format]
	if err != nil || !ok {
		return errField("avatar", "image", "avatar must be a PNG, JPEG, GIF or WebP image.")
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxAvatarSide || cfg.Height > maxAvatarSide {
		return errField("avatar", "dimensions", "avatar must be at most %d×%d pixels (got %d×%d).",
			maxAvatarSide, maxAvatarSide, cfg.Width, cfg.Height).
			with(map[string]any{"max_width": maxAvatarSide, "max_height": maxAvatarSide, "width": cfg.Width, "height": cfg.Height})
	}
	name, _, err := s.avatars().Save(bytes.NewReader(data), ext)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	me := currentUser(c)
	var old *string
	err = s.write(ctx, func(wtx *model.Tx) error {
		tx := wtx.DB
		var err error
		old, err = model.SetAvatar(ctx, tx, me.ID, &name)
		return err
	})
	if err != nil {
		s.removeAvatar(c, name)
		return err
	}
	if old != nil && *old != "" && *old != name {
		s.removeAvatar(c, *old)
	}
	return c.JSON(http.StatusOK, AvatarResponse{Avatar: s.links(c).to("/user/%d/avatar", me.ID)})
}

// readAvatar reads an uploaded image, refusing one over maxAvatarBytes.
func readAvatar(fh *multipart.FileHeader) ([]byte, error) {
	tooBig := errField("avatar", "too_large", "avatar must be at most %d MB.", maxAvatarBytes>>20).
		with(map[string]any{"max_mb": maxAvatarBytes >> 20})
	if fh.Size > maxAvatarBytes {
		return nil, tooBig
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open avatar part: %w", err)
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, maxAvatarBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read avatar part: %w", err)
	}
	if len(data) > maxAvatarBytes {
		return nil, tooBig
	}
	return data, nil
}

func (s *Server) removeAvatar(c echo.Context, name string) {
	if err := s.avatars().Remove(name); err != nil {
		requestLogger(c, s.log).Warn("remove avatar file", "err", err, "file", name)
	}
}

// deleteAvatar godoc
//
//	@Summary		Remove my avatar
//	@Description	Back to the default picture (initials).
//	@Tags			me
//	@Security		BearerAuth
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Router			/flicket-api/me/avatar [delete]
func (s *Server) deleteAvatar(c echo.Context) error {
	ctx := c.Request().Context()
	me := currentUser(c)
	var old *string
	err := s.write(ctx, func(wtx *model.Tx) error {
		tx := wtx.DB
		var err error
		old, err = model.SetAvatar(ctx, tx, me.ID, nil)
		return err
	})
	if err != nil {
		return err
	}
	if old != nil && *old != "" {
		s.removeAvatar(c, *old)
	}
	return c.NoContent(http.StatusNoContent)
}

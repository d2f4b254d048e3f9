package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/files"
	"github.com/flicket/flicket/backend/internal/model"
)

// parseMultipart reads a multipart/form-data body (files over 8 MB spill
// to temporary files; the caller calls RemoveAll). The body size limit is
// FLICKET_MAX_UPLOAD_MB, enforced by the bodyLimit middleware.
func parseMultipart(c echo.Context) (*multipart.Form, error) {
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEMultipartForm {
		return nil, newError(http.StatusUnsupportedMediaType, "request.unsupported_media_type",
			"Send the body as multipart/form-data.")
	}
	if err := req.ParseMultipartForm(8 << 20); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, newError(http.StatusRequestEntityTooLarge, "request.too_large",
				"The request body is larger than %d bytes.", maxErr.Limit).with(map[string]any{"max_bytes": maxErr.Limit})
		}
		return nil, errBadRequest("request.malformed_multipart", "The body is not valid multipart/form-data.")
	}
	return req.MultipartForm, nil
}

// formID reads an optional positive id from a multipart field.
func formID(form *multipart.Form, name string) (*int64, error) {
	vals := form.Value[name]
	if len(vals) == 0 {
		return nil, nil
	}
	id, err := strconv.ParseInt(strings.TrimSpace(vals[0]), 10, 64)
	if len(vals) > 1 || err != nil || id < 1 {
		return nil, errField(name, "type", "%s must be one positive whole number.", name)
	}
	return &id, nil
}

// cleanFilename keeps the base name a client sent (either slash), as valid
// UTF-8 without control characters or bidirectional controls (U+202E would
// show "x\u202Egnp.txt" as "xtxt.png"), at most 255 characters (the stem is
// shortened, the extension kept).
func cleanFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, name))
	if utf8.RuneCountInString(name) <= 255 {
		return name
	}
	ext := path.Ext(name)
	if utf8.RuneCountInString(ext) > 32 {
		ext = ""
	}
	stem := []rune(strings.TrimSuffix(name, ext))
	return string(stem[:255-utf8.RuneCountInString(ext)]) + ext
}

// fileExtension is the lower-cased text after the last dot, or "".
func fileExtension(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return strings.ToLower(name[i+1:])
}

// uploadTarget is what an upload request attaches files to.
type uploadTarget struct {
	ticket *model.Ticket
	post   *model.Post // nil for the ticket body
}

// canAttach applies the edit rule of the ticket body or of the reply.
func (t uploadTarget) canAttach(u *model.User) error {
	if t.post != nil {
		return t.post.CanEdit(u, t.ticket)
	}
	return t.ticket.CanEdit(u)
}

// loadUploadTarget resolves ticket_id / post_id (exactly one) in db; with
// lock, db is a transaction and the ticket's row is locked.
func loadUploadTarget(c echo.Context, db *gorm.DB, ticketID, postID *int64, lock bool) (uploadTarget, error) {
	ctx := c.Request().Context()
	var tg uploadTarget
	switch {
	case ticketID != nil && postID != nil:
		return tg, errField("post_id", "exclusive", "Send either ticket_id or post_id, not both.")
	case ticketID == nil && postID == nil:
		return tg, errField("ticket_id", "required", "Send ticket_id (a ticket's body) or post_id (a reply) to attach the files to.")
	case postID != nil:
		p, err := model.FindPost(ctx, db, *postID)
		if errors.Is(err, model.ErrNotFound) {
			return tg, errField("post_id", "not_found", "post_id names no reply.")
		}
		if err != nil {
			return tg, err
		}
		tg.post = p
		ticketID = &p.TicketID
	}
	find := model.FindTicket
	if lock {
		find = model.LockTicket
	}
	t, err := find(ctx, db, *ticketID)
	if errors.Is(err, model.ErrNotFound) {
		return tg, errField("ticket_id", "not_found", "ticket_id names no ticket.")
	}
	tg.ticket = t
	return tg, err
}

// createUploads godoc
//
//	@Summary		Attach files to a ticket or a reply
//	@Description	One or more `file` parts and exactly one of `ticket_id` / `post_id`. Whoever may edit the ticket (its creator or an administrator) or the reply (its author or an administrator) may attach files. Every file's extension must be in the configured allowed_extensions; if any file is refused, none is stored. The request is limited to FLICKET_MAX_UPLOAD_MB.
//	@Tags			uploads
//	@Accept			multipart/form-data
//	@Produce		json
//	@Security		BearerAuth
//	@Param			file		formData	file	true	"a file (repeat the part for several)"
//	@Param			ticket_id	formData	int		false	"attach to this ticket's body"
//	@Param			post_id		formData	int		false	"attach to this reply"
//	@Param			Idempotency-Key	header		string	false	"a fresh key per create (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Success		201			{array}		Upload
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Failure		403			{object}	ErrorBody
//	@Failure		409			{object}	ErrorBody
//	@Failure		413			{object}	ErrorBody
//	@Failure		415			{object}	ErrorBody
//	@Failure		422			{object}	ErrorBody
//	@Router			/flicket-api/uploads [post]
func (s *Server) createUploads(c echo.Context) error {
	form, err := parseMultipart(c)
	if err != nil {
		return err
	}
	defer func() { _ = form.RemoveAll() }()
	ctx := c.Request().Context()
	me := currentUser(c)

	ticketID, err := formID(form, "ticket_id")
	if err != nil {
		return err
	}
	postID, err := formID(form, "post_id")
	if err != nil {
		return err
	}
	target, err := loadUploadTarget(c, s.db, ticketID, postID, false)
	if err != nil {
		return err
	}
	if err := target.canAttach(me); err != nil {
		return err
	}
	parts := form.File["file"]
	if len(parts) == 0 {
		return errField("file", "required", "Send at least one file in a part named file.")
	}
	settings, err := s.settings.Get(ctx)
	if err != nil {
		return err
	}
	allowed := settings.Extensions()
	names := make([]string, len(parts))
	for i, fh := range parts {
		field := fmt.Sprintf("file[%d]", i)
		names[i] = cleanFilename(fh.Filename)
		ext := fileExtension(names[i])
		if ext == "" || !contains(allowed, ext) {
			return errField(field, "extension", "%s %q: only these file types may be uploaded: %s.",
				field, names[i], strings.Join(allowed, ", ")).
				with(map[string]any{"name": names[i], "allowed": allowed})
		}
	}

	// Every file is accepted: store them, then the rows. Whatever fails
	// later removes the files stored so far, so no orphan stays on disk.
	uploads := make([]model.Upload, 0, len(parts))
	stored := make([]string, 0, len(parts))
	ok := false
	defer func() {
		if !ok {
			s.removeFiles(c, stored...)
		}
	}()
	now := s.now()
	for i, fh := range parts {
		up, err := s.storePart(fh, names[i])
		if err != nil {
			return err
		}
		stored = append(stored, up.Filename)
		up.UserID, up.DateAdded = &me.ID, now
		if target.post != nil {
			up.PostID = &target.post.ID
		} else {
			up.TicketID = &target.ticket.ID
		}
		uploads = append(uploads, up)
	}
	err = s.write(ctx, func(wtx *model.Tx) error {
		tx := wtx.DB
		// Check again under the ticket's lock: it may have been closed or
		// the reply deleted while the files were being written.
		locked, err := loadUploadTarget(c, tx, ticketID, postID, true)
		if err != nil {
			return err
		}
		if err := locked.canAttach(me); err != nil {
			return err
		}
		if err := model.CreateUploads(ctx, tx, uploads); err != nil {
			return err
		}
		return model.TouchTicket(ctx, tx, locked.ticket.ID, now)
	})
	if err != nil {
		return err
	}
	ok = true
	l := s.links(c)
	out := make([]Upload, len(uploads))
	for i := range uploads {
		out[i] = uploadJSON(l, &uploads[i])
	}
	return c.JSON(http.StatusCreated, out)
}

// storePart writes one uploaded file to the store, sniffing its type.
func (s *Server) storePart(fh *multipart.FileHeader, name string) (model.Upload, error) {
	f, err := fh.Open()
	if err != nil {
		return model.Upload{}, fmt.Errorf("open uploaded part: %w", err)
	}
	defer func() { _ = f.Close() }()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return model.Upload{}, fmt.Errorf("read uploaded part: %w", err)
	}
	head = head[:n]
	ext := fileExtension(name)
	if !files.ValidExtension(ext) {
		ext = "" // an odd allowed extension (e.g. "c++") is kept in the original name only
	}
	stored, size, err := s.files.Save(io.MultiReader(bytes.NewReader(head), f), ext)
	if err != nil {
		return model.Upload{}, err
	}
	return model.Upload{
		Filename: stored, OriginalFilename: name, Size: size,
		ContentType: http.DetectContentType(head),
	}, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

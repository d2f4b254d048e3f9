package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
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

// Upload is an attachment in the original's shape. "image" kept its name but
// now points, like "download", at the authenticated API download (the
// original's pointed at a public static folder).
type Upload struct {
	ContentType      string      `json:"content_type" example:"text/plain; charset=utf-8"`
	DateAdded        Time        `json:"date_added" example:"Tue, 26 Nov 2024 19:46:01 GMT"`
	Download         string      `json:"download" example:"http://localhost:5000/flicket-api/upload/1/download"`
	Filename         string      `json:"filename" example:"3f8a0c2e9b7d41e6a5c4b3a291807f6e.txt"`
	ID               int64       `json:"id" example:"1"`
	Image            string      `json:"image" example:"http://localhost:5000/flicket-api/upload/1/download"`
	Links            UploadLinks `json:"links"`
	OriginalFilename string      `json:"original_filename" example:"logfile-1.txt"`
	PostID           *int64      `json:"post_id" example:"294"`
	Size             int64       `json:"size" example:"1024"`
	TopicID          *int64      `json:"topic_id"`
} // @name Upload

// UploadLinks point to the attachment, its reply or ticket, and the list.
type UploadLinks struct {
	Post    *string `json:"post"`
	Self    string  `json:"self"`
	Ticket  *string `json:"ticket"`
	Uploads string  `json:"uploads"`
} // @name UploadLinks

func uploadJSON(l linker, u *model.Upload) Upload {
	download := l.to("/upload/%d/download", u.ID)
	return Upload{
		ContentType:      u.ContentType,
		DateAdded:        apiTime(u.DateAdded),
		Download:         download,
		Filename:         u.Filename,
		ID:               u.ID,
		Image:            download,
		OriginalFilename: u.OriginalFilename,
		PostID:           u.PostID,
		Size:             u.Size,
		TopicID:          u.TicketID,
		Links: UploadLinks{
			Post:    l.opt("/post/%d", u.PostID),
			Self:    l.to("/upload/%d", u.ID),
			Ticket:  l.opt("/ticket/%d", u.TicketID),
			Uploads: l.to("/uploads/"),
		},
	}
}

// listUploads godoc
//
//	@Summary		List attachments
//	@Description	By id. The page may also be given in the path: /uploads/{page}/. ticket_id lists a ticket body's attachments, post_id a reply's.
//	@Tags			uploads
//	@Produce		json
//	@Security		BearerAuth
//	@Param			ticket_id	query		int	false	"attachments of this ticket's body"
//	@Param			post_id		query		int	false	"attachments of this reply"
//	@Param			page		query		int	false	"page number (from 1)"
//	@Param			per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[Upload]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Router			/flicket-api/uploads/ [get]
func (s *Server) listUploads(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	var f model.UploadFilter
	if err := queryIDInto(c, "ticket_id", &f.TicketID); err != nil {
		return err
	}
	if err := queryIDInto(c, "post_id", &f.PostID); err != nil {
		return err
	}
	items, total, err := model.ListUploads(c.Request().Context(), s.db, f, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]Upload, len(items))
	for i := range items {
		out[i] = uploadJSON(l, &items[i])
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/uploads/", pathPaged, c, "ticket_id", "post_id")))
}

// getUpload godoc
//
//	@Summary	Get an attachment's details
//	@Tags		uploads
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"attachment id"
//	@Success	200	{object}	Upload
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/upload/{id} [get]
func (s *Server) getUpload(c echo.Context) error {
	id, err := pathID(c, "id", "The attachment")
	if err != nil {
		return err
	}
	u, err := model.FindUpload(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The attachment")
	}
	return c.JSON(http.StatusOK, uploadJSON(s.links(c), u))
}

// inlineImageTypes may be shown in the page (?inline=1); nothing else,
// above all not HTML or SVG, which could run script in our origin.
var inlineImageTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
}

// downloadUpload godoc
//
//	@Summary		Download an attachment
//	@Description	Streams the file as an attachment under its original name. `inline=1` shows PNG, JPEG, GIF and WebP images in the page; every other type is always a download.
//	@Tags			uploads
//	@Produce		octet-stream
//	@Security		BearerAuth
//	@Param			id		path		int		true	"attachment id"
//	@Param			inline	query		int		false	"1: show an image inline"
//	@Success		200		{file}		binary
//	@Failure		401		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Router			/flicket-api/upload/{id}/download [get]
func (s *Server) downloadUpload(c echo.Context) error {
	id, err := pathID(c, "id", "The attachment")
	if err != nil {
		return err
	}
	u, err := model.FindUpload(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The attachment")
	}
	f, err := s.files.Open(u.Filename)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, files.ErrInvalidName) {
		requestLogger(c, s.log).Warn("attachment file missing", "upload_id", u.ID, "file", u.Filename, "err", err)
		return errNotFound("The attachment's file")
	}
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat attachment: %w", err)
	}
	mediaType, _, _ := mime.ParseMediaType(u.ContentType)
	disposition := "attachment"
	if c.QueryParam("inline") == "1" && inlineImageTypes[mediaType] {
		disposition = "inline"
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, safeContentType(u.ContentType, mediaType))
	h.Set(echo.HeaderContentDisposition, contentDisposition(disposition, u.OriginalFilename))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	http.ServeContent(c.Response(), c.Request(), "", st.ModTime(), f)
	return nil
}

// safeContentType keeps the stored type unless a browser could run it as a
// document (HTML, XML, SVG, script): those become opaque bytes.
func safeContentType(stored, mediaType string) string {
	if mediaType == "" {
		return "application/octet-stream"
	}
	for _, bad := range []string{"html", "xml", "svg", "javascript", "ecmascript"} {
		if strings.Contains(mediaType, bad) {
			return "application/octet-stream"
		}
	}
	return stored
}

// contentDisposition names the file for the browser: a plain ASCII
// filename for old clients and the exact UTF-8 name as RFC 5987 filename*.
func contentDisposition(kind, name string) string {
	var ascii strings.Builder
	for _, r := range name {
		if r < 0x20 || r >= 0x7f || r == '"' || r == '\\' || r == '%' {
			ascii.WriteByte('_')
		} else {
			ascii.WriteRune(r)
		}
	}
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, kind, ascii.String(), rfc5987(name))
}

// rfc5987 percent-encodes everything but RFC 5987's attr-char.
func rfc5987(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch < 0x80 && (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' ||
			strings.IndexByte("!#$&+-.^_`|~", ch) >= 0) {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}

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
				"The request body is larger than %d bytes.", maxErr.Limit)
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
// UTF-8 without control characters, at most 255 characters (the stem is
// shortened, the extension kept).
func cleanFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
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
				field, names[i], strings.Join(allowed, ", "))
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
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
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

// deleteUpload godoc
//
//	@Summary		Delete an attachment
//	@Description	Whoever may edit the ticket (creator or administrator) or the reply (author or administrator) it is attached to, while the ticket is not closed.
//	@Tags			uploads
//	@Security		BearerAuth
//	@Param			id	path	int	true	"attachment id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Failure		409	{object}	ErrorBody
//	@Router			/flicket-api/upload/{id} [delete]
func (s *Server) deleteUpload(c echo.Context) error {
	id, err := pathID(c, "id", "The attachment")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := model.FindUpload(ctx, s.db, id)
	if err != nil {
		return notFoundAs(err, "The attachment")
	}
	me := currentUser(c)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ticketID, post, err := model.UploadTicketID(ctx, tx, u)
		if err != nil {
			return notFoundAs(err, "The attachment")
		}
		t, err := model.LockTicket(ctx, tx, ticketID)
		if err != nil {
			return notFoundAs(err, "The attachment")
		}
		if err := (uploadTarget{ticket: t, post: post}).canAttach(me); err != nil {
			return err
		}
		if err := model.DeleteUpload(ctx, tx, u.ID); err != nil {
			return notFoundAs(err, "The attachment")
		}
		return model.TouchTicket(ctx, tx, t.ID, s.now())
	})
	if err != nil {
		return err
	}
	s.removeFiles(c, u.Filename)
	return c.NoContent(http.StatusNoContent)
}

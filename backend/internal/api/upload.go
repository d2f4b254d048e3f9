package api

import (
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

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
	PostID           *int64      `json:"post_id" extensions:"x-nullable" example:"294"`
	Size             int64       `json:"size" example:"1024"`
	TopicID          *int64      `json:"topic_id" extensions:"x-nullable"`
} // @name Upload

// UploadLinks point to the attachment, its reply or ticket, and the list.
type UploadLinks struct {
	Post    *string `json:"post" extensions:"x-nullable"`
	Self    string  `json:"self"`
	Ticket  *string `json:"ticket" extensions:"x-nullable"`
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

// listUploadsPage godoc (documentation only: listUploads serves both routes).
//
//	@Summary	List attachments (page in the path)
//	@Tags		uploads
//	@Produce	json
//	@Security	BearerAuth
//	@Param		page		path		int	true	"page number (from 1)"	minimum(1)
//	@Param		ticket_id	query		int	false	"attachments of this ticket's body"
//	@Param		post_id		query		int	false	"attachments of this reply"
//	@Param		per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success	200			{object}	Envelope[Upload]
//	@Failure	400			{object}	ErrorBody
//	@Failure	401			{object}	ErrorBody
//	@Failure	404			{object}	ErrorBody
//	@Router		/flicket-api/uploads/{page}/ [get]
func _() {}

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
	env, err := s.uploadsPage(c, f, p, s.links(c).list("/uploads/", pathPaged, c, "ticket_id", "post_id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, env)
}

// uploadsPage is one page of attachments as GET /uploads/ answers it (and
// ?include=uploads of GET /ticket/{id}).
func (s *Server) uploadsPage(c echo.Context, f model.UploadFilter, p pageRequest, list lister) (Envelope[Upload], error) {
	items, total, err := model.ListUploads(c.Request().Context(), s.db, f, p.Offset(), p.PerPage)
	if err != nil {
		return Envelope[Upload]{}, err
	}
	l := s.links(c)
	out := make([]Upload, len(items))
	for i := range items {
		out[i] = uploadJSON(l, &items[i])
	}
	return newEnvelope(out, p, total, list), nil
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
	err = s.write(ctx, func(wtx *model.Tx) error {
		tx := wtx.DB
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

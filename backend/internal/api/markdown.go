package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// MarkdownRequest is markdown to preview.
type MarkdownRequest struct {
	Content string `json:"content,omitempty" validate:"max=20000" example:"**bold** and a [link](https://example.com)"`
} // @name MarkdownRequest

// MarkdownResponse is the sanitised HTML, exactly as content_html shows it.
type MarkdownResponse struct {
	HTML string `json:"html" example:"<p><strong>bold</strong> and a <a href=\"https://example.com\" rel=\"nofollow noreferrer\" target=\"_blank\">link</a></p>"`
} // @name MarkdownResponse

// renderMarkdown godoc
//
//	@Summary		Preview markdown
//	@Description	Renders with the same renderer as every content_html (raw HTML dropped, then an allow-list sanitiser), so the preview is what readers will see.
//	@Tags			markdown
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		MarkdownRequest	true	"markdown source"
//	@Success		200		{object}	MarkdownResponse
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/markdown [post]
func (s *Server) renderMarkdown(c echo.Context) error {
	var req MarkdownRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	html, err := s.markdown.Render(req.Content)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, MarkdownResponse{HTML: html})
}

// renderHTML renders markdown for storage beside its source.
func (s *Server) renderHTML(src string) *string {
	html := s.markdown.MustRender(src)
	return &html
}

// renderHTMLPtr renders an optional new content (nil stays nil).
func (s *Server) renderHTMLPtr(src *string) *string {
	if src == nil {
		return nil
	}
	return s.renderHTML(*src)
}

// contentHTML is the stored rendering, or a fresh one for rows written
// before renderings were stored.
func (s *Server) contentHTML(src string, stored *string) string {
	if stored != nil {
		return *stored
	}
	return s.markdown.MustRender(src)
}

package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// History is a previous version of a ticket body (topic_id) or reply
// (post_id) in the original's shape, plus its author and rendered text.
type History struct {
	DateModified        Time         `json:"date_modified" example:"Tue, 26 Nov 2024 18:13:01 GMT"`
	ID                  int64        `json:"id" example:"1"`
	Links               HistoryLinks `json:"links"`
	OriginalContent     string       `json:"original_content" example:"The text before the edit."`
	OriginalContentHTML string       `json:"original_content_html" example:"<p>The text before the edit.</p>"`
	PostID              *int64       `json:"post_id" extensions:"x-nullable" example:"7"`
	TopicID             *int64       `json:"topic_id" extensions:"x-nullable" example:"42"`
	User                *UserRef     `json:"user" extensions:"x-nullable"`
	UserID              *int64       `json:"user_id" extensions:"x-nullable" example:"13"`
} // @name History

// HistoryLinks point to the row, the list and what it belongs to.
type HistoryLinks struct {
	Histories string  `json:"histories"`
	Post      *string `json:"post" extensions:"x-nullable"`
	Self      string  `json:"self"`
	Ticket    *string `json:"ticket" extensions:"x-nullable"`
	User      *string `json:"user" extensions:"x-nullable"`
} // @name HistoryLinks

func (s *Server) historyJSON(l linker, v *model.HistoryView) History {
	h := &v.History
	return History{
		DateModified:        apiTime(h.DateModified),
		ID:                  h.ID,
		OriginalContent:     h.OriginalContent,
		OriginalContentHTML: s.markdown.MustRender(h.OriginalContent),
		PostID:              h.PostID,
		TopicID:             h.TicketID,
		User:                joinedUserRef(h.UserID, v.UserUsername, v.UserName),
		UserID:              h.UserID,
		Links: HistoryLinks{
			Histories: l.to("/histories/"),
			Post:      l.opt("/post/%d", h.PostID),
			Self:      l.to("/history/%d", h.ID),
			Ticket:    l.opt("/ticket/%d", h.TicketID),
			User:      l.opt("/user/%d", h.UserID),
		},
	}
}

// listHistoriesPage godoc (documentation only: listHistories serves both routes).
//
//	@Summary	List edit histories (page in the path)
//	@Tags		histories
//	@Produce	json
//	@Security	BearerAuth
//	@Param		page		path		int	true	"page number (from 1)"	minimum(1)
//	@Param		topic_id	query		int	false	"only this ticket's body"
//	@Param		post_id		query		int	false	"only this reply"
//	@Param		per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success	200			{object}	Envelope[History]
//	@Failure	400			{object}	ErrorBody
//	@Failure	401			{object}	ErrorBody
//	@Failure	404			{object}	ErrorBody
//	@Router		/flicket-api/histories/{page}/ [get]
func _() {}

// listHistories godoc
//
//	@Summary		List edit histories
//	@Description	Previous versions of ticket bodies and replies, oldest first. The page may also be given in the path: /histories/{page}/. Links keep both filters.
//	@Tags			histories
//	@Produce		json
//	@Security		BearerAuth
//	@Param			topic_id	query		int	false	"only this ticket's body"
//	@Param			post_id		query		int	false	"only this reply"
//	@Param			page		query		int	false	"page number (from 1)"
//	@Param			per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[History]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Router			/flicket-api/histories/ [get]
func (s *Server) listHistories(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	var f model.HistoryFilter
	if err := queryIDInto(c, "topic_id", &f.TicketID); err != nil {
		return err
	}
	if err := queryIDInto(c, "post_id", &f.PostID); err != nil {
		return err
	}
	items, total, err := model.ListHistories(c.Request().Context(), s.db, f, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]History, len(items))
	for i := range items {
		out[i] = s.historyJSON(l, &items[i])
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/histories/", pathPaged, c, "topic_id", "post_id")))
}

// getHistory godoc
//
//	@Summary	Get an edit history row
//	@Tags		histories
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"history id"
//	@Success	200	{object}	History
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/history/{id} [get]
func (s *Server) getHistory(c echo.Context) error {
	id, err := pathID(c, "id", "The history entry")
	if err != nil {
		return err
	}
	v, err := model.FindHistoryView(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The history entry")
	}
	return c.JSON(http.StatusOK, s.historyJSON(s.links(c), v))
}

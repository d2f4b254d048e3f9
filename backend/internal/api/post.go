package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// Post is a reply in the original's shape (including its "data_added"
// typo), plus the rendered body, hours, the last editor, the author's
// summary, the reply's attachments and what the caller may do to it.
type Post struct {
	Can          PostCan     `json:"can"`
	Content      string      `json:"content" example:"Restarting the service fixed it."`
	ContentHTML  string      `json:"content_html" example:"<p>Restarting the service fixed it.</p>"`
	DataAdded    Time        `json:"data_added" example:"Tue, 26 Nov 2024 19:46:01 GMT"`
	DateModified *Time       `json:"date_modified" extensions:"x-nullable" example:"Wed, 27 Nov 2024 08:00:00 GMT"`
	Hours        model.Hours `json:"hours" swaggertype:"number" example:"1.5"`
	ID           int64       `json:"id" example:"1"`
	Links        PostLinks   `json:"links"`
	ModifiedBy   *UserRef    `json:"modified_by" extensions:"x-nullable"`
	ModifiedID   *int64      `json:"modified_id" extensions:"x-nullable" example:"2"`
	TicketID     int64       `json:"ticket_id" example:"1"`
	Uploads      []Upload    `json:"uploads"`
	User         *PostAuthor `json:"user" extensions:"x-nullable"`
	UserID       *int64      `json:"user_id" extensions:"x-nullable" example:"15"`
} // @name Post

// PostCan is what the caller may do to the reply, by the server's rules.
type PostCan struct {
	Delete bool `json:"delete"`
	Edit   bool `json:"edit"`
} // @name PostCan

// PostLinks point to the reply, its author and the ticket's replies.
type PostLinks struct {
	CreatedBy *string `json:"created_by" extensions:"x-nullable"`
	Posts     string  `json:"posts"`
	Self      string  `json:"self"`
} // @name PostLinks

// PostAuthor is what a reply card shows of its author (null when the
// account is gone).
type PostAuthor struct {
	ID          int64   `json:"id" example:"15"`
	IsAdmin     bool    `json:"is_admin"`
	IsSuperUser bool    `json:"is_super_user"`
	JobTitle    *string `json:"job_title" extensions:"x-nullable" example:"Technician"`
	Name        string  `json:"name" example:"William Hernandez"`
	Username    string  `json:"username" example:"whernandez"`
} // @name PostAuthor

func toPostAuthor(u *model.User) *PostAuthor {
	if u == nil {
		return nil
	}
	a := &PostAuthor{ID: u.ID, IsAdmin: u.IsAdmin, IsSuperUser: u.IsSuperUser, Name: u.Name, Username: u.Username}
	if u.JobTitle != nil && *u.JobTitle != "" {
		a.JobTitle = u.JobTitle
	}
	return a
}

// lookupUser finds a user of the map by a nullable id.
func lookupUser(people map[int64]*model.User, id *int64) *model.User {
	if id == nil {
		return nil
	}
	return people[*id]
}

func (s *Server) postJSON(l linker, p *model.Post, can model.PostCan, people map[int64]*model.User, uploads []model.Upload) Post {
	out := Post{
		Can:          PostCan{Delete: can.Delete, Edit: can.Edit},
		Content:      p.Content,
		ContentHTML:  s.contentHTML(p.Content, p.ContentHTML),
		DataAdded:    apiTime(p.DateAdded),
		DateModified: apiTimePtr(p.DateModified),
		Hours:        p.Hours,
		ID:           p.ID,
		Links: PostLinks{
			CreatedBy: l.opt("/user/%d", p.UserID),
			Posts:     l.to("/posts/%d/", p.TicketID),
			Self:      l.to("/post/%d", p.ID),
		},
		ModifiedBy: userRef(lookupUser(people, p.ModifiedID)),
		ModifiedID: p.ModifiedID,
		TicketID:   p.TicketID,
		Uploads:    make([]Upload, len(uploads)),
		User:       toPostAuthor(lookupUser(people, p.UserID)),
		UserID:     p.UserID,
	}
	for i := range uploads {
		out.Uploads[i] = uploadJSON(l, &uploads[i])
	}
	return out
}

// postsJSON shapes a page of replies of ticket t with two queries in all:
// their authors and editors, and their attachments.
func (s *Server) postsJSON(c echo.Context, t *model.Ticket, posts []model.Post) ([]Post, error) {
	ctx := c.Request().Context()
	people, err := model.PostPeople(ctx, s.db, posts)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	uploads, err := model.UploadsOfPosts(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	l := s.links(c)
	me := currentUser(c)
	out := make([]Post, len(posts))
	for i := range posts {
		out[i] = s.postJSON(l, &posts[i], posts[i].Can(me, t), people, uploads[posts[i].ID])
	}
	return out, nil
}

// respondPost answers with one reply.
func (s *Server) respondPost(c echo.Context, status int, p *model.Post) error {
	t, err := model.FindTicket(c.Request().Context(), s.db, p.TicketID)
	if err != nil {
		return notFoundAs(err, "The reply")
	}
	out, err := s.postsJSON(c, t, []model.Post{*p})
	if err != nil {
		return err
	}
	return c.JSON(status, out[0])
}

// listPostsPage godoc (documentation only: listPosts serves both routes).
//
//	@Summary	List a ticket's replies (page in the path)
//	@Tags		posts
//	@Produce	json
//	@Security	BearerAuth
//	@Param		ticket_id	path		int	true	"ticket id"
//	@Param		page		path		int	true	"page number (from 1)"	minimum(1)
//	@Param		per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success	200			{object}	Envelope[Post]
//	@Failure	400			{object}	ErrorBody
//	@Failure	401			{object}	ErrorBody
//	@Failure	404			{object}	ErrorBody
//	@Router		/flicket-api/posts/{ticket_id}/{page}/ [get]
func _() {}

// listPosts godoc
//
//	@Summary		List a ticket's replies
//	@Description	Replies in the order they were written (date, then id). The ticket body is not a reply: it is in the ticket. The page may also be given in the path: /posts/{ticket_id}/{page}/.
//	@Tags			posts
//	@Produce		json
//	@Security		BearerAuth
//	@Param			ticket_id	path		int	true	"ticket id"
//	@Param			page		query		int	false	"page number (from 1)"
//	@Param			per_page	query		int	false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[Post]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Failure		404			{object}	ErrorBody
//	@Router			/flicket-api/posts/{ticket_id}/ [get]
func (s *Server) listPosts(c echo.Context) error {
	ticketID, err := pathID(c, "ticket_id", "The ticket")
	if err != nil {
		return err
	}
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	t, err := model.FindTicket(c.Request().Context(), s.db, ticketID)
	if err != nil {
		return notFoundAs(err, "The ticket")
	}
	env, err := s.postsPage(c, t, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, env)
}

// postsPage is one page of ticket t's replies as GET /posts/{ticket_id}/
// answers it (and ?include=posts of GET /ticket/{id}).
func (s *Server) postsPage(c echo.Context, t *model.Ticket, p pageRequest) (Envelope[Post], error) {
	posts, total, err := model.ListPosts(c.Request().Context(), s.db, t.ID, p.Offset(), p.PerPage)
	if err != nil {
		return Envelope[Post]{}, err
	}
	out, err := s.postsJSON(c, t, posts)
	if err != nil {
		return Envelope[Post]{}, err
	}
	return newEnvelope(out, p, total, s.links(c).list(fmt.Sprintf("/posts/%d/", t.ID), pathPaged, c)), nil
}

// getPost godoc
//
//	@Summary	Get a reply
//	@Tags		posts
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		int	true	"reply id"
//	@Success	200	{object}	Post
//	@Failure	401	{object}	ErrorBody
//	@Failure	404	{object}	ErrorBody
//	@Router		/flicket-api/post/{id} [get]
func (s *Server) getPost(c echo.Context) error {
	id, err := pathID(c, "id", "The reply")
	if err != nil {
		return err
	}
	p, err := model.FindPost(c.Request().Context(), s.db, id)
	if err != nil {
		return notFoundAs(err, "The reply")
	}
	return s.respondPost(c, http.StatusOK, p)
}

// CreatePostRequest is a new reply. status_id and ticket_priority_id change
// the ticket (Closed is refused: use POST /ticket/{id}/close).
type CreatePostRequest struct {
	Content          string   `json:"content" validate:"required,nonblank,max=5000" example:"Restarting the service fixed it."`
	Hours            *float64 `json:"hours,omitempty" validate:"omitempty,gte=0,lte=9999.99" example:"0.5"`
	StatusID         *int64   `json:"status_id,omitempty" example:"3"`
	TicketID         int64    `json:"ticket_id" validate:"required" example:"1"`
	TicketPriorityID *int64   `json:"ticket_priority_id,omitempty" example:"2"`
} // @name CreatePostRequest

// createPost godoc
//
//	@Summary		Reply to a ticket
//	@Description	Anyone may reply to any ticket. A reply to a Closed ticket reopens it (action reopen). status_id / ticket_priority_id change the ticket (actions status / priority attached to the new reply). The replier is subscribed; subscribers are notified.
//	@Tags			posts
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		CreatePostRequest	true	"the reply"
//	@Param			Idempotency-Key	header		string	false	"a fresh key per create (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Success		201		{object}	Post
//	@Header			201		{string}	Location	"absolute URL of the new reply"
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Router			/flicket-api/posts [post]
func (s *Server) createPost(c echo.Context) error {
	var req CreatePostRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	in := model.PostInput{Content: req.Content, ContentHTML: s.renderHTML(req.Content), StatusID: req.StatusID, PriorityID: req.TicketPriorityID}
	if req.Hours != nil {
		in.Hours = model.HoursFromFloat(*req.Hours)
	}
	ctx := c.Request().Context()
	me := currentUser(c)
	var post *model.Post
	err := s.write(ctx, func(tx *model.Tx) error {
		var err error
		post, err = model.CreatePost(ctx, tx, req.TicketID, me, in)
		return err
	})
	if err != nil {
		return err
	}
	l := s.links(c)
	c.Response().Header().Set(echo.HeaderLocation, l.to("/post/%d", post.ID))
	// Built from what the request already holds, not read back: the
	// author is the caller (as the token check read them), a reply sent as
	// JSON has no attachments, and its ticket is open (see CanAsCreated).
	return c.JSON(http.StatusCreated, s.postJSON(l, post, post.CanAsCreated(me), map[int64]*model.User{me.ID: me}, nil))
}

// UpdatePostRequest edits a reply; absent fields are unchanged.
type UpdatePostRequest struct {
	Content          *string  `json:"content,omitempty" validate:"omitempty,nonblank,max=5000"`
	Hours            *float64 `json:"hours,omitempty" validate:"omitempty,gte=0,lte=9999.99"`
	StatusID         *int64   `json:"status_id,omitempty"`
	TicketPriorityID *int64   `json:"ticket_priority_id,omitempty"`
} // @name UpdatePostRequest

// updatePost godoc
//
//	@Summary		Edit a reply
//	@Description	The author or an administrator, while the ticket is not closed. A content change keeps the previous text in the history. status_id / ticket_priority_id change the ticket (Closed is refused).
//	@Tags			posts
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		int					true	"reply id"
//	@Param			body	body		UpdatePostRequest	true	"the fields to change"
//	@Success		200		{object}	Post
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/post/{id} [patch]
func (s *Server) updatePost(c echo.Context) error {
	id, err := pathID(c, "id", "The reply")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := model.FindPost(ctx, s.db, id)
	if err != nil {
		return notFoundAs(err, "The reply")
	}
	var req UpdatePostRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	in := model.PostEdit{Content: req.Content, ContentHTML: s.renderHTMLPtr(req.Content), StatusID: req.StatusID, PriorityID: req.TicketPriorityID}
	if req.Hours != nil {
		h := model.HoursFromFloat(*req.Hours)
		in.Hours = &h
	}
	me := currentUser(c)
	err = s.write(ctx, func(tx *model.Tx) error {
		var err error
		p, err = model.EditPost(ctx, tx, id, me, in)
		return err
	})
	if err != nil {
		return notFoundAs(err, "The reply")
	}
	return s.respondPost(c, http.StatusOK, p)
}

// deletePost godoc
//
//	@Summary		Delete a reply
//	@Description	The author or an administrator. The reply's attachments and edit history go with it; the ticket's reply count and hours and the author's post count follow.
//	@Tags			posts
//	@Security		BearerAuth
//	@Param			id	path	int	true	"reply id"
//	@Success		204
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Failure		404	{object}	ErrorBody
//	@Router			/flicket-api/post/{id} [delete]
func (s *Server) deletePost(c echo.Context) error {
	id, err := pathID(c, "id", "The reply")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := model.FindPost(ctx, s.db, id)
	if err != nil {
		return notFoundAs(err, "The reply")
	}
	me := currentUser(c)
	if err := p.CanDelete(me); err != nil {
		return err
	}
	var names []string
	err = s.write(ctx, func(tx *model.Tx) error {
		var err error
		names, err = model.DeletePost(ctx, tx, id, me)
		return err
	})
	if err != nil {
		return notFoundAs(err, "The reply")
	}
	s.removeFiles(c, names...)
	return c.NoContent(http.StatusNoContent)
}

// removeFiles deletes attachment files whose rows are gone. A failure is
// logged, not returned: the rows are committed, and a leftover file is
// harmless (it is no longer reachable).
func (s *Server) removeFiles(c echo.Context, names ...string) {
	if err := s.files.RemoveAll(names...); err != nil {
		requestLogger(c, s.log).Warn("remove attachment files", "err", err, "files", names)
	}
}

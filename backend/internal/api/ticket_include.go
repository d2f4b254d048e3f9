package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// TicketWithParts is GET /ticket/{id}'s answer: the ticket, every field as
// without ?include=, and beside them the parts include asked for, each in
// the shape its own endpoint answers (absent when not asked for). It is what
// the web app's ticket page draws first, in one round trip.
type TicketWithParts struct {
	TicketDetail
	// Posts is the page of replies GET /posts/{id}/{page}/ gives: the page
	// holding `post` when it names a reply of the ticket, else `page`.
	Posts *Envelope[Post] `json:"posts,omitempty"`
	// Actions is the activity log's first 100, as GET /actions/{id}?per_page=100.
	Actions *Envelope[Action] `json:"actions,omitempty"`
	// Subscribers are the first 100, as GET /subscriptions/{id}/?per_page=100.
	Subscribers *Envelope[Subscription] `json:"subscribers,omitempty"`
	// Uploads are the ticket's first 100 attachments, as GET
	// /uploads/?ticket_id={id}&per_page=100.
	Uploads *Envelope[Upload] `json:"uploads,omitempty"`
	// Seen is the caller's mark as it stands (GET does not move it).
	Seen *TicketSeenState `json:"seen,omitempty"`
} // @name TicketWithParts

// TicketSeenState is the caller's mark on a ticket as it stands, and what is
// new to them since: what PUT /ticket/{id}/seen would answer in new_replies
// and first_unread_post_id, without moving the mark.
type TicketSeenState struct {
	LastSeenPostID *int64 `json:"last_seen_post_id" extensions:"x-nullable" example:"17"`
	// SeenAt is null when the caller never opened the ticket.
	SeenAt            *Time  `json:"seen_at" extensions:"x-nullable" example:"Mon, 25 Nov 2024 09:00:00 GMT"`
	NewReplies        int64  `json:"new_replies" example:"3"`
	FirstUnreadPostID *int64 `json:"first_unread_post_id" extensions:"x-nullable" example:"15"`
} // @name TicketSeenState

// ticketPart is one value of ?include=.
type ticketPart uint8

const (
	partPosts ticketPart = 1 << iota
	partActions
	partSubscribers
	partUploads
	partSeen
)

// ticketPartNames are include's values, in the order the error lists them.
var ticketPartNames = []string{"posts", "actions", "subscribers", "uploads", "seen"}

// ticketParts reads ?include=, a comma-separated list of ticketPartNames
// (also repeated: include=posts&include=seen). Anything else is a 400 on
// include.
func ticketParts(c echo.Context) (ticketPart, error) {
	var parts ticketPart
	for _, raw := range c.QueryParams()["include"] {
		for _, name := range strings.Split(raw, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			i := slices.Index(ticketPartNames, name)
			if i < 0 {
				return 0, errQuery("include", "oneof", "include must list some of: %s.", strings.Join(ticketPartNames, ", ")).
					with(map[string]any{"values": ticketPartNames})
			}
			parts |= 1 << i
		}
	}
	return parts, nil
}

// firstHundred is the page the 100-item parts are read at: the web app reads
// them whole, and at most 100 is what their endpoints give at once.
var firstHundred = pageRequest{Page: 1, PerPage: MaxPerPage}

// respondTicketWithParts answers GET /ticket/{id}?include=...: the ticket
// read once (FindTicketDetail), then each part through the function its
// own endpoint answers with, so its shape, links and the caller's can are
// the same.
func (s *Server) respondTicketWithParts(c echo.Context, id int64, parts ticketPart) error {
	// The replies' paging is read before anything: a bad value costs no query.
	var posts pageRequest
	var wantPost postWanted
	if parts&partPosts != 0 {
		var err error
		if posts, err = s.pageParams(c); err != nil {
			return err
		}
		if wantPost, err = readPostWanted(c); err != nil {
			return err
		}
	}
	ctx := c.Request().Context()
	detail, v, err := s.ticketDetail(c, id)
	if err != nil {
		return err
	}
	me := currentUser(c)
	out := TicketWithParts{TicketDetail: detail}
	var seen *model.SeenResult
	if parts&partSeen != 0 || wantPost.unread {
		if seen, err = model.PeekTicketSeen(ctx, s.db, id, me); err != nil {
			return err
		}
	}
	if parts&partSeen != 0 {
		out.Seen = &TicketSeenState{NewReplies: seen.NewReplies, FirstUnreadPostID: seen.FirstUnreadPostID}
		if seen.Previous != nil {
			out.Seen.LastSeenPostID = seen.Previous.LastSeenPostID
			out.Seen.SeenAt = apiTimePtr(&seen.Previous.SeenAt)
		}
	}
	if parts&partPosts != 0 {
		target := wantPost.id
		if wantPost.unread {
			target = seen.FirstUnreadPostID
		}
		if target != nil {
			index, ok, err := model.PostIndex(ctx, s.db, id, *target)
			if err != nil {
				return err
			}
			if ok {
				posts.Page = int(index/int64(posts.PerPage)) + 1
			}
		}
		env, err := s.postsPage(c, &v.Ticket, posts)
		if err != nil {
			return err
		}
		out.Posts = &env
	}
	if parts&partActions != 0 {
		env, err := s.actionsPage(c, id, firstHundred)
		if err != nil {
			return err
		}
		out.Actions = &env
	}
	l := s.links(c)
	if parts&partSubscribers != 0 {
		env, err := s.subscriptionsPage(c, &id, firstHundred, l.list(fmt.Sprintf("/subscriptions/%d/", id), pathPaged, c))
		if err != nil {
			return err
		}
		out.Subscribers = &env
	}
	if parts&partUploads != 0 {
		list := lister{base: l.base, path: "/uploads/", style: pathPaged, keep: url.Values{"ticket_id": {strconv.FormatInt(id, 10)}}}
		env, err := s.uploadsPage(c, model.UploadFilter{TicketID: &id}, firstHundred, list)
		if err != nil {
			return err
		}
		out.Uploads = &env
	}
	return c.JSON(http.StatusOK, out)
}

// postWanted is ?post=: a reply's id, or unread for the caller's first
// unread reply.
type postWanted struct {
	id     *int64
	unread bool
}

func readPostWanted(c echo.Context) (postWanted, error) {
	switch raw := c.QueryParam("post"); raw {
	case "":
		return postWanted{}, nil
	case "unread":
		return postWanted{unread: true}, nil
	default:
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id < 1 {
			return postWanted{}, errQuery("post", "integer", "post must be a reply's id (a positive whole number) or unread.")
		}
		return postWanted{id: &id}, nil
	}
}

package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/search"
)

// ticketListParams are the list's filters and sort, repeated in its links.
var ticketListParams = []string{
	"department", "category", "status", "priority", "user", "assigned_id", "created_id",
	"q", "view", "state", "sort",
}

// maxTicketSearchLength caps q: a longer text is not a search anyone types.
const maxTicketSearchLength = 200

// ticketQuery reads the list's filters and sort (shared by the list and the
// CSV export). A malformed value, or one naming nothing, is a 400 naming the
// parameter. A name is looked up; an id is checked only with checkIDs: the
// list filters by it unchecked, and asks whether it names anything only if
// nothing matched (one query less per filter on every other request).
func (s *Server) ticketQuery(c echo.Context, checkIDs bool) (model.TicketFilter, model.TicketSort, error) {
	var f model.TicketFilter
	// PostgreSQL refuses NUL in text, and no name or search holds one or
	// broken UTF-8: refuse them here rather than as a database error.
	for _, name := range ticketListParams {
		if v := c.QueryParam(name); strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) {
			return f, model.TicketSort{}, errQuery(name, "invalid", "%s must be valid UTF-8 text without NUL characters.", name)
		}
	}
	ctx := c.Request().Context()
	db := s.db

	// lookup resolves a parameter holding an id or an exact name.
	lookup := func(name string, find func(id int64, byName string) (int64, error)) (*int64, error) {
		raw := strings.TrimSpace(c.QueryParam(name))
		if raw == "" {
			return nil, nil
		}
		var id int64
		byName := raw
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
			if n < 1 {
				return nil, errQuery(name, "invalid", "%s must be a positive id or a name.", name)
			}
			id, byName = n, ""
			if !checkIDs {
				return &id, nil
			}
		}
		got, err := find(id, byName)
		if errors.Is(err, model.ErrNotFound) {
			return nil, errQuery(name, "not_found", "%s %q names no %s.", name, raw, name)
		}
		if err != nil {
			return nil, err
		}
		return &got, nil
	}

	var err error
	for _, p := range []struct {
		name string
		dst  **int64
		find func(context.Context, *gorm.DB, int64, string) (int64, error)
	}{
		{"department", &f.DepartmentID, model.FindDepartmentID},
		{"status", &f.StatusID, model.FindStatusID},
		{"priority", &f.PriorityID, model.FindPriorityID},
		{"user", &f.UserID, model.FindUserID},
	} {
		if *p.dst, err = lookup(p.name, func(id int64, name string) (int64, error) {
			return p.find(ctx, db, id, name)
		}); err != nil {
			return f, model.TicketSort{}, err
		}
	}
	// A category name can name one category in each of several departments.
	cat, err := lookup("category", func(id int64, name string) (int64, error) {
		ids, err := model.FindCategoryIDs(ctx, db, id, name)
		f.CategoryIDs = ids
		return 0, err
	})
	if err != nil {
		return f, model.TicketSort{}, err
	}
	if cat != nil && f.CategoryIDs == nil {
		f.CategoryIDs = []int64{*cat} // an unchecked id
	}
	for _, p := range []struct {
		name string
		dst  **int64
	}{{"assigned_id", &f.AssignedID}, {"created_id", &f.CreatedID}} {
		id, ok, err := queryID(c, p.name)
		if err != nil {
			return f, model.TicketSort{}, err
		}
		if !ok {
			continue
		}
		if !checkIDs {
			*p.dst = &id
			continue
		}
		if _, err := model.FindUserID(ctx, db, id, ""); errors.Is(err, model.ErrNotFound) {
			return f, model.TicketSort{}, errQuery(p.name, "not_found", "%s %d names no user.", p.name, id)
		} else if err != nil {
			return f, model.TicketSort{}, err
		}
		*p.dst = &id
	}

	f.Q = strings.TrimSpace(c.QueryParam("q"))
	if len([]rune(f.Q)) > maxTicketSearchLength {
		return f, model.TicketSort{}, errQuery("q", "max", "q must be at most %d characters long.", maxTicketSearchLength).
			with(map[string]any{"max": maxTicketSearchLength, "unit": "characters"})
	}
	if f.Q != "" {
		f.Search, err = model.NewTicketSearch(ctx, db, f.Q)
		if errors.Is(err, model.ErrSearchNoWords) {
			return f, model.TicketSort{}, errQuery("q", "no_words", "q must contain a letter or a digit to search for.")
		}
		if err != nil {
			return f, model.TicketSort{}, err
		}
		f.Search.CountLimit = s.searchCountLimit
		f.Search.RankLimit = s.searchRankLimit
	}
	me := currentUser(c)
	switch v := c.QueryParam("view"); v {
	case "":
	case "mine":
		f.MineOf = &me.ID
	case "subscribed":
		f.SubscribedBy = &me.ID
	case "waiting":
		f.WaitingOn = &me.ID
	default:
		return f, model.TicketSort{}, errQuery("view", "oneof", "view must be one of: mine, subscribed, waiting.").
			with(map[string]any{"values": []string{"mine", "subscribed", "waiting"}})
	}
	switch st := c.QueryParam("state"); st {
	case "", model.StateOpen, model.StateClosed:
		f.State = st
	default:
		return f, model.TicketSort{}, errQuery("state", "oneof", "state must be one of: open, closed.").
			with(map[string]any{"values": []string{model.StateOpen, model.StateClosed}})
	}
	var sort model.TicketSort
	if raw := c.QueryParam("sort"); raw != "" {
		var ok bool
		if sort, ok = model.ParseTicketSort(raw); !ok {
			return f, sort, errQuery("sort", "oneof", "sort must be one of: %s.", strings.Join(model.TicketSortKeys(), ", ")).
				with(map[string]any{"values": model.TicketSortKeys()})
		}
	}
	return f, sort, nil
}

// listTicketsPage godoc (documentation only: listTickets serves both routes).
//
//	@Summary		List tickets (page in the path)
//	@Description	The same list as /tickets/, with the page in the path as the original's links give it.
//	@Tags			tickets
//	@Produce		json
//	@Security		BearerAuth
//	@Param			page		path		int		true	"page number (from 1)"	minimum(1)
//	@Param			department	query		string	false	"department id or name"
//	@Param			category	query		string	false	"category id or name"
//	@Param			status		query		string	false	"status id or name"
//	@Param			priority	query		string	false	"priority id or name"
//	@Param			user		query		string	false	"creator or assignee: user id or username"
//	@Param			assigned_id	query		int		false	"assignee's user id"
//	@Param			created_id	query		int		false	"creator's user id"
//	@Param			q			query		string	false	"search: every word in the title, the body or a reply, case and accents ignored; \"phrases\", -excluded words; 123 or #123 puts that ticket first; without sort, best matches first"
//	@Param			view		query		string	false	"mine: created by or assigned to me; subscribed: I am subscribed; waiting: open, created by me, the latest reply someone else's"	Enums(mine, subscribed, waiting)
//	@Param			state		query		string	false	"open: every status but Closed; closed: Closed only"				Enums(open, closed)
//	@Param			sort		query		string	false	"sort key (ties by id ascending)"									Enums(priority, priority_desc, title, title_desc, ticketid, ticketid_desc, addedby, addedby_desc, addedon, addedon_desc, last_updated, last_updated_desc, replies, replies_desc, department_category, department_category_desc, status, status_desc, assigned, assigned_desc, time, time_desc)
//	@Param			per_page	query		int		false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[TicketListItem]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Failure		404			{object}	ErrorBody
//	@Failure		503			{object}	ErrorBody	"search.not_ready: the search index is being built (q only)"
//	@Router			/flicket-api/tickets/{page}/ [get]
func _() {}

// listTickets godoc
//
//	@Summary		List tickets
//	@Description	Every ticket by id unless filtered or sorted. Each item's unread is true when the caller never opened the ticket or it changed since they last did (PUT /ticket/{id}/seen). department, category, status and priority take an id or an exact name (a category name matches that category in every department); user is a user id or username and matches the creator or the assignee. The page may also be given in the path: /tickets/{page}/. Links keep every filter. With q (a search), each item also carries snippet (plain text around the match), snippet_highlights ([start, end) offsets of the matched words in snippet, in UTF-16 code units as JavaScript counts) and matched_post_id (the reply that matched, else null), and _meta.total_capped is present: total_items is exact up to 1,000 matches; above that it is 1,000 and total_capped is true (pages past it still answer).
//	@Tags			tickets
//	@Produce		json
//	@Security		BearerAuth
//	@Param			department	query		string	false	"department id or name"
//	@Param			category	query		string	false	"category id or name"
//	@Param			status		query		string	false	"status id or name"
//	@Param			priority	query		string	false	"priority id or name"
//	@Param			user		query		string	false	"creator or assignee: user id or username"
//	@Param			assigned_id	query		int		false	"assignee's user id"
//	@Param			created_id	query		int		false	"creator's user id"
//	@Param			q			query		string	false	"search: every word in the title, the body or a reply, case and accents ignored; \"phrases\", -excluded words; 123 or #123 puts that ticket first; without sort, best matches first"
//	@Param			view		query		string	false	"mine: created by or assigned to me; subscribed: I am subscribed; waiting: open, created by me, the latest reply someone else's"	Enums(mine, subscribed, waiting)
//	@Param			state		query		string	false	"open: every status but Closed; closed: Closed only"				Enums(open, closed)
//	@Param			sort		query		string	false	"sort key (ties by id ascending)"									Enums(priority, priority_desc, title, title_desc, ticketid, ticketid_desc, addedby, addedby_desc, addedon, addedon_desc, last_updated, last_updated_desc, replies, replies_desc, department_category, department_category_desc, status, status_desc, assigned, assigned_desc, time, time_desc)
//	@Param			page		query		int		false	"page number (from 1)"
//	@Param			per_page	query		int		false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[TicketListItem]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Failure		503			{object}	ErrorBody	"search.not_ready: the search index is being built (q only)"
//	@Router			/flicket-api/tickets/ [get]
func (s *Server) listTickets(c echo.Context) error {
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	f, sort, err := s.ticketQuery(c, false)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	items, total, matches, err := s.listPage(ctx, f, sort, p)
	if err != nil {
		return err
	}
	if total == 0 {
		// Nothing matched: an id that names nothing is the client's error.
		if _, _, err := s.ticketQuery(c, true); err != nil {
			return err
		}
	}
	// Unread flags: one keyed read of the caller's marks for the page's
	// ids, beside the page query rather than joined into it.
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	seen, err := model.SeenMarks(ctx, s.db, currentUser(c).ID, ids)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]TicketListItem, len(items))
	for i := range items {
		out[i].Ticket = s.ticketJSON(l, &items[i])
		out[i].Unread = seen[items[i].ID].Unread(items[i].LastUpdated)
		if m, ok := matches[items[i].ID]; ok {
			out[i].SearchMatch = &SearchMatch{Snippet: m.Text, SnippetHighlights: m.Highlights, MatchedPostID: m.PostID}
		}
	}
	env := newEnvelope(out, p, total, l.list("/tickets/", pathPaged, c, ticketListParams...))
	if f.Search != nil {
		env.Meta.TotalCapped = &f.Search.Capped
	}
	return c.JSON(http.StatusOK, env)
}

// listPage reads a page of the list and, for a search, why each of its
// tickets matched; a search first waits for its turn (searchTurn).
func (s *Server) listPage(ctx context.Context, f model.TicketFilter, sort model.TicketSort, p pageRequest) ([]model.TicketView, int64, map[int64]search.Match, error) {
	done, err := s.searchTurn(ctx, f)
	if err != nil {
		return nil, 0, nil, err
	}
	defer done()
	items, total, err := model.ListTickets(ctx, s.db, f, sort, p.Offset(), p.PerPage)
	if err != nil || f.Search == nil {
		return items, total, nil, err
	}
	matches, err := model.SearchMatches(ctx, s.db, f.Search.Query, items)
	return items, total, matches, err
}

// searchTurn waits, for a search, until fewer than FLICKET_DB_SEARCHES
// others run (in arrival order; see model.DefaultSearches), and returns
// what ends its turn. Anything else goes through at once: a list or a
// ticket never waits behind searches.
func (s *Server) searchTurn(ctx context.Context, f model.TicketFilter) (done func(), err error) {
	if f.Search == nil {
		return func() {}, nil
	}
	if err := s.searches.Enter(ctx); err != nil {
		return nil, fmt.Errorf("wait for a search's turn: %w", err)
	}
	return s.searches.Leave, nil
}

// TicketListItem is a ticket of the list. On a search (q) it also says why
// it matched: its snippet fields are present on search results only.
type TicketListItem struct {
	Ticket
	// Unread: the caller never opened the ticket, or it changed since they
	// last did (PUT /ticket/{id}/seen); their own changes do not count.
	// Always sent by the list; optional in the schema so that a ticket of
	// another answer (TicketDetail) still fits the type.
	Unread bool `json:"unread" binding:"optional" example:"true"`
	*SearchMatch
} // @name Ticket

// SearchMatch says why a ticket is in a search's results.
type SearchMatch struct {
	// Snippet is plain text (never HTML; markdown marks removed, white space
	// collapsed) of about 200 characters around the first match in the text
	// that matched best: the body, the title, or a reply (matched_post_id).
	// "…" marks where the text is cut. Without a matched word (a match by
	// ticket number, or exclusions only) it is the start of the body.
	Snippet string `json:"snippet" binding:"optional" example:"…the printer in the hall jams every morning…"`
	// SnippetHighlights are the matched words (a phrase is one range) as
	// [start, end) offsets into snippet in UTF-16 code units, as JavaScript
	// indexes strings: snippet.slice(start, end) is the word. Sorted, not
	// overlapping.
	SnippetHighlights [][2]int `json:"snippet_highlights" binding:"optional" swaggertype:"array,array,integer"`
	// MatchedPostID is the reply the snippet comes from when a reply matched
	// the query better than the ticket's title and body (holding more of its
	// words); null when the ticket itself matched.
	MatchedPostID *int64 `json:"matched_post_id" binding:"optional" extensions:"x-nullable" example:"17"`
} // @name SearchMatch

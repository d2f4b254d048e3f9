package api

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
)

// MaxPerPage caps per_page, as the original does.
const MaxPerPage = 100

// maxPage keeps offsets far from integer overflow.
const maxPage = 1_000_000_000

// Envelope is the original Flicket's paginated list shape.
type Envelope[T any] struct {
	Links Links `json:"_links"`
	Meta  Meta  `json:"_meta"`
	Items []T   `json:"items"`
}

// Meta describes the page.
type Meta struct {
	Page       int   `json:"page" example:"1"`
	PerPage    int   `json:"per_page" example:"50"`
	TotalItems int64 `json:"total_items" example:"4"`
	TotalPages int64 `json:"total_pages" example:"1"`
	// TotalCapped is on search results only (the ticket list with q): true
	// when the matches were counted only up to the search's count limit
	// (1,000): total_items is that limit and there are more.
	TotalCapped *bool `json:"total_capped,omitempty" example:"false"`
} // @name Meta

// Links are absolute URLs to this page and its neighbours (null at the ends).
type Links struct {
	Next *string `json:"next" extensions:"x-nullable"`
	Prev *string `json:"prev" extensions:"x-nullable"`
	Self string  `json:"self"`
} // @name PageLinks

// pageRequest is a parsed page/per_page pair.
type pageRequest struct {
	Page    int
	PerPage int
}

// Offset is the number of rows before this page.
func (p pageRequest) Offset() int { return (p.Page - 1) * p.PerPage }

// pageStyle says how a list names its page in links.
type pageStyle int

const (
	// queryPaged lists link as /users/?page=2&per_page=50.
	queryPaged pageStyle = iota
	// pathPaged lists link as /tickets/2/?per_page=50 (the original's tickets,
	// posts, priorities, subscriptions, uploads and histories).
	pathPaged
)

// pageParams reads page and per_page. The page comes from the :page path
// segment when the route has one, else from ?page=. per_page defaults to the
// configured page size and is capped at MaxPerPage.
func (s *Server) pageParams(c echo.Context) (pageRequest, error) {
	settings, err := s.settings.Get(c.Request().Context())
	if err != nil {
		return pageRequest{}, err
	}
	p := pageRequest{Page: 1, PerPage: settings.PostsPerPage}
	if raw := c.Param("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			return p, errNotFound("The page")
		}
		if n < 1 {
			return p, errQuery("page", "min", "page must be 1 or more.").with(map[string]any{"min": 1})
		}
		if n > maxPage {
			return p, errQuery("page", "max", "page must be at most %d.", maxPage).with(map[string]any{"max": maxPage})
		}
		p.Page = n
	} else if raw := c.QueryParam("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			return p, errQuery("page", "integer", "page must be a whole number.")
		}
		if n < 1 {
			return p, errQuery("page", "min", "page must be 1 or more.").with(map[string]any{"min": 1})
		}
		if n > maxPage {
			return p, errQuery("page", "max", "page must be at most %d.", maxPage).with(map[string]any{"max": maxPage})
		}
		p.Page = n
	}
	if raw := c.QueryParam("per_page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			return p, errQuery("per_page", "integer", "per_page must be a whole number.")
		}
		if n < 1 {
			return p, errQuery("per_page", "min", "per_page must be 1 or more.").with(map[string]any{"min": 1})
		}
		p.PerPage = n
	}
	if p.PerPage > MaxPerPage {
		p.PerPage = MaxPerPage
	}
	if p.PerPage < 1 {
		p.PerPage = 1
	}
	return p, nil
}

// lister builds the links of one list endpoint.
type lister struct {
	base  string     // absolute base URL, no trailing slash
	path  string     // the list path with a trailing slash, e.g. /flicket-api/tickets/
	style pageStyle  // where the page number goes
	keep  url.Values // filters repeated in every link
}

func (l lister) url(page, perPage int) string {
	q := url.Values{}
	for k, v := range l.keep {
		q[k] = v
	}
	q.Set("per_page", strconv.Itoa(perPage))
	if l.style == pathPaged {
		return fmt.Sprintf("%s%s%d/?%s", l.base, l.path, page, q.Encode())
	}
	q.Set("page", strconv.Itoa(page))
	return l.base + l.path + "?" + q.Encode()
}

// newEnvelope wraps one page of items with its metadata and links. A page past
// the end has no items but still answers 200.
func newEnvelope[T any](items []T, p pageRequest, total int64, l lister) Envelope[T] {
	if items == nil {
		items = []T{}
	}
	pages := (total + int64(p.PerPage) - 1) / int64(p.PerPage)
	env := Envelope[T]{
		Items: items,
		Meta:  Meta{Page: p.Page, PerPage: p.PerPage, TotalItems: total, TotalPages: pages},
		Links: Links{Self: l.url(p.Page, p.PerPage)},
	}
	if int64(p.Page) < pages {
		next := l.url(p.Page+1, p.PerPage)
		env.Links.Next = &next
	}
	if p.Page > 1 {
		prevPage := p.Page - 1
		if int64(prevPage) > pages && pages > 0 {
			prevPage = int(pages)
		}
		prev := l.url(prevPage, p.PerPage)
		env.Links.Prev = &prev
	}
	return env
}

// keepQuery copies the named query parameters that are present, for links.
func keepQuery(c echo.Context, names ...string) url.Values {
	v := url.Values{}
	for _, n := range names {
		if raw := c.QueryParam(n); raw != "" {
			v.Set(n, raw)
		}
	}
	return v
}

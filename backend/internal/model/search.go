package model

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/search"
)

// ErrSearchNotReady says the search index is still being filled (see
// `flicket search reindex`); searching would miss tickets.
var ErrSearchNotReady = search.ErrNotReady

// ErrSearchNoWords says the search has no letter or digit to look for.
var ErrSearchNoWords = errors.New("the search has no words")

// SearchCountLimit is how many matches a search counts at most: up to it
// total_items is exact; above it the count stops there and Capped is set
// (counting every match of a word found in most tickets would cost as much
// as reading them all).
const SearchCountLimit = 10000

// TicketSearch is a parsed q for the ticket list, on one database.
type TicketSearch struct {
	Query search.Query
	// CountLimit is how far CountTickets counts the matches (0:
	// SearchCountLimit); Capped is set when it stopped there.
	CountLimit int
	Capped     bool
	dialect    string
}

// NewTicketSearch parses q for db: ErrSearchNoWords when it has no letter
// or digit, ErrSearchNotReady while the index is being filled.
func NewTicketSearch(ctx context.Context, db *gorm.DB, q string) (*TicketSearch, error) {
	parsed := search.Parse(q)
	if parsed.Empty() {
		return nil, ErrSearchNoWords
	}
	ready, err := search.Ready(ctx, db)
	if err != nil {
		return nil, err
	}
	if !ready {
		return nil, ErrSearchNotReady
	}
	return &TicketSearch{Query: parsed, dialect: db.Name()}, nil
}

// searchCondition is the filter's text-search condition. A Q without its
// parsed Search matches nothing rather than everything.
func (f TicketFilter) searchCondition() (string, []any) {
	if f.Search == nil {
		return "1 = 0", nil
	}
	return search.Condition(f.Search.dialect, f.Search.Query)
}

// orderBy is the list's ORDER BY: the sort's, or for a search the ticket
// it names by number first and, unless another order is asked for, the
// best matches next, newest first among equals.
func (f TicketFilter) orderBy(s TicketSort) (string, []any) {
	if f.Q == "" || f.Search == nil {
		return s.orderBy(), nil
	}
	byRelevance := s.Key == ""
	parts, args := search.Order(f.Search.dialect, f.Search.Query, byRelevance)
	if byRelevance {
		parts = append(parts, "tickets.id DESC")
	} else {
		parts = append(parts, s.orderBy())
	}
	return strings.Join(parts, ", "), args
}

// searchJoin is what a search adds to the page query's FROM clause.
func (f TicketFilter) searchJoin(s TicketSort) (string, []any) {
	if f.Q == "" || f.Search == nil {
		return "", nil
	}
	return search.Join(f.Search.dialect, f.Search.Query, s.Key == "")
}

// countSearch counts the matches of a search up to its CountLimit, and
// sets Capped when there are more.
func countSearch(ctx context.Context, db *gorm.DB, f TicketFilter) (int64, error) {
	limit := f.Search.CountLimit
	if limit <= 0 {
		limit = SearchCountLimit
	}
	cond, args := f.where()
	var n int64
	q := fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE %s LIMIT %d) capped", cond, limit+1)
	if err := db.WithContext(ctx).Raw(q, args...).Row().Scan(&n); err != nil {
		return 0, fmt.Errorf("count search matches: %w", err)
	}
	if n > int64(limit) {
		f.Search.Capped = true
		return int64(limit), nil
	}
	f.Search.Capped = false
	return n, nil
}

// SearchMatches says why each ticket of a search's page matched (see
// search.BestMatch): from the title and body the page holds, and from the
// replies of the tickets whose title and body lack a term, read in one
// keyed query for the page.
func SearchMatches(ctx context.Context, db *gorm.DB, q search.Query, items []TicketView) (map[int64]search.Match, error) {
	var need []int64
	for i := range items {
		if search.NeedsReplies(q, items[i].Content, items[i].Title) {
			need = append(need, items[i].ID)
		}
	}
	replies := map[int64][]search.Source{}
	if len(need) > 0 {
		rows, err := db.WithContext(ctx).Raw("SELECT id, ticket_id, content FROM posts WHERE ticket_id IN ? ORDER BY ticket_id, id", need).Rows()
		if err != nil {
			return nil, fmt.Errorf("read replies for snippets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, ticketID int64
			var content string
			if err := rows.Scan(&id, &ticketID, &content); err != nil {
				return nil, fmt.Errorf("read replies for snippets: %w", err)
			}
			replies[ticketID] = append(replies[ticketID], search.Source{PostID: &id, Text: content})
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read replies for snippets: %w", err)
		}
	}
	out := make(map[int64]search.Match, len(items))
	for i := range items {
		t := &items[i]
		sources := append([]search.Source{{Text: t.Content}, {Text: t.Title}}, replies[t.ID]...)
		out[t.ID] = search.BestMatch(q, sources)
	}
	return out, nil
}

// refreshSearch re-indexes a ticket after a change to its text, in the
// change's transaction.
func refreshSearch(ctx context.Context, tx *gorm.DB, ticketID int64) error {
	return search.Refresh(ctx, tx, ticketID)
}

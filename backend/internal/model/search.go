package model

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/search"
)

// ErrSearchNotReady says the search index is still being filled (see
// `flicket search reindex`); searching would miss tickets.
var ErrSearchNotReady = search.ErrNotReady

// ErrSearchNoWords says the search has no letter or digit to look for.
var ErrSearchNoWords = errors.New("the search has no words")

// TicketSearch is a parsed q for the ticket list, on one database.
type TicketSearch struct {
	Query   search.Query
	dialect string
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

// refreshSearch re-indexes a ticket after a change to its text, in the
// change's transaction.
func refreshSearch(ctx context.Context, tx *gorm.DB, ticketID int64) error {
	return search.Refresh(ctx, tx, ticketID)
}

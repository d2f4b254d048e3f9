package model

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

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

// orderTickets orders a list query: a search puts the ticket it names by
// number first and, unless another order is asked for, the best matches
// next, newest first among equals.
func orderTickets(q *gorm.DB, f TicketFilter, s TicketSort) *gorm.DB {
	if f.Q == "" || f.Search == nil {
		return q.Order(s.orderBy())
	}
	byRelevance := s.Key == ""
	parts, args := search.Order(f.Search.dialect, f.Search.Query, byRelevance)
	if byRelevance {
		parts = append(parts, "tickets.id DESC")
	} else {
		parts = append(parts, s.orderBy())
	}
	return q.Order(clause.OrderBy{Expression: clause.Expr{SQL: strings.Join(parts, ", "), Vars: args, WithoutParentheses: true}})
}

// refreshSearch re-indexes a ticket after a change to its text, in the
// change's transaction.
func refreshSearch(ctx context.Context, tx *gorm.DB, ticketID int64) error {
	return search.Refresh(ctx, tx, ticketID)
}

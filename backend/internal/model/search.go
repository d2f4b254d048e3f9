package model

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
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
const SearchCountLimit = 1000

// DefaultSearches is how many searches run at once on dialect unless told
// otherwise (FLICKET_DB_SEARCHES); the others wait their turn, in arrival
// order, at a Gate. At 16 connections on two cores, searches let through
// all at once share the CPU among them, so every one of them is slowed by
// all the others and the costly ones (two medium words) take seconds; in
// turn, each waits for the ones ahead of it only. At a million tickets
// p99 fell in 23 of 24 pairs of runs, by up to 72 %, at about the same
// throughput (README, Search speed). SQLite searches in the process
// itself: one per CPU keeps it busy. MariaDB and PostgreSQL also wait for
// pages and for the network: two per CPU.
func DefaultSearches(dialect string) int {
	if dialect == "sqlite" {
		return runtime.GOMAXPROCS(0)
	}
	return 2 * runtime.GOMAXPROCS(0)
}

// TicketSearch is a parsed q for the ticket list, on one database.
type TicketSearch struct {
	Query search.Query
	// CountLimit is how far CountTickets counts the matches (0:
	// SearchCountLimit); Capped is set when it stopped there.
	CountLimit int
	Capped     bool
	// RankLimit is how many of the newest matches are ranked (0:
	// RankCandidates).
	RankLimit int
	dialect   string
}

// NewTicketSearch parses q for db: ErrSearchNoWords when it has no letter
// or digit, ErrSearchNotReady while the index is being filled.
func NewTicketSearch(ctx context.Context, db *gorm.DB, q string) (*TicketSearch, error) {
	parsed := search.Parse(q)
	if parsed.Empty() {
		return nil, ErrSearchNoWords
	}
	st, err := search.ReadState(ctx, db)
	if err != nil {
		return nil, err
	}
	if !st.Ready {
		return nil, ErrSearchNotReady
	}
	parsed.Pairs = st.Pairs
	return &TicketSearch{Query: parsed, dialect: db.Name()}, nil
}

// searchCondition is the filter's text-search condition. A Q without its
// parsed Search matches nothing rather than everything.
func (f TicketFilter) searchCondition() (string, []any) {
	if f.Search == nil {
		return "1 = 0", nil
	}
	if f.Search.Query.Empty() && f.Search.Query.TicketID == 0 {
		return "1 = 1", nil // the included terms are checked elsewhere
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

func (s *TicketSearch) countLimit() int {
	if s.CountLimit <= 0 {
		return SearchCountLimit
	}
	return s.CountLimit
}

// countSearch counts the matches of a search up to its CountLimit, and
// sets Capped when there are more.
func countSearch(ctx context.Context, db *gorm.DB, f TicketFilter) (int64, error) {
	limit := f.Search.countLimit()
	var q string
	var args []any
	if sq := f.Search.Query; len(sq.Include) > 0 && sq.TicketID == 0 {
		// From the index's matches, joined to the tickets by key: the
		// count stops reading them at the limit.
		matches, mArgs := search.Matches(f.Search.dialect, sq)
		cond, cArgs := f.withoutIncludes().where()
		q = fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 FROM %s m JOIN tickets ON tickets.id = m.id WHERE %s LIMIT %d) capped", matches, cond, limit+1)
		args = append(mArgs, cArgs...)
		if f.onlyWords() {
			q, args = fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 FROM %s m LIMIT %d) capped", matches, limit+1), mArgs
		}
	} else {
		cond, cArgs := f.where()
		q = fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE %s LIMIT %d) capped", cond, limit+1)
		args = cArgs
	}
	var n int64
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
	pending := make([]*search.Matching, len(items))
	var need []int64
	for i := range items {
		pending[i] = search.StartMatch(q, search.Source{Text: items[i].Content}, search.Source{Text: items[i].Title})
		if !pending[i].Complete() {
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
		out[items[i].ID] = pending[i].Finish(replies[items[i].ID])
	}
	return out, nil
}

// refreshSearch re-indexes the ticket of a change to its text, in the
// change's transaction, from its title and body as the change leaves them
// (the locked row and what the change sets) and its replies.
func (c *ticketChange) refreshSearch(ctx context.Context, tx *gorm.DB) error {
	if !c.after.Exists {
		return search.Refresh(ctx, tx, c.t.ID)
	}
	title, content := c.t.Title, c.t.Content
	if v, ok := c.set["title"].(string); ok {
		title = v
	}
	if v, ok := c.set["content"].(string); ok {
		content = v
	}
	// A ticket created by this change has no replies yet.
	return search.RefreshTicket(ctx, tx, c.t.ID, title, content, c.before.Exists)
}

// RankCandidates is how many matches a search ranks by relevance: the
// newest ones, read from the index in id order (see search.Candidates).
// With more matches than that, the older ones follow the ranked ones,
// newest first, so every match is still listed.
const RankCandidates = 1000

// rankedSearch tells whether the list is a search in relevance order that
// listRankedSearch serves: words to look for, no sort, no ticket number.
func (f TicketFilter) rankedSearch(s TicketSort) bool {
	return f.Q != "" && f.Search != nil && s.Key == "" &&
		len(f.Search.Query.Include) > 0 && f.Search.Query.TicketID == 0
}

// onlyWords tells whether the filter is a search for words and nothing
// else (no filter, no exclusion, no ticket number): the index's matches are
// then the answer, with no ticket row to read to check them. The index
// holds exactly the tickets (kept in the same transaction as every write).
func (f TicketFilter) onlyWords() bool {
	return f.Search != nil && len(f.Search.Query.Include) > 0 &&
		len(f.Search.Query.Exclude) == 0 && f.Search.Query.TicketID == 0 && f.emptyBesidesSearch()
}

// withoutIncludes is the filter with the search's included terms left
// out (its exclusions stay): what is checked on the tickets once the index
// has given the matches.
func (f TicketFilter) withoutIncludes() TicketFilter {
	s := *f.Search
	s.Query.Include = nil
	f.Search = &s
	return f
}

// listRankedSearch is ListTickets for a search in relevance order. The
// newest RankCandidates matches come from the index with their score (one
// query, filters checked on those rows by key), and are ordered by score,
// then newest; the page is cut from them. Past them (more matches than
// that, and a page beyond the ranked ones) come the older matches, newest
// first, read from the index in id order. The count stops at the search's
// CountLimit.
func listRankedSearch(ctx context.Context, db *gorm.DB, f TicketFilter, offset, limit int) ([]TicketView, int64, error) {
	dialect := f.Search.dialect
	rest := f.withoutIncludes()
	restCond, restArgs := rest.where()

	rankLimit := f.Search.RankLimit
	if rankLimit <= 0 {
		rankLimit = RankCandidates
	}
	type ranked struct {
		id    int64
		score float64
	}
	// kept: the candidates that pass the filters, best first once sorted
	// (sorted in the database: the first offset+limit of them); matched:
	// how many passed; raw: how many candidates the index gave; oldest: the
	// lowest candidate id.
	var kept []ranked
	raw, matched := 0, 0
	oldest := int64(0)
	// Only words: the ticket rows are read for the page, not to check the
	// candidates (up to RankCandidates random reads of tickets at a
	// million), and every candidate is kept. SQLite and PostgreSQL also
	// order them and send the page's rows only, with the count and the
	// oldest id (sortInDB); MariaDB/MySQL sends every candidate, for Go to
	// order: under a window function its dense walk (see DenseCandidates)
	// served 2.5 times fewer searches (backend/bench/RESULTS.md).
	onlyWords := f.onlyWords()
	sortInDB := onlyWords && dialect != "mysql"
	rank := func(cands string, candArgs []any) error {
		kept, raw, matched, oldest = kept[:0], 0, 0, 0
		var q string
		var args []any
		switch {
		case sortInDB:
			q = fmt.Sprintf("SELECT c.id, c.score, 1, COUNT(*) OVER (), MIN(c.id) OVER () FROM %s c ORDER BY c.score DESC, c.id DESC LIMIT %d",
				cands, offset+limit)
			args = candArgs
		case onlyWords:
			q, args = fmt.Sprintf("SELECT c.id, c.score, 1 FROM %s c", cands), candArgs
		default:
			q = fmt.Sprintf("SELECT c.id, c.score, CASE WHEN %s THEN 1 ELSE 0 END FROM %s c JOIN tickets ON tickets.id = c.id", restCond, cands)
			args = slices.Concat(restArgs, candArgs)
		}
		rows, err := db.WithContext(ctx).Raw(q, args...).Rows()
		if err != nil {
			return fmt.Errorf("rank search matches: %w", err)
		}
		var r ranked
		var ok int
		var count, low int64 // sorted in the database: every candidate's count and lowest id
		dest := []any{&r.id, &r.score, &ok}
		if sortInDB {
			dest = append(dest, &count, &low)
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				_ = rows.Close()
				return fmt.Errorf("rank search matches: %w", err)
			}
			raw++
			if oldest == 0 || r.id < oldest {
				oldest = r.id
			}
			if ok == 1 {
				kept = append(kept, r)
			}
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("rank search matches: %w", err)
		}
		matched = len(kept)
		if sortInDB {
			raw, matched, oldest = int(count), int(count), low
		}
		return nil
	}
	// A word in many tickets may be found faster by walking the newest
	// documents (MariaDB/MySQL); a walk that ends short of rankLimit does
	// not tell the older matches, so the index is asked after all.
	dense, denseArgs, ok, err := search.DenseCandidates(ctx, db, f.Search.Query, rankLimit)
	if err != nil {
		return nil, 0, err
	}
	if ok {
		if err := rank(dense, denseArgs); err != nil {
			return nil, 0, err
		}
	}
	if !ok || raw < rankLimit {
		cands, candArgs := search.Candidates(dialect, f.Search.Query, rankLimit)
		if err := rank(cands, candArgs); err != nil {
			return nil, 0, err
		}
	}
	slices.SortFunc(kept, func(a, b ranked) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return cmpDesc(a.id, b.id)
	})
	var ids []int64
	for i := offset; i < len(kept) && i < offset+limit; i++ {
		ids = append(ids, kept[i].id)
	}
	full := raw >= rankLimit
	if full && len(ids) < limit {
		// Older matches than the ranked ones, newest first.
		matches, mArgs := search.Matches(dialect, f.Search.Query)
		skip := max(0, offset-matched)
		q := fmt.Sprintf("SELECT tickets.id FROM %s m JOIN tickets ON tickets.id = m.id WHERE m.id < ? AND %s ORDER BY m.id DESC LIMIT %d OFFSET %d",
			matches, restCond, limit-len(ids), skip)
		args := slices.Concat(mArgs, []any{oldest}, restArgs)
		if onlyWords {
			q = fmt.Sprintf("SELECT m.id FROM %s m WHERE m.id < ? ORDER BY m.id DESC LIMIT %d OFFSET %d", matches, limit-len(ids), skip)
			args = slices.Concat(mArgs, []any{oldest})
		}
		var older []int64
		if err := db.WithContext(ctx).Raw(q, args...).Scan(&older).Error; err != nil {
			return nil, 0, fmt.Errorf("list older search matches: %w", err)
		}
		ids = append(ids, older...)
	}

	var total int64
	if !full {
		// Every match was ranked: they are the count.
		total = int64(matched)
		limit := f.Search.countLimit()
		f.Search.Capped = total > int64(limit)
		total = min(total, int64(limit))
	} else if limit := f.Search.countLimit(); matched >= limit {
		// The ranked matches alone reach the limit.
		total, f.Search.Capped = int64(limit), true
	} else if total, err = countSearch(ctx, db, f); err != nil {
		return nil, 0, err
	}
	items := []TicketView{}
	if len(ids) > 0 {
		fields := ticketListFieldsWithBody
		if items, err = fields.scan(db.WithContext(ctx).Raw("SELECT "+fields.columns()+" FROM tickets WHERE tickets.id IN ?", ids), len(ids)); err != nil {
			return nil, 0, fmt.Errorf("list tickets: %w", err)
		}
		pos := make(map[int64]int, len(ids))
		for i, id := range ids {
			pos[id] = i
		}
		slices.SortFunc(items, func(a, b TicketView) int { return pos[a.ID] - pos[b.ID] })
	}
	if err := fillTicketNames(ctx, db, items); err != nil {
		return nil, 0, err
	}
	return items, total, nil
}

func cmpDesc(a, b int64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

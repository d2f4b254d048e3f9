package search

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// MariaDB/MySQL's InnoDB FULLTEXT holds words of innodb_ft_min_token_size
// (3 by default, changed only with a server restart) to
// innodb_ft_max_token_size (84) characters. Other words are found with
// LIKE over the stored document instead: same answers, slower.
const (
	mysqlMinToken = 3
	mysqlMaxToken = 84
)

// Condition is the SQL condition, over tickets.id, selecting the tickets the
// query matches on the dialect (gorm's Name: sqlite, postgres or mysql),
// with its arguments. The query must not be empty.
func Condition(dialect string, q Query) (string, []any) {
	var conds []string
	var args []any
	switch dialect {
	case "sqlite":
		if len(q.Include) > 0 {
			_, from := sqliteIncluded(q)
			conds = append(conds, "tickets.id IN (SELECT rowid FROM "+from+")")
		}
		if len(q.Exclude) > 0 {
			conds = append(conds, "tickets.id NOT IN (SELECT rowid FROM "+sqliteTable+" WHERE "+ftsMatch(sqliteTable, q.Exclude, " OR ")+")")
		}
	case "postgres":
		if len(q.Include) > 0 {
			rows, a := pgRows(q.Include, q.Pairs)
			conds = append(conds, "tickets.id IN (SELECT ticket_id FROM "+rows+" r)")
			args = append(args, a...)
		}
		if len(q.Exclude) > 0 {
			// Any excluded term: the words in one index scan, each phrase
			// through its pairs.
			var words, phrases []Term
			for _, t := range q.Exclude {
				if len(t) > 1 && q.Pairs {
					phrases = append(phrases, t)
				} else {
					words = append(words, t)
				}
			}
			var sets []string
			if len(words) > 0 {
				tsq, a := tsQuery(words, " || ")
				sets = append(sets, "SELECT ticket_id FROM "+serverTable+" WHERE doc @@ ("+tsq+")")
				args = append(args, a...)
			}
			for _, t := range phrases {
				rows, a := pgRows([]Term{t}, true)
				sets = append(sets, "SELECT ticket_id FROM "+rows+" r")
				args = append(args, a...)
			}
			conds = append(conds, "tickets.id NOT IN ("+strings.Join(sets, " UNION ALL ")+")")
		}
	default:
		if len(q.Include) > 0 {
			m := mysqlIncluded(q)
			conds = append(conds, "tickets.id IN (SELECT "+m.id+" FROM "+m.from+" WHERE "+m.where+")")
			args = append(args, m.args...)
		}
		if len(q.Exclude) > 0 {
			c, a := mysqlMatch(q.Exclude, false)
			conds = append(conds, "tickets.id NOT IN (SELECT ticket_id FROM "+serverTable+" WHERE "+c+")")
			args = append(args, a...)
		}
	}
	cond := strings.Join(conds, " AND ")
	if q.TicketID > 0 {
		cond = "(tickets.id = ? OR (" + cond + "))"
		args = append([]any{q.TicketID}, args...)
	}
	return cond, args
}

// Order is the ORDER BY of a search, before the list's own order: the
// ticket named by number first, then (when byRelevance) the best matches
// first. Ties are left to the caller (newest first for relevance).
func Order(dialect string, q Query, byRelevance bool) ([]string, []any) {
	var parts []string
	var args []any
	if q.TicketID > 0 {
		parts = append(parts, "CASE WHEN tickets.id = ? THEN 0 ELSE 1 END")
		args = append(args, q.TicketID)
	}
	if !byRelevance || len(q.Include) == 0 {
		return parts, args
	}
	switch dialect {
	case "sqlite":
		// BM25 (lower is better) from the join Join adds: a correlated
		// subquery would run the full-text query again for every row.
		parts = append(parts, "fts.fts_rank")
	case "postgres":
		tsq, a := tsQuery(q.Include, " && ")
		parts = append(parts, "COALESCE((SELECT ts_rank(doc, "+tsq+") FROM "+serverTable+" WHERE ticket_id = tickets.id), 0) DESC")
		args = append(args, a...)
	default:
		ft, _ := mysqlFulltext(q.Include, true)
		if ft != "" {
			parts = append(parts, "COALESCE((SELECT MATCH(doc) AGAINST (? IN BOOLEAN MODE) FROM "+serverTable+" WHERE ticket_id = tickets.id), 0) DESC")
			args = append(args, ft)
		}
	}
	return parts, args
}

// Join is what a search adds to the page query's FROM clause, with its
// arguments: on SQLite, when ordering by relevance, the matches with their
// BM25 rank (FTS5 computes it once per match there).
func Join(dialect string, q Query, byRelevance bool) (string, []any) {
	if dialect != "sqlite" || !byRelevance || len(q.Include) == 0 {
		return "", nil
	}
	join := " LEFT JOIN (SELECT rowid AS fts_id, bm25(" + sqliteTable + ") AS fts_rank FROM " + sqliteTable +
		" WHERE " + ftsMatch(sqliteTable, q.Include, " AND ") + " LIMIT -1) fts ON fts.fts_id = tickets.id"
	return join, nil
}

// ftsQuery is an FTS5 query: each term a quoted phrase, joined by op.
func ftsQuery(terms []Term, op string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + strings.ReplaceAll(t.String(), `"`, `""`) + `"`
	}
	return strings.Join(parts, op)
}

// ftsMatch is the condition "<table> MATCH <query>" on an FTS5 table, the
// query written as an SQL string literal rather than bound, so that no
// binding can ever make SQLite plan the statement again (the driver
// prepares every statement anew anyway). The terms are words of letters
// and digits (and underscores, in pairs); quotes are doubled all the same.
func ftsMatch(table string, terms []Term, op string) string {
	return table + " MATCH '" + strings.ReplaceAll(ftsQuery(terms, op), "'", "''") + "'"
}

// tsQuery is a PostgreSQL tsquery expression: each term a phrase, joined by
// op (&& or ||), folded as the index is.
func tsQuery(terms []Term, op string) (string, []any) {
	parts := make([]string, len(terms))
	args := make([]any, len(terms))
	for i, t := range terms {
		parts[i] = "phraseto_tsquery('simple', flicket_unaccent(?))"
		args[i] = t.String()
	}
	return strings.Join(parts, op), args
}

// pgRows is a derived table of the ticket_search rows (ticket_id, doc)
// holding every term, with its arguments. With the word-pairs index
// (pairs), a phrase's candidates are the rows holding the hashes of its
// adjacent words (and the single words), found by the two GIN indexes
// without reading a row; only they are checked against the phrase. The
// OFFSET 0 keeps that check out of the index scans: there it would be a
// recheck of every condition, flicket_word_pairs computed again per row.
func pgRows(terms []Term, pairs bool) (string, []any) {
	var words, phrases []Term
	for _, t := range terms {
		if len(t) > 1 && pairs {
			phrases = append(phrases, t)
		} else {
			words = append(words, t)
		}
	}
	tsq, args := tsQuery(terms, " && ")
	if len(phrases) == 0 {
		return "(SELECT ticket_id, doc FROM " + serverTable + " WHERE doc @@ (" + tsq + "))", args
	}
	pairSets := make([]string, len(phrases))
	var inner []any
	for i, t := range phrases {
		pairSets[i] = "flicket_word_pairs(to_tsvector('simple', flicket_unaccent(?)))"
		inner = append(inner, t.String())
	}
	cond := "flicket_word_pairs(doc) @> (" + strings.Join(pairSets, " || ") + ")"
	if len(words) > 0 {
		wq, wArgs := tsQuery(words, " && ")
		cond += " AND doc @@ (" + wq + ")"
		inner = append(inner, wArgs...)
	}
	return "(SELECT ticket_id, doc FROM (SELECT ticket_id, doc FROM " + serverTable + " WHERE " + cond + " OFFSET 0) p WHERE doc @@ (" + tsq + "))",
		append(inner, args...)
}

// mysqlLike is the condition that the document holds the LIKE pattern (one
// argument), compared byte for byte: the document and the query's words
// are folded alike (Fold), so bytes are the words, and a binary LIKE of
// '%...%' is a plain substring search, about five times cheaper than the
// column's collation (utf8mb4_unicode_ci) comparing character by character.
const mysqlLike = "CAST(doc AS BINARY) LIKE ?"

// fulltextWord tells whether InnoDB FULLTEXT holds the word.
func fulltextWord(w string) bool {
	n := utf8.RuneCountInString(w)
	return n >= mysqlMinToken && n <= mysqlMaxToken
}

// mysqlFulltext is the boolean-mode FULLTEXT search for the terms (every
// term required when all, any term otherwise), and the terms FULLTEXT
// does not decide alone: those with a word it does not hold, and (when
// all) phrases.
func mysqlFulltext(terms []Term, all bool) (string, []Term) {
	var ft []string
	var rest []Term
	op := ""
	if all {
		op = "+"
	}
	for _, t := range terms {
		held := true
		for _, w := range t {
			held = held && fulltextWord(w)
		}
		switch {
		case held && len(t) == 1:
			ft = append(ft, op+t[0])
		case held && !all:
			ft = append(ft, `"`+t.String()+`"`)
		default:
			// A word FULLTEXT does not hold, or a required phrase: LIKE
			// over the candidates' documents. (InnoDB checks a "phrase" by
			// fetching and parsing each candidate's document again: three
			// times dearer than LIKE on the bench's phrases.)
			rest = append(rest, t)
			if all {
				// The words FULLTEXT holds still narrow the candidates.
				for _, w := range t {
					if fulltextWord(w) {
						ft = append(ft, "+"+w)
					}
				}
			}
		}
	}
	return strings.Join(ft, " "), rest
}

// mysqlMatch is the condition over ticket_search for the terms: all of them
// (all) or any of them.
func mysqlMatch(terms []Term, all bool) (string, []any) {
	ft, rest := mysqlFulltext(terms, all)
	var conds []string
	var args []any
	if ft != "" {
		conds = append(conds, "MATCH(doc) AGAINST (? IN BOOLEAN MODE)")
		args = append(args, ft)
	}
	for _, t := range rest {
		// The document is its words between single spaces (see write).
		conds = append(conds, mysqlLike)
		args = append(args, "% "+t.String()+" %")
	}
	op := " AND "
	if !all {
		op = " OR "
	}
	return "(" + strings.Join(conds, op) + ")", args
}

// mysqlSource is where MariaDB/MySQL reads the tickets holding every
// included term of a query: FROM from WHERE where, the ticket's id as id,
// with the relevance score (higher is better; "0" when there is none).
type mysqlSource struct {
	from, id, where string
	args            []any
	score           string
	scoreArgs       []any
}

// mysqlIncluded is the source of a query's included terms. A query of
// phrases only, with the word-pairs index (q.Pairs, migration 0075), reads
// the index of adjacent words: "error from" is the one token error_from
// there, found among the few tickets holding it rather than among every
// ticket holding both words (FULLTEXT fetches each of its matches' rows:
// 30,000 for two common words at a million tickets). A phrase of more than
// two words is then checked with LIKE on those tickets only (its pairs may
// be apart). Scored by InnoDB's relevance of the pairs. Any other query
// reads ticket_search: FULLTEXT for its words, LIKE for the rest.
func mysqlIncluded(q Query) mysqlSource {
	if pairs, recheck, ok := pairQuery(q); ok {
		ft := "+" + strings.Join(pairs, " +")
		m := mysqlSource{from: pairsTable + " p", id: "p.ticket_id", where: "MATCH(p.pairs) AGAINST (? IN BOOLEAN MODE)",
			args: []any{ft}, score: "MATCH(p.pairs) AGAINST (? IN BOOLEAN MODE)", scoreArgs: []any{ft}}
		if len(recheck) > 0 {
			m.from += " JOIN " + serverTable + " s ON s.ticket_id = p.ticket_id"
			for _, t := range recheck {
				m.where += " AND " + mysqlLike
				m.args = append(m.args, "% "+t.String()+" %")
			}
		}
		return m
	}
	c, args := mysqlMatch(q.Include, true)
	m := mysqlSource{from: serverTable, id: "ticket_id", where: c, args: args, score: "0"}
	if ft, _ := mysqlFulltext(q.Include, true); ft != "" {
		m.score, m.scoreArgs = "MATCH(doc) AGAINST (? IN BOOLEAN MODE)", []any{ft}
	}
	return m
}

// pairQuery is, for a query whose included terms are all phrases and whose
// word-pairs index is there (MariaDB/MySQL, SQLite), every pair of adjacent
// words (PairToken), once each, and the phrases the pairs do not decide
// alone (more than two words: their pairs may be apart). ok is false for
// any other query, and when a pair is longer than the index holds (see
// Pairs).
func pairQuery(q Query) (pairs []string, recheck []Term, ok bool) {
	if !q.Pairs || len(q.Include) == 0 {
		return nil, nil, false
	}
	seen := map[string]bool{}
	for _, t := range q.Include {
		if len(t) < 2 {
			return nil, nil, false
		}
		for i := 1; i < len(t); i++ {
			p := PairToken(t[i-1], t[i])
			if !fulltextWord(p) {
				return nil, nil, false
			}
			if !seen[p] {
				seen[p] = true
				pairs = append(pairs, p)
			}
		}
		if len(t) > 2 {
			recheck = append(recheck, t)
		}
	}
	return pairs, recheck, true
}

// sqliteIncluded is where SQLite reads the tickets holding every included
// term of q (which has one), as "<table> WHERE ...", and that FTS5 table
// (for bm25). A query of phrases only, with the word-pairs table
// (q.Pairs, migration 0076), reads the rows holding every pair (see
// pairQuery): that alone for phrases of two words; a longer phrase is
// checked on those rows only, by its ticket_fts entry (FTS5 seeks each
// word's list to the row). Any other query reads ticket_fts.
func sqliteIncluded(q Query) (table, from string) {
	pairs, recheck, ok := pairQuery(q)
	if !ok {
		return sqliteTable, sqliteTable + " WHERE " + ftsMatch(sqliteTable, q.Include, " AND ")
	}
	terms := make([]Term, len(pairs))
	for i, p := range pairs {
		terms[i] = Term{p}
	}
	from = sqlitePairsTable + " WHERE " + ftsMatch(sqlitePairsTable, terms, " AND ")
	if len(recheck) > 0 {
		from += " AND EXISTS (SELECT 1 FROM " + sqliteTable + " WHERE " + ftsMatch(sqliteTable, recheck, " AND ") +
			" AND " + sqliteTable + ".rowid = " + sqlitePairsTable + ".rowid)"
	}
	return sqlitePairsTable, from
}

// Matches is a derived table, (SELECT ... AS id ...), of the tickets that
// hold every included term of q, read from the index alone (exclusions and
// the ticket number are the caller's), with its arguments. q must have an
// included term.
func Matches(dialect string, q Query) (string, []any) {
	switch dialect {
	case "sqlite":
		_, from := sqliteIncluded(q)
		return "(SELECT rowid AS id FROM " + from + ")", nil
	case "postgres":
		rows, args := pgRows(q.Include, q.Pairs)
		return "(SELECT ticket_id AS id FROM " + rows + " r)", args
	default:
		m := mysqlIncluded(q)
		return "(SELECT " + m.id + " AS id FROM " + m.from + " WHERE " + m.where + ")", m.args
	}
}

// Candidates is a derived table of the newest n tickets (highest ids) that
// hold every included term of q, with their relevance as score (higher is
// better: BM25 on SQLite, ts_rank on PostgreSQL, InnoDB's relevance on
// MariaDB/MySQL): the bounded set a search ranks when its matches are many.
// Each database reads its index in id order and stops at n, so a word in
// every ticket costs n rows, not a million.
func Candidates(dialect string, q Query, n int) (string, []any) {
	switch dialect {
	case "sqlite":
		// FTS5 walks its doclists by rowid, descending when asked, and
		// computes bm25 for the rows it returns only. Phrases through their
		// pairs are ranked by the pairs' bm25: a two-word phrase's
		// occurrences are its pair's.
		table, from := sqliteIncluded(q)
		return fmt.Sprintf("(SELECT rowid AS id, -bm25(%s) AS score FROM %s ORDER BY rowid DESC LIMIT %d)", table, from, n), nil
	case "postgres":
		rows, args := pgRows(q.Include, q.Pairs)
		rankQ, rankArgs := tsQuery(q.Include, " && ")
		// The rank is computed above the LIMIT, for the n rows kept only.
		return fmt.Sprintf("(SELECT id, ts_rank(doc, %s) AS score FROM (SELECT ticket_id AS id, doc FROM %s r ORDER BY ticket_id DESC LIMIT %d) c)",
			rankQ, rows, n), append(rankArgs, args...)
	default:
		m := mysqlIncluded(q)
		return fmt.Sprintf("(SELECT %[1]s AS id, %[2]s AS score FROM %[3]s WHERE %[4]s ORDER BY %[1]s DESC LIMIT %[5]d)", m.id, m.score, m.from, m.where, n),
			append(m.scoreArgs, m.args...)
	}
}

// The dense-word walk of MariaDB/MySQL (see DenseCandidates).
const (
	// denseChunks chunks of denseChunk documents, spread evenly over the
	// ids, are checked to guess how common a word is: spread, so that a
	// run of recent tickets without the word (or with it) does not
	// mislead the guess as a probe of the newest documents alone did.
	denseChunks = 8
	denseChunk  = 32
	// denseCostRatio: what FULLTEXT costs per match (its ilist entry, the
	// row fetched by FTS_DOC_ID, the score) over what the walk costs per
	// document (the next row of the primary key and a binary LIKE),
	// measured on MariaDB 10.11 (see README, Search speed).
	denseCostRatio = 8
)

// DenseCandidates is, on MariaDB/MySQL, Candidates for a query of one word
// found in many tickets, and ok tells whether it applies. InnoDB FULLTEXT
// reads and scores every match of a word before any LIMIT (a word in 20 %
// of a million tickets: 200,000 matches each time); for such a word,
// walking the newest documents by primary key and checking each with LIKE
// finds the newest n matches after about n / share documents, whatever the
// table's size. How common the word is, is guessed from a sample of
// denseChunks * denseChunk documents spread over the ids (two cheap
// queries); the walk is chosen when it should read fewer documents than
// FULLTEXT would score (times denseCostRatio), and it is bounded to a
// window of that many documents: a walk that finds fewer than n matches
// there (the word rarer among the newest tickets than the sample said)
// does not tell the older ones, and the caller must then use Candidates,
// having spent at most what FULLTEXT costs. The score is the word's number
// of occurrences in the document: InnoDB's relevance of one word is that
// times a constant (its IDF squared), so the order is the same as
// FULLTEXT's.
func DenseCandidates(ctx context.Context, db *gorm.DB, q Query, n int) (string, []any, bool, error) {
	if db.Name() != "mysql" || len(q.Include) != 1 || len(q.Include[0]) != 1 || !fulltextWord(q.Include[0][0]) {
		return "", nil, false, nil
	}
	pattern := "% " + q.Include[0][0] + " %"
	var bounds struct{ Oldest, Newest int64 }
	if err := db.WithContext(ctx).Raw("SELECT COALESCE(MIN(ticket_id), 0) AS oldest, COALESCE(MAX(ticket_id), 0) AS newest FROM " + serverTable).
		Scan(&bounds).Error; err != nil {
		return "", nil, false, fmt.Errorf("probe the search index: %w", err)
	}
	if bounds.Newest == 0 {
		return "", nil, false, nil
	}
	ids := float64(bounds.Newest - bounds.Oldest + 1)
	chunks := make([]string, denseChunks)
	args := []any{pattern}
	for i := range chunks {
		chunks[i] = fmt.Sprintf("(SELECT ticket_id, doc FROM %s WHERE ticket_id >= ? ORDER BY ticket_id LIMIT %d)", serverTable, denseChunk)
		args = append(args, bounds.Oldest+int64(ids*float64(i)/denseChunks))
	}
	var probe struct {
		Probed int64
		Hits   int64
	}
	err := db.WithContext(ctx).Raw(fmt.Sprintf(`SELECT COUNT(*) AS probed, COUNT(CASE WHEN %s THEN 1 END) AS hits
		FROM (%s) s`, mysqlLike, strings.Join(chunks, " UNION ALL ")), args...).Scan(&probe).Error
	if err != nil {
		return "", nil, false, fmt.Errorf("probe the search index: %w", err)
	}
	if probe.Hits == 0 {
		return "", nil, false, nil
	}
	// The table holds about ids documents (ids are roughly dense), of which
	// FULLTEXT would score share * ids; the walk reads about n / share.
	share := float64(probe.Hits) / float64(probe.Probed)
	budget := denseCostRatio * share * ids
	if float64(n)/share >= budget {
		return "", nil, false, nil
	}
	from := bounds.Newest - int64(budget)
	w := q.Include[0][0]
	// Occurrences of w between spaces, adjacent ones too (the lookarounds
	// take no space away from the next match): the bytes a regular
	// expression removes, over the word's. (Doubling every space first and
	// counting " w " cost five times more.) The word is letters and digits:
	// nothing a regular expression would read as an operator.
	score := "(LENGTH(doc) - LENGTH(REGEXP_REPLACE(CAST(doc AS BINARY), ?, ''))) / ?"
	sql := fmt.Sprintf("(SELECT ticket_id AS id, %s AS score FROM %s WHERE ticket_id >= ? AND %s ORDER BY ticket_id DESC LIMIT %d)", score, serverTable, mysqlLike, n)
	return sql, []any{"(?<= )" + w + "(?= )", len(w), from, pattern}, true, nil
}

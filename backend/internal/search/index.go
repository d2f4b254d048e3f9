package search

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// ErrNotReady is returned for a search while the index is being filled
// (after the migration on a big database, until `flicket search reindex`
// has run): searching then would silently miss tickets.
var ErrNotReady = errors.New("the search index is not ready")

// SmallDatabase is the most tickets the migration indexes itself; a bigger
// database is indexed by `flicket search reindex`, so `serve` starts at once.
const SmallDatabase = 20000

// batchSize is how many tickets one reindex step reads and writes.
const batchSize = 500

// Table names (see migrations 0019-0021).
const (
	sqliteTable = "ticket_fts"    // FTS5, rowid = ticket id
	serverTable = "ticket_search" // PostgreSQL and MariaDB/MySQL
	stateTable  = "search_state"  // one row: is the index complete?
	// pairsTable (MariaDB/MySQL, migration 0075): each ticket's pairs of
	// adjacent words, under a FULLTEXT index of its own (see PairToken).
	pairsTable = "ticket_search_pairs"
	// sqlitePairsTable (SQLite, migration 0076): the same pairs, in an FTS5
	// table of their own, rowid = ticket id.
	sqlitePairsTable = "ticket_fts_pairs"
)

// pairsTableOf is the table of word pairs of the dialect: "" on
// PostgreSQL, whose pairs are an index over ticket_search's tsvector.
func pairsTableOf(dialect string) string {
	switch dialect {
	case "sqlite":
		return sqlitePairsTable
	case "mysql":
		return pairsTable
	}
	return ""
}

// Ready tells whether the index holds every ticket.
func Ready(ctx context.Context, db *gorm.DB) (bool, error) {
	st, err := ReadState(ctx, db)
	return st.Ready, err
}

// State is what the index can answer.
type State struct {
	// Ready: the index holds every ticket.
	Ready bool
	// Pairs: the word-pairs index is complete, so phrases are found
	// through it (see migrations 0036, 0075 and 0076).
	Pairs bool
}

// ReadState reads the index's state, in one query.
func ReadState(ctx context.Context, db *gorm.DB) (State, error) {
	var st []State
	if err := db.WithContext(ctx).Table(stateTable).Select("ready, pairs").Where("id = 1").Scan(&st).Error; err != nil {
		return State{}, fmt.Errorf("read search state: %w", err)
	}
	if len(st) != 1 {
		return State{}, nil
	}
	return st[0], nil
}

// SetReady records whether the index holds every ticket.
func SetReady(ctx context.Context, db *gorm.DB, ready bool) error {
	if err := db.WithContext(ctx).Table(stateTable).Where("id = 1").Update("ready", ready).Error; err != nil {
		return fmt.Errorf("write search state: %w", err)
	}
	return nil
}

// markPairs records in the state whether the word pairs answer phrases.
func markPairs(ctx context.Context, db *gorm.DB, on bool) error {
	if err := db.WithContext(ctx).Table(stateTable).Where("id = 1").Update("pairs", on).Error; err != nil {
		return fmt.Errorf("write search state: %w", err)
	}
	return nil
}

// Refresh rebuilds the index entries of the given tickets from their title,
// body and replies, in the caller's transaction; a ticket that no longer
// exists leaves the index.
func Refresh(ctx context.Context, tx *gorm.DB, ids ...int64) error {
	if len(ids) == 0 || !indexWrites {
		return nil
	}
	docs, err := loadDocuments(ctx, tx, ids)
	if err != nil {
		return err
	}
	var gone []int64
	for _, id := range ids {
		if _, ok := docs[id]; !ok {
			gone = append(gone, id)
		}
	}
	if err := remove(ctx, tx, gone); err != nil {
		return err
	}
	return write(ctx, tx, ids, docs, pairsTableOf(tx.Name()))
}

// RefreshTicket rebuilds the index entry of one ticket whose title and body
// the caller holds (as they are now, in the caller's transaction), reading
// only its replies; withReplies false says it has none (a ticket being
// created). The entry is the one Refresh writes.
func RefreshTicket(ctx context.Context, tx *gorm.DB, id int64, title, content string, withReplies bool) error {
	if !indexWrites {
		return nil
	}
	parts := []string{title, content}
	if withReplies {
		var replies []string
		err := tx.WithContext(ctx).Table("posts").Where("ticket_id = ?", id).Order("id").Pluck("content", &replies).Error
		if err != nil {
			return fmt.Errorf("read replies to index: %w", err)
		}
		parts = append(parts, replies...)
	}
	return write(ctx, tx, []int64{id}, map[int64]string{id: Document(parts...)}, pairsTableOf(tx.Name()))
}

// Remove takes a deleted ticket out of the index, in the caller's transaction.
func Remove(ctx context.Context, tx *gorm.DB, id int64) error {
	if !indexWrites {
		return nil
	}
	return remove(ctx, tx, []int64{id})
}

func remove(ctx context.Context, tx *gorm.DB, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	qs := []string{"DELETE FROM " + serverTable + " WHERE ticket_id IN ?"}
	switch tx.Name() {
	case "sqlite":
		qs = []string{"DELETE FROM " + sqliteTable + " WHERE rowid IN ?", "DELETE FROM " + sqlitePairsTable + " WHERE rowid IN ?"}
	case "mysql":
		qs = append(qs, "DELETE FROM "+pairsTable+" WHERE ticket_id IN ?")
	}
	for _, q := range qs {
		if err := tx.WithContext(ctx).Exec(q, ids).Error; err != nil {
			return fmt.Errorf("remove from the search index: %w", err)
		}
	}
	return nil
}

// loadDocuments reads the documents of the tickets that exist among ids.
func loadDocuments(ctx context.Context, tx *gorm.DB, ids []int64) (map[int64]string, error) {
	type textRow struct {
		ID      int64
		Title   string
		Content string
	}
	var tickets []textRow
	if err := tx.WithContext(ctx).Table("tickets").Select("id, title, content").Where("id IN ?", ids).Scan(&tickets).Error; err != nil {
		return nil, fmt.Errorf("read tickets to index: %w", err)
	}
	parts := make(map[int64][]string, len(tickets))
	for _, t := range tickets {
		parts[t.ID] = []string{t.Title, t.Content}
	}
	var posts []textRow
	err := tx.WithContext(ctx).Table("posts").Select("ticket_id AS id, content").
		Where("ticket_id IN ?", ids).Order("ticket_id, id").Scan(&posts).Error
	if err != nil {
		return nil, fmt.Errorf("read replies to index: %w", err)
	}
	for _, p := range posts {
		if ps, ok := parts[p.ID]; ok {
			parts[p.ID] = append(ps, p.Content)
		}
	}
	docs := make(map[int64]string, len(parts))
	for id, ps := range parts {
		docs[id] = Document(ps...)
	}
	return docs, nil
}

// write stores the documents of ids (those present in docs), replacing
// what the index held for them, and their pairs of adjacent words in the
// table pairs (none when "").
func write(ctx context.Context, tx *gorm.DB, ids []int64, docs map[int64]string, pairs string) error {
	var rows []string
	var args []any
	value := "(?, ?)"
	switch tx.Name() {
	case "postgres":
		value = "(?, to_tsvector('simple', flicket_unaccent(?)))"
	case "mysql":
		// Spaces around every word let LIKE '% word %' find words FULLTEXT
		// cannot hold (see shortWord).
		value = "(?, CONCAT(' ', ?, ' '))"
	}
	for _, id := range ids {
		d, ok := docs[id]
		if !ok {
			continue
		}
		rows = append(rows, value)
		args = append(args, id, d)
	}
	if len(rows) == 0 {
		return nil
	}
	var q string
	switch tx.Name() {
	case "sqlite":
		q = "INSERT OR REPLACE INTO " + sqliteTable + " (rowid, doc) VALUES " + strings.Join(rows, ", ")
	case "postgres":
		q = "INSERT INTO " + serverTable + " (ticket_id, doc) VALUES " + strings.Join(rows, ", ") +
			" ON CONFLICT (ticket_id) DO UPDATE SET doc = EXCLUDED.doc"
	default:
		q = "INSERT INTO " + serverTable + " (ticket_id, doc) VALUES " + strings.Join(rows, ", ") +
			" ON DUPLICATE KEY UPDATE doc = VALUES(doc)"
	}
	if err := tx.WithContext(ctx).Exec(q, args...).Error; err != nil {
		return fmt.Errorf("write the search index: %w", err)
	}
	if pairs != "" {
		return writePairs(ctx, tx, pairs, ids, docs)
	}
	return nil
}

// writePairs stores in table (MariaDB/MySQL's or SQLite's) the pairs of
// adjacent words of the documents of ids (see Pairs), replacing what it
// held for them.
func writePairs(ctx context.Context, tx *gorm.DB, table string, ids []int64, docs map[int64]string) error {
	var rows []string
	var args []any
	for _, id := range ids {
		if d, ok := docs[id]; ok {
			rows = append(rows, "(?, ?)")
			args = append(args, id, Pairs(d))
		}
	}
	q := "INSERT OR REPLACE INTO " + table + " (rowid, pairs) VALUES " + strings.Join(rows, ", ")
	if table == pairsTable {
		q = "INSERT INTO " + table + " (ticket_id, pairs) VALUES " + strings.Join(rows, ", ") +
			" ON DUPLICATE KEY UPDATE pairs = VALUES(pairs)"
	}
	if err := tx.WithContext(ctx).Exec(q, args...).Error; err != nil {
		return fmt.Errorf("write the word-pairs index: %w", err)
	}
	return nil
}

// PairToken is the one word the word-pairs index of MariaDB/MySQL or SQLite
// holds for two adjacent words: InnoDB's FULLTEXT parser keeps an
// underscore inside a word (SQLite's table is told to), and a word of ours
// never holds one.
func PairToken(a, b string) string { return a + "_" + b }

// Pairs is what a word-pairs table holds for a document (its
// words between single spaces, see Document): the PairToken of each two
// adjacent words, in order, between single spaces. Pairs longer than
// InnoDB holds (innodb_ft_max_token_size) are left out; a phrase with
// one is found without the pairs.
func Pairs(doc string) string {
	words := strings.Fields(doc)
	var b strings.Builder
	for i := 1; i < len(words); i++ {
		p := PairToken(words[i-1], words[i])
		if !fulltextWord(p) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

// Progress is told how many of total tickets are indexed so far.
type Progress func(done, total int64)

// Rebuild indexes every ticket inside the caller's transaction (the
// importer, which writes everything in one) and drops entries of tickets
// that no longer exist. It leaves the ready flag alone.
func Rebuild(ctx context.Context, tx *gorm.DB, progress Progress) error {
	return rebuild(ctx, tx, progress, func(fn func(*gorm.DB) error) error { return fn(tx) })
}

// Reindex indexes every ticket, a batch per transaction so writers are never
// held for long, then marks the index ready. Tickets changed meanwhile are
// kept by the write path itself.
//
// On PostgreSQL the word-pairs index is dropped first and built again at the
// end, concurrently (writes go on): one build is cheaper than keeping it up
// to date through every rewritten ticket, and phrases are found without it
// meanwhile. On SQLite the index is compacted at the end (Compact), once
// search is ready.
func Reindex(ctx context.Context, db *gorm.DB, progress Progress) error {
	if db.Name() == "postgres" {
		if err := setPairs(ctx, db, false); err != nil {
			return err
		}
	}
	err := rebuild(ctx, db, progress, func(fn func(*gorm.DB) error) error {
		return db.WithContext(ctx).Transaction(fn)
	})
	if err != nil {
		return err
	}
	switch db.Name() {
	case "postgres":
		if err := setPairs(ctx, db, true); err != nil {
			return err
		}
	case "mysql", "sqlite":
		// Every ticket's pairs are written now, and kept by the write path.
		if err := markPairs(ctx, db, true); err != nil {
			return err
		}
	}
	if err := SetReady(ctx, db, true); err != nil {
		return err
	}
	// SQLite: the batches left the index in many segments (see Compact);
	// search already answers meanwhile.
	_, err = Compact(ctx, db)
	return err
}

// pairsIndex is PostgreSQL's index of adjacent words (migration 0036).
const pairsIndex = "idx_ticket_search_pairs"

// setPairs drops PostgreSQL's word-pairs index (on false) or builds it (on
// true), concurrently so writers are not stopped, and records it in the
// state. The state says false before the index goes, and true only once it
// is built.
func setPairs(ctx context.Context, db *gorm.DB, on bool) error {
	db = db.WithContext(ctx)
	if !on {
		if err := markPairs(ctx, db, false); err != nil {
			return err
		}
		if err := db.Exec("DROP INDEX CONCURRENTLY IF EXISTS " + pairsIndex).Error; err != nil {
			return fmt.Errorf("drop the word-pairs index: %w", err)
		}
		return nil
	}
	// A concurrent build that failed leaves an invalid index behind: drop
	// any before building.
	for _, q := range []string{
		"DROP INDEX CONCURRENTLY IF EXISTS " + pairsIndex,
		"CREATE INDEX CONCURRENTLY " + pairsIndex + " ON " + serverTable + " USING GIN (flicket_word_pairs(doc))",
	} {
		if err := db.Exec(q).Error; err != nil {
			return fmt.Errorf("build the word-pairs index: %w", err)
		}
	}
	return markPairs(ctx, db, true)
}

func rebuild(ctx context.Context, db *gorm.DB, progress Progress, inTx func(func(*gorm.DB) error) error) error {
	var total int64
	if err := db.WithContext(ctx).Table("tickets").Count(&total).Error; err != nil {
		return fmt.Errorf("count tickets to index: %w", err)
	}
	// The word-pairs table is there from migration 0075 (MariaDB/MySQL) or
	// 0076 (SQLite) on: migrations 0019 and 0021 fill the index before it.
	pairs := pairsTableOf(db.Name())
	if pairs != "" && !db.WithContext(ctx).Migrator().HasTable(pairs) {
		pairs = ""
	}
	var done, last int64
	for {
		var ids []int64
		err := inTx(func(tx *gorm.DB) error {
			q := tx.WithContext(ctx).Table("tickets").Where("id > ?", last).Order("id").Limit(batchSize)
			if err := q.Pluck("id", &ids).Error; err != nil {
				return fmt.Errorf("list tickets to index: %w", err)
			}
			if len(ids) == 0 {
				return nil
			}
			docs, err := loadDocuments(ctx, tx, ids)
			if err != nil {
				return err
			}
			return write(ctx, tx, ids, docs, pairs)
		})
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		last = ids[len(ids)-1]
		done += int64(len(ids))
		if progress != nil {
			progress(min(done, total), total)
		}
	}
	if progress != nil && done == 0 {
		progress(0, 0)
	}
	return pruneDeleted(ctx, db, pairs)
}

// pruneDeleted drops entries whose ticket is gone (deleted by a writer that
// bypasses Remove, or while a reindex ran), from the index and the table
// of word pairs (none when "").
func pruneDeleted(ctx context.Context, db *gorm.DB, pairs string) error {
	// NOT EXISTS, not NOT IN: PostgreSQL runs a NOT IN whose ids do not fit
	// in work_mem as a scan of them per entry (hours at a million tickets).
	q := "DELETE FROM " + serverTable + " WHERE NOT EXISTS (SELECT 1 FROM tickets WHERE tickets.id = " + serverTable + ".ticket_id)"
	if db.Name() == "sqlite" {
		q = "DELETE FROM " + sqliteTable + " WHERE rowid NOT IN (SELECT id FROM tickets)"
	}
	if err := db.WithContext(ctx).Exec(q).Error; err != nil {
		return fmt.Errorf("prune the search index: %w", err)
	}
	if pairs != "" {
		q := "DELETE FROM " + pairs + " WHERE NOT EXISTS (SELECT 1 FROM tickets WHERE tickets.id = " + pairs + ".ticket_id)"
		if pairs == sqlitePairsTable {
			q = "DELETE FROM " + pairs + " WHERE rowid NOT IN (SELECT id FROM tickets)"
		}
		if err := db.WithContext(ctx).Exec(q).Error; err != nil {
			return fmt.Errorf("prune the word-pairs index: %w", err)
		}
	}
	return nil
}

// ForgetIndexStats drops, on SQLite, the planner's samples (sqlite_stat4,
// written by ANALYZE) of the FTS5 index's own tables. FTS5 finds a word in
// each segment of its index with a statement over ticket_fts_idx whose
// term is bound anew for every lookup; with samples of that table, SQLite
// plans the statement again at every binding (a bound value may change a
// plan made from samples) — at 100k tickets about 15 % of a search's CPU
// time.
// The samples serve nothing there: the lookup is by primary key.
func ForgetIndexStats(ctx context.Context, db *gorm.DB) error {
	if db.Name() != "sqlite" {
		return nil
	}
	db = db.WithContext(ctx)
	var n int64
	if err := db.Raw("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat4'").Row().Scan(&n); err != nil {
		return fmt.Errorf("look for planner statistics: %w", err)
	}
	if n == 0 {
		return nil
	}
	// ANALYZE sqlite_schema: this connection reads the statistics again.
	for _, q := range []string{`DELETE FROM sqlite_stat4 WHERE tbl LIKE '` + sqliteTable + `\_%' ESCAPE '\'`, "ANALYZE sqlite_schema"} {
		if err := db.Exec(q).Error; err != nil {
			return fmt.Errorf("drop the search index's planner samples: %w", err)
		}
	}
	return nil
}

// compactStep is how many pages of the FTS5 index one step of Compact
// writes (about 4 KB each): a step holds the write lock for a fraction of
// a second, so writers wait at most that long.
const compactStep = 2000

// Compact merges SQLite's FTS5 index (its words and its word pairs) into
// one segment each (other databases: nothing to do, false). FTS5 adds a
// segment per transaction that writes and merges them only a few at a
// time, so an index built in batches (a reindex, an import) is a few dozen
// segments: a word is then looked up in each of them and its doclist read
// as a merge of them all, for every search. One segment reads it as one
// list (at 100k tickets a search's index work is a third to a half
// shorter). The work is done in steps of compactStep pages, each its own
// transaction (FTS5's 'merge' command: a negative count starts a full
// merge, positive counts go on with it until it writes nothing), so the
// server keeps serving and writing meanwhile. It reports whether it merged
// anything.
func Compact(ctx context.Context, db *gorm.DB) (bool, error) {
	if db.Name() != "sqlite" {
		return false, nil
	}
	sqlDB, err := db.DB()
	if err != nil {
		return false, fmt.Errorf("compact the search index: %w", err)
	}
	// total_changes() is per connection: the steps run on one.
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("compact the search index: %w", err)
	}
	defer conn.Close()
	merged := false
	// FTS5's commands are rows inserted into a column named after the table.
	for _, merge := range []string{
		"INSERT INTO " + sqliteTable + " (" + sqliteTable + ", rank) VALUES ('merge', ?)",
		"INSERT INTO " + sqlitePairsTable + " (" + sqlitePairsTable + ", rank) VALUES ('merge', ?)",
	} {
		for step := -compactStep; ; step = compactStep {
			var before, after int64
			if err := conn.QueryRowContext(ctx, "SELECT total_changes()").Scan(&before); err != nil {
				return merged, fmt.Errorf("compact the search index: %w", err)
			}
			if _, err := conn.ExecContext(ctx, merge, step); err != nil {
				return merged, fmt.Errorf("compact the search index: %w", err)
			}
			if err := conn.QueryRowContext(ctx, "SELECT total_changes()").Scan(&after); err != nil {
				return merged, fmt.Errorf("compact the search index: %w", err)
			}
			// Fewer than two changes: the step found nothing to merge.
			if after-before < 2 {
				break
			}
			merged = true
		}
	}
	return merged, nil
}

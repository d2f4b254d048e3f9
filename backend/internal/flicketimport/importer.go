// Package flicketimport moves a whole original Flicket 0.3.5 database
// (MariaDB/MySQL, PostgreSQL or SQLite) and its files into Flicket, ids
// kept, in one transaction: `flicket import-flicket`. Rows are written
// directly in batches (internal/bulkdb): no mail, no events. Every quirk of
// the original's data gets a defined outcome, listed in the Report.
package flicketimport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/bulkdb"
	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/markdown"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/search"
)

// Options are the inputs of an import.
type Options struct {
	// From is the original's database URL.
	From string
	// Files is the original's installation root ("" = files not imported).
	Files string
	// UploadDir is FLICKET_UPLOAD_DIR.
	UploadDir string
	// DryRun reads and checks everything and writes nothing.
	DryRun bool
	// Timezone is the zone of the original's naive datetimes (nil = UTC).
	Timezone *time.Location
	// Progress is told each table's progress (may be nil).
	Progress func(table string, done, total int)
	Logger   *slog.Logger
}

// ErrRefused wraps every reason the import did not start writing.
var ErrRefused = errors.New("import refused")

// Run imports the original's database into target (migrated already). On
// any failure the target and the upload folder are left as they were.
func Run(ctx context.Context, target *gorm.DB, o Options) (*Report, error) {
	if o.Timezone == nil {
		o.Timezone = time.UTC
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	rep := newReport(o.DryRun)
	src, err := openSource(ctx, o.From, o.Timezone)
	if err != nil {
		return rep, err
	}
	defer src.close()
	im := &importer{
		o: o, src: src, target: target, dialect: database.DialectOf(target), rep: rep,
		md: markdown.New(), files: newFileCopier(o.UploadDir, o.DryRun),
	}
	if err := im.checkSource(ctx); err != nil {
		return rep, err
	}
	state, err := bulkdb.CheckTarget(ctx, target)
	if err != nil {
		return rep, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	if err := im.loadSmallTables(ctx); err != nil {
		return rep, err
	}
	if len(rep.Errors) > 0 {
		return rep, fmt.Errorf("%w: %d problem(s) in the source must be fixed first (listed above)", ErrRefused, len(rep.Errors))
	}
	if !o.DryRun {
		if im.secretKey, err = currentSecretKey(ctx, target); err != nil {
			return rep, err
		}
		if im.tx, err = bulkdb.Begin(ctx, target); err != nil {
			return rep, err
		}
	}
	err = im.write(ctx, state)
	if err == nil && im.tx != nil {
		err = im.tx.Commit()
	}
	if err != nil {
		if im.tx != nil {
			im.tx.Rollback()
		}
		im.files.undo()
		return rep, err
	}
	if !o.DryRun {
		if err := bulkdb.MoveAutoIncrement(ctx, target, autoIncrementTables...); err != nil {
			return rep, err
		}
	}
	rep.Files, rep.FileBytes = im.files.count, im.files.bytes
	return rep, nil
}

// autoIncrementTables have an id sequence to move past the imported ids.
var autoIncrementTables = []string{
	"users", "user_groups", "statuses", "priorities", "departments", "categories",
	"tickets", "posts", "subscriptions", "histories", "actions", "uploads",
}

type importer struct {
	o         Options
	src       *source
	target    *gorm.DB
	dialect   database.Dialect
	rep       *Report
	tx        *bulkdb.Tx
	md        *markdown.Renderer
	files     *fileCopier
	secretKey string

	users      []userRow
	userIDs    map[int64]bool
	groups     []groupRow
	groupMap   map[int64]int64 // source group id -> imported id
	members    [][2]int64
	statuses   []namedRow
	priorities []namedRow
	depts      []namedRow
	cats       []categoryRow
	catIDs     map[int64]bool
	statusIDs  map[int64]bool
	prioIDs    map[int64]bool
	// fallbackCat receives tickets whose category is missing (0 = none needed).
	fallbackCat int64
	settings    model.Settings
	uploadDir   string // the original's upload folder, under Files
	avatarDir   string

	tickets ticketIndex
	posts   postIndex
}

func currentSecretKey(ctx context.Context, db *gorm.DB) (string, error) {
	var keys []string
	if err := db.WithContext(ctx).Model(&model.Settings{}).Pluck("secret_key", &keys).Error; err != nil {
		return "", fmt.Errorf("read the target's settings: %w", err)
	}
	if len(keys) > 0 {
		return keys[0], nil
	}
	return "", nil
}

func (im *importer) progress(table string, done, total int) {
	if im.o.Progress != nil {
		im.o.Progress(table, done, total)
	}
}

// insert writes rows unless this is a dry run, and counts them.
func (im *importer) insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	im.rep.Imported[table] += len(rows)
	if im.tx == nil || len(rows) == 0 {
		return nil
	}
	return im.tx.Insert(ctx, table, cols, rows)
}

// write does everything after the checks, inside the transaction.
func (im *importer) write(ctx context.Context, state bulkdb.TargetState) error {
	if im.tx != nil && state.SetupOnly {
		if err := im.tx.ClearSetup(ctx); err != nil {
			return err
		}
	}
	steps := []func(context.Context) error{
		im.writeSmallTables, im.writeTickets, im.writePosts, im.writeSubscriptions,
		im.writeHistories, im.writeActions, im.writeUploads, im.writeSettings,
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	if im.tx == nil {
		return nil
	}
	// Tickets were written with their reply counts, hours and list keys;
	// what is left are the users' counters and the per-category counts.
	// (The tests check that a full recount then finds nothing to fix.)
	if _, err := model.RecountUsers(ctx, im.tx.DB()); err != nil {
		return err
	}
	if err := model.RecountTickets(ctx, im.tx.DB()); err != nil {
		return err
	}
	// The bulk writes bypass the domain functions that keep the search
	// index: index every ticket in the import's transaction.
	if err := search.Rebuild(ctx, im.tx.DB(), nil); err != nil {
		return err
	}
	return im.tx.MoveSequences(ctx, autoIncrementTables...)
}

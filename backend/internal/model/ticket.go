package model

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/flicket/flicket/backend/internal/sortkey"
)

// Ticket is a ticket; its opening message lives in the row itself
// (features §1.7). NumReplies and TotalHours (ticket hours plus every
// reply's hours) are kept in the same transaction as every change, so the
// list can show and sort by them without a query per row.
type Ticket struct {
	ID               int64
	Title            string
	Content          string
	StartedID        *int64
	DateAdded        time.Time
	DateModified     *time.Time
	ModifiedID       *int64
	StatusID         int64
	CategoryID       int64
	AssignedID       *int64
	TicketPriorityID int64
	Hours            Hours
	LastUpdated      time.Time
	NumReplies       int64
	TotalHours       Hours
	// ContentHTML is Content rendered and sanitised, stored when the content
	// is written (nil for rows written before: render on read).
	ContentHTML *string
	// Kept on the row for the list (migration 0007), in the transaction of
	// every change to what they copy: the category's department, and the
	// collation keys (package sortkey) of the names the list sorts by. A
	// ticket's closed flag is a generated column.
	DepartmentID int64
	TitleKey     []byte
	StarterKey   []byte
	AssigneeKey  []byte
	DeptCatKey   []byte
	// LastReplyUserID wrote the latest reply (migration 0048; nil: none),
	// for "waiting on me".
	LastReplyUserID *int64
}

// TableName pins the table name.
func (Ticket) TableName() string { return "tickets" }

// BeforeCreate fills the list columns a creator left unset (tests and
// imports write rows directly; CreateTicket and the demo data set them).
func (t *Ticket) BeforeCreate(tx *gorm.DB) error {
	if t.DepartmentID != 0 && t.TitleKey != nil && t.StarterKey != nil && t.AssigneeKey != nil && t.DeptCatKey != nil {
		return nil
	}
	db := tx.Session(&gorm.Session{NewDB: true})
	ctx := tx.Statement.Context
	k := sortkey.New()
	if t.TitleKey == nil {
		t.TitleKey = k.Key(t.Title)
	}
	if t.DepartmentID == 0 || t.DeptCatKey == nil {
		c, err := findCategoryLabel(ctx, db, t.CategoryID)
		if err != nil {
			return err
		}
		t.DepartmentID, t.DeptCatKey = c.DepartmentID, c.sortKey(k)
	}
	for _, u := range []struct {
		id  *int64
		key *[]byte
	}{{t.StartedID, &t.StarterKey}, {t.AssignedID, &t.AssigneeKey}} {
		if *u.key != nil {
			continue
		}
		name, err := userName(ctx, db, u.id)
		if err != nil {
			return err
		}
		*u.key = k.Optional(name)
	}
	return nil
}

// userName is a user's display name (nil for no user or an unknown one).
func userName(ctx context.Context, db *gorm.DB, id *int64) (*string, error) {
	if id == nil {
		return nil, nil
	}
	var names []string
	if err := db.WithContext(ctx).Raw("SELECT name FROM users WHERE id = ?", *id).Scan(&names).Error; err != nil {
		return nil, fmt.Errorf("find user name: %w", err)
	}
	if len(names) == 0 {
		return nil, nil
	}
	return &names[0], nil
}

// StartedBy makes u the ticket's creator (before CreateTicket).
func (t *Ticket) StartedBy(u *User) {
	t.StartedID, t.StarterKey = &u.ID, sortkey.Key(u.Name)
}

// TicketNumber is a ticket's display number: its id on 5 digits ("00042").
func TicketNumber(id int64) string { return fmt.Sprintf("%05d", id) }

// TicketPageURL is the web app's page of a ticket under the site's base URL
// (mails and the CSV export link to it).
func TicketPageURL(base string, id int64) string {
	return base + "/tickets/" + strconv.FormatInt(id, 10)
}

// IsClosed is true for the Closed status.
func (t *Ticket) IsClosed() bool { return t.StatusID == StatusClosed }

// IsCreator tells whether u started the ticket.
func (t *Ticket) IsCreator(u *User) bool {
	return u != nil && t.StartedID != nil && *t.StartedID == u.ID
}

// IsAssignee tells whether u is assigned the ticket.
func (t *Ticket) IsAssignee(u *User) bool {
	return u != nil && t.AssignedID != nil && *t.AssignedID == u.ID
}

// FindTicket loads one ticket.
func FindTicket(ctx context.Context, db *gorm.DB, id int64) (*Ticket, error) {
	var t Ticket
	if err := db.WithContext(ctx).First(&t, id).Error; err != nil {
		return nil, notFound(err, "find ticket")
	}
	return &t, nil
}

// TicketExists tells whether a ticket exists (ErrNotFound when not), without
// reading its row.
func TicketExists(ctx context.Context, db *gorm.DB, id int64) error {
	var ids []int64
	if err := db.WithContext(ctx).Model(&Ticket{}).Where("id = ?", id).Limit(1).Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("check ticket: %w", err)
	}
	if len(ids) == 0 {
		return ErrNotFound
	}
	return nil
}

// forUpdate makes q's read lock its rows until the transaction ends
// (SELECT ... FOR UPDATE), and reads the latest committed version rather
// than the transaction's snapshot; SQLite has no row locks and needs none:
// its immediate transactions already serialise writers.
func forUpdate(q *gorm.DB) *gorm.DB {
	if q.Name() == "sqlite" {
		return q
	}
	return q.Clauses(clause.Locking{Strength: "UPDATE"})
}

// LockTicket loads a ticket inside a transaction and locks its row until the
// transaction ends (SELECT ... FOR UPDATE; SQLite's immediate transactions
// already serialise writers), so concurrent changes to one ticket queue up
// instead of losing updates.
func LockTicket(ctx context.Context, tx *gorm.DB, id int64) (*Ticket, error) {
	q := forUpdate(tx.WithContext(ctx))
	var t Ticket
	if err := q.First(&t, id).Error; err != nil {
		return nil, notFound(err, "lock ticket")
	}
	return &t, nil
}

// TouchTicket sets last_updated, the "last activity" shown and sorted on.
func TouchTicket(ctx context.Context, tx *gorm.DB, id int64, now time.Time) error {
	if err := tx.WithContext(ctx).Model(&Ticket{}).Where("id = ?", id).Update("last_updated", now).Error; err != nil {
		return fmt.Errorf("touch ticket: %w", err)
	}
	return nil
}

// TicketView is a ticket with the names the API shows beside its ids
// (department, category, status, priority, and the three users), read with
// joins in the same query as the ticket, so a page of tickets costs one query.
type TicketView struct {
	Ticket           `gorm:"embedded"`
	DepartmentName   string
	CategoryName     string
	StatusName       string
	PriorityName     string
	StarterUsername  *string
	StarterName      *string
	AssigneeUsername *string
	AssigneeName     *string
	ModifierUsername *string
	ModifierName     *string
}

// ticketViews starts a query over tickets joined with everything TicketView
// names, selecting ticketViewFields.
func ticketViews(ctx context.Context, db *gorm.DB) *gorm.DB {
	return db.WithContext(ctx).Table("tickets").Select(ticketViewFields.columns()).
		Joins("JOIN categories ON categories.id = tickets.category_id").
		Joins("JOIN departments ON departments.id = tickets.department_id").
		Joins("JOIN statuses ON statuses.id = tickets.status_id").
		Joins("JOIN priorities ON priorities.id = tickets.ticket_priority_id").
		Joins("LEFT JOIN users starter ON starter.id = tickets.started_id").
		Joins("LEFT JOIN users assignee ON assignee.id = tickets.assigned_id").
		Joins("LEFT JOIN users modifier ON modifier.id = tickets.modified_id")
}

// FindTicketView loads one ticket with its names, in one query.
func FindTicketView(ctx context.Context, db *gorm.DB, id int64) (*TicketView, error) {
	items, err := ticketViewFields.scan(ticketViews(ctx, db).Where("tickets.id = ?", id), 1)
	if err != nil {
		return nil, fmt.Errorf("find ticket view: %w", err)
	}
	if len(items) == 0 {
		return nil, ErrNotFound
	}
	return &items[0], nil
}

// DepartmentCategoryLabel is the original's "Department / Category" text.
func DepartmentCategoryLabel(department, category string) string {
	return department + " / " + category
}

// CreateTicket files a new ticket for its creator (t.StartedID must be set):
// status Open, subscribed creator, counted. Unknown category or priority are
// validation errors on category_id / ticket_priority_id.
func CreateTicket(ctx context.Context, tx *Tx, t *Ticket) error {
	if t.StartedID == nil {
		return fmt.Errorf("create ticket: no creator")
	}
	c, err := findCategoryLabel(ctx, tx.DB, t.CategoryID)
	if err != nil {
		return err
	}
	if err := checkPriority(ctx, tx.DB, t.TicketPriorityID); err != nil {
		return err
	}
	now := tx.Now
	k := sortkey.New()
	t.DepartmentID, t.DeptCatKey = c.DepartmentID, c.sortKey(k)
	t.TitleKey, t.AssigneeKey = k.Key(t.Title), []byte{}
	t.ID = 0
	t.StatusID = StatusOpen
	t.DateAdded, t.LastUpdated = now, now
	t.DateModified, t.ModifiedID, t.AssignedID = nil, nil, nil
	// The row's own counters are those of a ticket without replies.
	t.NumReplies, t.TotalHours = 0, CounterDeltas(Counted{}, countedTicket(t)).TotalHours
	if err := tx.DB.WithContext(ctx).Create(t).Error; err != nil {
		return fmt.Errorf("create ticket: %w", err)
	}
	ch := newChange(t, &User{ID: *t.StartedID})
	ch.before = Counted{}
	ch.keepLastUpdated = true
	ch.subscribe = []int64{*t.StartedID}
	ch.search = true
	ch.event(Event{Kind: EventTicketCreated})
	return ch.save(ctx, tx)
}

// checkPriority refuses a ticket_priority_id that names no priority.
func checkPriority(ctx context.Context, db *gorm.DB, id int64) error {
	_, err := FindPriority(ctx, db, id)
	if errors.Is(err, ErrNotFound) {
		return Invalid("ticket_priority_id", "not_found", "not a valid ticket_priority_id")
	}
	return err
}

// categoryLabel is a category with its department, for action data.
type categoryLabel struct {
	CategoryID     int64
	CategoryName   string
	DepartmentID   int64
	DepartmentName string
}

// sortKey is the key the list sorts "department / category" by.
func (c categoryLabel) sortKey(k *sortkey.Keyer) []byte {
	return k.Pair(c.DepartmentName, c.CategoryName)
}

func (c categoryLabel) actionData() map[string]any {
	return map[string]any{
		"department_category": DepartmentCategoryLabel(c.DepartmentName, c.CategoryName),
		"category_id":         c.CategoryID,
		"category":            c.CategoryName,
		"department_id":       c.DepartmentID,
		"department":          c.DepartmentName,
	}
}

// findCategoryLabel loads a category and its department's name; an unknown id
// is a validation error on category_id.
func findCategoryLabel(ctx context.Context, db *gorm.DB, id int64) (*categoryLabel, error) {
	var c categoryLabel
	err := db.WithContext(ctx).Table("categories").
		Select(`categories.id AS category_id, categories.category AS category_name,
			departments.id AS department_id, departments.department AS department_name`).
		Joins("JOIN departments ON departments.id = categories.department_id").
		Where("categories.id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Invalid("category_id", "not_found", "not a valid category_id")
	}
	if err != nil {
		return nil, fmt.Errorf("find category: %w", err)
	}
	return &c, nil
}

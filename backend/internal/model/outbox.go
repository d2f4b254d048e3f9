package model

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Outbox statuses. A row is pending until the sender delivers it (sent),
// gives up on it (failed) or finds sending switched off by
// mail_suppress_send (suppressed: never handed to a server).
const (
	MailPending    = "pending"
	MailSent       = "sent"
	MailSuppressed = "suppressed"
	MailFailed     = "failed"
)

// Mail kinds, stored in the outbox's kind column. The ticket notifications
// are what the mail outbox makes of the domain events it consumes.
const (
	MailKindReply         = "reply"   // post.created
	MailKindAssign        = "assign"  // ticket.assigned
	MailKindClaim         = "claim"   // ticket.claimed
	MailKindRelease       = "release" // ticket.released
	MailKindClose         = "close"   // ticket.closed
	MailKindPasswordReset = "password_reset"
	MailKindOutstanding   = "outstanding"
)

// MailRedacted replaces the body of a password-reset mail once it has left
// the outbox, so the table does not keep usable reset links.
const MailRedacted = "(removed once the mail left the outbox: it held a password-reset link)"

// maxMailError is the size of last_error.
const maxMailError = 1000

// OutboxMail is one e-mail to one recipient, rendered when queued.
type OutboxMail struct {
	ID              int64
	Kind            string
	TicketID        *int64
	RecipientEmail  string
	RecipientUserID *int64
	Locale          string
	Subject         string
	BodyText        string
	BodyHTML        string `gorm:"column:body_html"`
	Status          string
	Attempts        int
	NextAttemptAt   time.Time
	LastError       *string
	CreatedAt       time.Time
	SentAt          *time.Time
	ClaimedUntil    *time.Time
	ClaimToken      *string
	// UndoKey marks the mails of a change that may still be undone (see
	// UndoableMails); UndoFrom and UndoTo are that field's values before
	// and after it.
	UndoKey  *string
	UndoFrom *int64
	UndoTo   *int64
}

// TableName pins the table name.
func (OutboxMail) TableName() string { return "mail_outbox" }

// EnqueueMails inserts pending mails, typically inside the transaction of the
// change they announce.
func EnqueueMails(ctx context.Context, tx *gorm.DB, mails []OutboxMail) error {
	if len(mails) == 0 {
		return nil
	}
	if err := tx.WithContext(ctx).CreateInBatches(mails, 100).Error; err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

// mailClaimable is the condition that a mail is pending and leased to no
// sender (arguments: MailPending, now); mailDue adds that its time has come
// (now again). A sender claims due mails; with sending suppressed, due mails
// are marked suppressed instead.
const (
	mailClaimable = "status = ? AND (claimed_until IS NULL OR claimed_until < ?)"
	mailDue       = mailClaimable + " AND next_attempt_at <= ?"
)

// ClaimMails leases up to limit due mails to one sender, identified by
// token, until now+lease, and counts the attempt. The rows are picked with
// SELECT ... FOR UPDATE SKIP LOCKED in a short transaction, so senders in
// other processes skip them instead of waiting; the UPDATE re-checks that the
// row is still unclaimed, which also makes the claim safe on SQLite (no row
// locks there, but writers are serialised).
func ClaimMails(ctx context.Context, db *gorm.DB, now time.Time, lease time.Duration, limit int, token string) ([]OutboxMail, error) {
	var claimed []OutboxMail
	var opts []*sql.TxOptions
	if db.Name() == "mysql" {
		// No gap locks: a claim never holds up inserts into the outbox.
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&OutboxMail{}).Select("id").
			Where(mailDue, MailPending, now, now).
			Order("next_attempt_at, id").Limit(limit)
		if tx.Name() != "sqlite" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var rows []struct{ ID int64 }
		if err := q.Find(&rows).Error; err != nil {
			return fmt.Errorf("pick due mail: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		err := tx.Model(&OutboxMail{}).Where("id IN ? AND "+mailClaimable, ids, MailPending, now).
			Updates(map[string]any{
				"claimed_until": now.Add(lease),
				"claim_token":   token,
				"attempts":      gorm.Expr("attempts + 1"),
			}).Error
		if err != nil {
			return fmt.Errorf("claim mail: %w", err)
		}
		return tx.Where("id IN ? AND claim_token = ?", ids, token).Order("id").Find(&claimed).Error
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	return claimed, nil
}

// finishMail updates a claimed row if the claim is still ours.
func finishMail(ctx context.Context, db *gorm.DB, m *OutboxMail, set map[string]any) error {
	set["claimed_until"] = nil
	set["claim_token"] = nil
	q := db.WithContext(ctx).Model(&OutboxMail{}).Where("id = ?", m.ID)
	if m.ClaimToken != nil {
		q = q.Where("claim_token = ?", *m.ClaimToken)
	}
	if err := q.Updates(set).Error; err != nil {
		return fmt.Errorf("update mail %d: %w", m.ID, err)
	}
	return nil
}

// redactIfReset blanks the body of a password-reset mail that leaves the
// outbox.
func redactIfReset(m *OutboxMail, set map[string]any) map[string]any {
	if m.Kind == MailKindPasswordReset {
		set["body_text"], set["body_html"] = MailRedacted, MailRedacted
	}
	return set
}

// MarkMailSent records a delivered mail.
func MarkMailSent(ctx context.Context, db *gorm.DB, m *OutboxMail, now time.Time) error {
	return finishMail(ctx, db, m, redactIfReset(m, map[string]any{
		"status": MailSent, "sent_at": now, "last_error": nil,
	}))
}

// MarkMailRetry keeps a mail pending until next, remembering why it failed.
func MarkMailRetry(ctx context.Context, db *gorm.DB, m *OutboxMail, next time.Time, reason string) error {
	return finishMail(ctx, db, m, map[string]any{
		"next_attempt_at": next, "last_error": truncateError(reason),
	})
}

// MarkMailFailed gives up on a mail; last_error says why.
func MarkMailFailed(ctx context.Context, db *gorm.DB, m *OutboxMail, reason string) error {
	return finishMail(ctx, db, m, redactIfReset(m, map[string]any{
		"status": MailFailed, "last_error": truncateError(reason),
	}))
}

// ReleaseMail hands a claimed mail back untried (the sender stopped, or the
// server could not be reached): the attempt is not counted, and the mail is
// due again at next.
func ReleaseMail(ctx context.Context, db *gorm.DB, m *OutboxMail, next time.Time, reason string) error {
	set := map[string]any{"attempts": gorm.Expr("attempts - 1"), "next_attempt_at": next}
	if reason != "" {
		set["last_error"] = truncateError(reason)
	}
	return finishMail(ctx, db, m, set)
}

// SuppressPendingMails marks every unclaimed pending mail that is due
// suppressed, for when mail_suppress_send is on: they are never sent, even if
// sending is switched on later. A mail is suppressed when it would have been
// sent: one held for its change's undo window (EnqueueUndoable) waits it out
// like any other, so an undo still withdraws it rather than leaving it in
// the outbox as suppressed.
func SuppressPendingMails(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Model(&OutboxMail{}).
		Where(mailDue, MailPending, now, now).
		Updates(map[string]any{
			"status":        MailSuppressed,
			"claimed_until": nil,
			"claim_token":   nil,
			"body_text":     gorm.Expr("CASE WHEN kind = ? THEN ? ELSE body_text END", MailKindPasswordReset, MailRedacted),
			"body_html":     gorm.Expr("CASE WHEN kind = ? THEN ? ELSE body_html END", MailKindPasswordReset, MailRedacted),
		})
	if res.Error != nil {
		return 0, fmt.Errorf("suppress mail: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// ListOutbox returns one page of mails, newest first, without their bodies
// (a pending password-reset mail holds a live link), and the total.
func ListOutbox(ctx context.Context, db *gorm.DB, status string, offset, limit int) ([]OutboxMail, int64, error) {
	q := db.WithContext(ctx).Model(&OutboxMail{})
	if status != "" {
		q = q.Where("status = ?", status)
	}
	q = q.Session(&gorm.Session{}) // Count must not leak into the Find
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count outbox: %w", err)
	}
	items := []OutboxMail{}
	if total > int64(offset) {
		err := q.Omit("body_text", "body_html").Order("id DESC").Offset(offset).Limit(limit).Find(&items).Error
		if err != nil {
			return nil, 0, fmt.Errorf("list outbox: %w", err)
		}
	}
	return items, total, nil
}

func truncateError(s string) string {
	if len(s) <= maxMailError {
		return s
	}
	s = s[:maxMailError]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// TicketMailInfo is what a notification shows of a ticket: its number,
// title and body, and the names of its status, priority, department,
// category and assignee.
type TicketMailInfo struct {
	ID           int64
	Title        string
	Content      string
	StatusName   string
	PriorityName string
	Department   string
	CategoryName string
	AssigneeName *string
}

// ticketMailInfos selects tickets with the names a notification shows.
func ticketMailInfos(ctx context.Context, tx *gorm.DB) *gorm.DB {
	return tx.WithContext(ctx).Table("tickets").
		Select(`tickets.id, tickets.title, tickets.content, statuses.status AS status_name, priorities.priority AS priority_name,
			departments.department AS department, categories.category AS category_name, assignee.name AS assignee_name`).
		Joins("JOIN statuses ON statuses.id = tickets.status_id").
		Joins("JOIN priorities ON priorities.id = tickets.ticket_priority_id").
		Joins("JOIN categories ON categories.id = tickets.category_id").
		Joins("JOIN departments ON departments.id = categories.department_id").
		Joins("LEFT JOIN users assignee ON assignee.id = tickets.assigned_id")
}

// LoadTicketMailInfo reads a ticket and the names of its status, priority,
// department, category and assignee.
func LoadTicketMailInfo(ctx context.Context, tx *gorm.DB, id int64) (*TicketMailInfo, error) {
	var info TicketMailInfo
	if err := ticketMailInfos(ctx, tx).Where("tickets.id = ?", id).Take(&info).Error; err != nil {
		return nil, notFound(err, "load ticket for mail")
	}
	return &info, nil
}

// LoadTicketMailInfos reads several tickets like LoadTicketMailInfo, by id
// (a missing ticket is left out).
func LoadTicketMailInfos(ctx context.Context, tx *gorm.DB, ids []int64) (map[int64]*TicketMailInfo, error) {
	out := make(map[int64]*TicketMailInfo, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var infos []TicketMailInfo
	if err := ticketMailInfos(ctx, tx).Where("tickets.id IN ?", ids).Find(&infos).Error; err != nil {
		return nil, fmt.Errorf("load tickets for mail: %w", err)
	}
	for i := range infos {
		out[infos[i].ID] = &infos[i]
	}
	return out, nil
}

// HeldMails returns the given outbox rows that are still pending and
// unclaimed, by id: those a bulk change may still merge.
func HeldMails(ctx context.Context, tx *gorm.DB, ids []int64) ([]OutboxMail, error) {
	var out []OutboxMail
	if len(ids) == 0 {
		return out, nil
	}
	err := tx.WithContext(ctx).Where("id IN ? AND status = ? AND claim_token IS NULL", ids, MailPending).
		Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load held mail: %w", err)
	}
	return out, nil
}

// ReleaseHeldMails makes held outbox rows due at when.
func ReleaseHeldMails(ctx context.Context, tx *gorm.DB, ids []int64, when time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	err := tx.WithContext(ctx).Model(&OutboxMail{}).Where("id IN ? AND status = ? AND claim_token IS NULL", ids, MailPending).
		Update("next_attempt_at", when).Error
	if err != nil {
		return fmt.Errorf("release held mail: %w", err)
	}
	return nil
}

// DeleteHeldMails removes held outbox rows replaced by a merged mail.
func DeleteHeldMails(ctx context.Context, tx *gorm.DB, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := tx.WithContext(ctx).Where("id IN ? AND status = ? AND claim_token IS NULL", ids, MailPending).
		Delete(&OutboxMail{}).Error
	if err != nil {
		return fmt.Errorf("delete held mail: %w", err)
	}
	return nil
}

// TicketSubscribers returns the enabled users subscribed to a ticket, by id:
// the people its notifications go to. While the Writer hands a
// transaction's events to its sinks (which write notifications and mail,
// never subscriptions or users), each ticket's are read once for them all
// (see withSubscriberMemo).
func TicketSubscribers(ctx context.Context, tx *gorm.DB, ticketID int64) ([]User, error) {
	memo, _ := ctx.Value(subscriberMemoKey{}).(subscriberMemo)
	if users, ok := memo[ticketID]; ok {
		return slices.Clone(users), nil
	}
	var users []User
	err := tx.WithContext(ctx).Model(&User{}).
		Joins("JOIN subscriptions ON subscriptions.user_id = users.id").
		Where("subscriptions.ticket_id = ? AND users.disabled = ?", ticketID, false).
		Order("users.id").Find(&users).Error
	if err != nil {
		return nil, fmt.Errorf("list subscribers: %w", err)
	}
	if memo != nil {
		memo[ticketID] = slices.Clone(users)
	}
	return users, nil
}

type subscriberMemoKey struct{}

// subscriberMemo holds TicketSubscribers' answers by ticket.
type subscriberMemo map[int64][]User

// withSubscriberMemo is ctx with a memo of TicketSubscribers, for code that
// changes no subscription and no user while it is used: the sinks of one
// dispatch (in-app notifications and the mail outbox both read a reply's
// subscribers).
func withSubscriberMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, subscriberMemoKey{}, subscriberMemo{})
}

// OutstandingTicket is one line of the outstanding-tickets digest.
type OutstandingTicket struct {
	ID           int64
	Title        string
	StatusName   string
	PriorityName string
	AssigneeName *string
}

// OutstandingRecipients returns the enabled users who started or are
// assigned at least one ticket that is not closed.
func OutstandingRecipients(ctx context.Context, db *gorm.DB) ([]User, error) {
	var users []User
	err := db.WithContext(ctx).Model(&User{}).
		Where("users.disabled = ?", false).
		Where(`EXISTS (SELECT 1 FROM tickets t WHERE t.status_id <> ?
			AND (t.started_id = users.id OR t.assigned_id = users.id))`, StatusClosed).
		Order("users.id").Find(&users).Error
	if err != nil {
		return nil, fmt.Errorf("list outstanding recipients: %w", err)
	}
	return users, nil
}

// OutstandingTickets returns up to limit not-closed tickets the user started
// or is assigned, oldest first, and how many there are in all.
func OutstandingTickets(ctx context.Context, db *gorm.DB, userID int64, limit int) ([]OutstandingTicket, int64, error) {
	q := db.WithContext(ctx).Table("tickets").
		Where("tickets.status_id <> ? AND (tickets.started_id = ? OR tickets.assigned_id = ?)", StatusClosed, userID, userID).
		Session(&gorm.Session{})
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count outstanding tickets: %w", err)
	}
	var out []OutstandingTicket
	err := q.Select(`tickets.id, tickets.title, statuses.status AS status_name,
			priorities.priority AS priority_name, assignee.name AS assignee_name`).
		Joins("JOIN statuses ON statuses.id = tickets.status_id").
		Joins("JOIN priorities ON priorities.id = tickets.ticket_priority_id").
		Joins("LEFT JOIN users assignee ON assignee.id = tickets.assigned_id").
		Order("tickets.id").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, 0, fmt.Errorf("list outstanding tickets: %w", err)
	}
	return out, total, nil
}

// UndoKey names the changes of one field of one ticket by one user: those
// an undo may cancel.
func UndoKey(ticketID int64, field string, actorID int64) string {
	return fmt.Sprintf("%d:%s:%d", ticketID, field, actorID)
}

// UndoableMails returns, locked, the mails marked with key that are still
// held at now (pending, unclaimed, due later): the mails of the latest
// change under key while it may be undone. Locking them keeps a sender from
// claiming them while the undo decides (senders skip locked rows); one that
// claimed first has taken them out of this answer.
func UndoableMails(ctx context.Context, tx *gorm.DB, key string, now time.Time) ([]OutboxMail, error) {
	var out []OutboxMail
	err := forUpdate(tx.WithContext(ctx)).
		Where("undo_key = ? AND status = ? AND claim_token IS NULL AND next_attempt_at > ?", key, MailPending, now).
		Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load undoable mail: %w", err)
	}
	return out, nil
}

// KeepUndoableMails unmarks mails: no later change may cancel them, and
// they go out when their hold ends.
func KeepUndoableMails(ctx context.Context, tx *gorm.DB, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := tx.WithContext(ctx).Model(&OutboxMail{}).Where("id IN ?", ids).
		Updates(map[string]any{"undo_key": nil, "undo_from": nil, "undo_to": nil}).Error
	if err != nil {
		return fmt.Errorf("keep undoable mail: %w", err)
	}
	return nil
}

package mail

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
)

// A bulk change (POST /tickets/bulk) changes each ticket in its own
// transaction, yet a subscriber of ten of those tickets should get one mail,
// not ten. So each ticket's notifications are queued in its transaction as
// usual, but held (due only later), and once every ticket is done MergeHeld
// replaces each recipient's held mails by one mail listing the tickets.
// Should the merge never run (the process stopped in between), the held
// mails go out one by one when their hold ends: nothing is lost.

// EnqueueHeld queues the notifications of ev like Enqueue, due at until
// instead of now, and returns the ids of the rows it wrote.
func (o *Outbox) EnqueueHeld(ctx context.Context, tx *gorm.DB, ev model.Event, until time.Time) ([]int64, error) {
	mails, err := o.eventMails(ctx, tx, ev)
	if err != nil || len(mails) == 0 {
		return nil, err
	}
	for i := range mails {
		mails[i].NextAttemptAt = until
	}
	if err := model.EnqueueMails(ctx, tx, mails); err != nil {
		return nil, err
	}
	ids := make([]int64, len(mails))
	for i, m := range mails {
		ids[i] = m.ID
	}
	return ids, nil
}

// BulkNotice is what a bulk change did, for its merged mail.
type BulkNotice struct {
	// Kind is the mail kind: model.MailKindAssign or model.MailKindClose.
	Kind    string
	ActorID int64
	// AssigneeID is the new assignee, for EventAssign.
	AssigneeID *int64
}

// MergeHeld replaces the held mails ids (from EnqueueHeld) by one mail per
// recipient, due now: a recipient of a single ticket's mail gets that mail
// as it was; one of several gets a mail listing those tickets. Mails no
// longer pending (suppressed meanwhile) are left alone.
func (o *Outbox) MergeHeld(ctx context.Context, tx *gorm.DB, ids []int64, n BulkNotice) error {
	held, err := model.HeldMails(ctx, tx, ids)
	if err != nil || len(held) == 0 {
		return err
	}
	// Group by recipient, in the order of the tickets.
	type group struct {
		mails   []model.OutboxMail
		tickets []int64
	}
	var order []string
	groups := map[string]*group{}
	for _, m := range held {
		key := m.RecipientEmail
		if m.RecipientUserID != nil {
			key = fmt.Sprint(*m.RecipientUserID)
		}
		g := groups[key]
		if g == nil {
			g = &group{}
			groups[key] = g
			order = append(order, key)
		}
		g.mails = append(g.mails, m)
		if m.TicketID != nil {
			g.tickets = append(g.tickets, *m.TicketID)
		}
	}
	now := o.now()
	var single, merged []int64
	var ticketIDs []int64
	for _, key := range order {
		g := groups[key]
		if len(g.mails) == 1 {
			single = append(single, g.mails[0].ID)
			continue
		}
		for _, m := range g.mails {
			merged = append(merged, m.ID)
		}
		ticketIDs = append(ticketIDs, g.tickets...)
	}
	if err := model.ReleaseHeldMails(ctx, tx, single, now); err != nil {
		return err
	}
	if len(merged) == 0 {
		return nil
	}
	infos, err := model.LoadTicketMailInfos(ctx, tx, ticketIDs)
	if err != nil {
		return err
	}
	st, err := model.LoadSettings(ctx, tx)
	if err != nil {
		return fmt.Errorf("mail bulk: %w", err)
	}
	actor, err := userName(ctx, tx, nil, n.ActorID)
	if err != nil {
		return err
	}
	var assignee string
	if n.AssigneeID != nil {
		if assignee, err = userName(ctx, tx, nil, *n.AssigneeID); err != nil {
			return err
		}
	}
	site := o.siteURL(st)
	var mails []model.OutboxMail
	for _, key := range order {
		g := groups[key]
		if len(g.mails) == 1 {
			continue
		}
		first := g.mails[0]
		p := newPage(st, site, first.Locale)
		r, err := renderBulk(p, n.Kind, actor, assignee, g.tickets, infos)
		if err != nil {
			return err
		}
		mails = append(mails, model.OutboxMail{
			Kind: n.Kind, RecipientEmail: first.RecipientEmail, RecipientUserID: first.RecipientUserID,
			Locale: p.Lang, Subject: r.Subject, BodyText: r.Text, BodyHTML: r.HTML,
			Status: model.MailPending, NextAttemptAt: now, CreatedAt: now,
		})
	}
	if err := model.DeleteHeldMails(ctx, tx, merged); err != nil {
		return err
	}
	return model.EnqueueMails(ctx, tx, mails)
}

// renderBulk writes the one mail of a bulk change for one recipient.
func renderBulk(p *page, kind, actor, assignee string, tickets []int64, infos map[int64]*model.TicketMailInfo) (rendered, error) {
	l := p.L
	if actor == "" {
		actor = l.Someone
	}
	if assignee == "" {
		assignee = l.Someone
	}
	v := &bulkView{}
	for _, id := range tickets {
		t := infos[id]
		if t == nil {
			continue // deleted since
		}
		assigned := l.NotAssigned
		if t.AssigneeName != nil {
			assigned = *t.AssigneeName
		}
		v.Rows = append(v.Rows, digestRow{
			Number: model.TicketNumber(t.ID), Link: model.TicketPageURL(p.SiteURL, t.ID), Title: t.Title,
			Priority: l.name(t.PriorityName), Status: l.name(t.StatusName), Assigned: assigned,
		})
	}
	switch kind {
	case model.MailKindAssign, model.MailKindClaim:
		p.Subject = fmt.Sprintf(l.SubjectBulkAssigned, len(tickets), assignee)
		v.Intro = fmt.Sprintf(l.IntroBulkAssigned, actor, assignee)
	case model.MailKindClose:
		p.Subject = fmt.Sprintf(l.SubjectBulkClosed, len(tickets))
		v.Intro = fmt.Sprintf(l.IntroBulkClosed, actor)
	default:
		return rendered{}, fmt.Errorf("mail: no bulk mail for %q", kind)
	}
	p.Bulk, p.Footer = v, l.FooterBulk
	return render(tmplBulk, p)
}

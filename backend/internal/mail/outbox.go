// Package mail writes Flicket's e-mails: ticket notifications, password-reset
// links, the outstanding-tickets digest and the administrator's test mail.
// Mails are rendered in the recipient's language when they are queued in the
// outbox table, inside the transaction of the change they announce, and a
// background Sender delivers them over SMTP with retries.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
)

// Options configure an Outbox.
type Options struct {
	// BaseURL overrides the config row's base_url in links (FLICKET_BASE_URL).
	BaseURL string
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Logger (nil: discard).
	Logger *slog.Logger
	// Settings reads the configuration for ticket notifications (nil: the
	// config row, read in the transaction): `serve` passes the cache the
	// Writer reads it from.
	Settings func(context.Context) (model.Settings, error)
}

// Outbox queues mails. It is the model.EventSink of the API server.
type Outbox struct {
	db      *gorm.DB
	baseURL string
	now     func() time.Time
	log     *slog.Logger
	st      func(context.Context) (model.Settings, error)
}

var _ model.EventSink = (*Outbox)(nil)

// NewOutbox builds an outbox over the database.
func NewOutbox(db *gorm.DB, o Options) *Outbox {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Outbox{db: db, baseURL: strings.TrimRight(o.BaseURL, "/"), now: func() time.Time { return now().UTC() }, log: log, st: o.Settings}
}

// siteURL is the root of the web app for links: FLICKET_BASE_URL, else the
// config row's base_url. It never comes from a request, so nobody can make
// Flicket mail links to another host (password-reset poisoning).
func (o *Outbox) siteURL(st *model.Settings) string {
	if o.baseURL != "" {
		return o.baseURL
	}
	return strings.TrimRight(strings.TrimSpace(st.BaseURL), "/")
}

func newPage(st *model.Settings, site, locale string) *page {
	locale = NormalizeLocale(locale)
	title := st.ApplicationTitle
	if title == "" {
		title = "Flicket"
	}
	return &page{Lang: locale, L: catalogFor(locale), AppTitle: title, SiteURL: site}
}

// mailKinds are the domain events that send mail, and their mail kind.
var mailKinds = map[string]string{
	model.EventPostCreated:    model.MailKindReply,
	model.EventTicketAssigned: model.MailKindAssign,
	model.EventTicketClaimed:  model.MailKindClaim,
	model.EventTicketReleased: model.MailKindRelease,
	model.EventTicketClosed:   model.MailKindClose,
}

// Enqueue queues the notifications of a ticket event (features §5), one mail
// per recipient in the recipient's language, inside the caller's transaction:
//   - post.created: every subscriber but the author;
//   - ticket.assigned: every subscriber, plus the new assignee (once);
//   - ticket.claimed, ticket.released, ticket.closed: every subscriber;
//   - any other event: nobody.
//
// Disabled users never get mail.
func (o *Outbox) Enqueue(ctx context.Context, tx *gorm.DB, ev model.Event) error {
	mails, err := o.eventMails(ctx, tx, ev)
	if err != nil {
		return err
	}
	return model.EnqueueMails(ctx, tx, mails)
}

// eventMails renders the notifications of a ticket event, due now (none
// for an event nobody is mailed about).
func (o *Outbox) eventMails(ctx context.Context, tx *gorm.DB, ev model.Event) ([]model.OutboxMail, error) {
	kind, ok := mailKinds[ev.Kind]
	if !ok {
		return nil, nil // an event nobody is mailed about
	}
	recipients, subscribers, err := o.eventRecipients(ctx, tx, kind, ev)
	if err != nil || len(recipients) == 0 {
		return nil, err
	}
	info, err := model.LoadTicketMailInfo(ctx, tx, ev.TicketID)
	if err != nil {
		return nil, fmt.Errorf("mail %s: %w", ev.Kind, err)
	}
	st, err := o.settings(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("mail %s: %w", ev.Kind, err)
	}
	n := ticketEvent{info: info, kind: kind}
	// Names of subscribers come with them (a replier is one); others are read.
	if n.actor, err = userName(ctx, tx, subscribers, ev.ActorID); err != nil {
		return nil, err
	}
	if ev.AssigneeID != nil {
		if n.assignee, err = userName(ctx, tx, subscribers, *ev.AssigneeID); err != nil {
			return nil, err
		}
	} else if info.AssigneeName != nil {
		n.assignee = *info.AssigneeName
	}
	if kind == model.MailKindReply && ev.Content != nil {
		n.reply = *ev.Content
	} else if kind == model.MailKindReply && ev.PostID != nil {
		post, err := model.FindPost(ctx, tx, *ev.PostID)
		if err != nil {
			return nil, fmt.Errorf("mail reply: %w", err)
		}
		n.reply = post.Content
	}
	site := o.siteURL(st)
	now := o.now()
	byLocale := map[string]rendered{}
	mails := make([]model.OutboxMail, 0, len(recipients))
	for _, u := range recipients {
		locale := NormalizeLocale(u.Locale)
		r, ok := byLocale[locale]
		if !ok {
			if r, err = n.render(newPage(st, site, locale)); err != nil {
				return nil, err
			}
			byLocale[locale] = r
		}
		mails = append(mails, o.row(kind, &ev.TicketID, u, locale, r, now))
	}
	return mails, nil
}

// settings is the configuration a notification shows: the Settings
// option's, else the config row.
func (o *Outbox) settings(ctx context.Context, tx *gorm.DB) (*model.Settings, error) {
	if o.st == nil {
		return model.LoadSettings(ctx, tx)
	}
	st, err := o.st(ctx)
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// eventRecipients applies the recipient rules of Enqueue. It also returns
// the names of the ticket's (enabled) subscribers, by id.
func (o *Outbox) eventRecipients(ctx context.Context, tx *gorm.DB, kind string, ev model.Event) ([]model.User, map[int64]string, error) {
	subs, err := model.TicketSubscribers(ctx, tx, ev.TicketID)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(subs))
	out := make([]model.User, 0, len(subs))
	seen := map[int64]bool{}
	for _, u := range subs {
		names[u.ID] = u.Name
		if kind == model.MailKindReply && u.ID == ev.ActorID {
			continue
		}
		seen[u.ID] = true
		out = append(out, u)
	}
	if kind == model.MailKindAssign && ev.AssigneeID != nil && !seen[*ev.AssigneeID] {
		var u model.User
		err := tx.WithContext(ctx).Where("id = ? AND disabled = ?", *ev.AssigneeID, false).Limit(1).Find(&u).Error
		if err != nil {
			return nil, nil, fmt.Errorf("mail assign: load assignee: %w", err)
		}
		if u.ID != 0 {
			out = append(out, u)
			names[u.ID] = u.Name
		}
	}
	return out, names, nil
}

// userName is the name of user id: from known (names already read), else
// from the users table ("" for nobody or a user that is gone).
func userName(ctx context.Context, tx *gorm.DB, known map[int64]string, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	if name, ok := known[id]; ok {
		return name, nil
	}
	var names []string
	if err := tx.WithContext(ctx).Model(&model.User{}).Where("id = ?", id).Limit(1).Pluck("name", &names).Error; err != nil {
		return "", fmt.Errorf("mail: load user %d: %w", id, err)
	}
	if len(names) == 0 {
		return "", nil
	}
	return names[0], nil
}

// ticketEvent is what a ticket notification shows.
type ticketEvent struct {
	info            *model.TicketMailInfo
	kind            string
	actor, assignee string
	reply           string
}

func (n ticketEvent) render(p *page) (rendered, error) {
	l := p.L
	t := n.info
	num := model.TicketNumber(t.ID)
	actor, assignee := n.actor, n.assignee
	if actor == "" {
		actor = l.Someone
	}
	if assignee == "" {
		assignee = l.Someone
	}
	v := &ticketView{
		Title: t.Title, Status: l.name(t.StatusName), Priority: l.name(t.PriorityName),
		Assigned: l.NotAssigned, Category: t.Department + " / " + t.CategoryName, Content: t.Content,
		Link: model.TicketPageURL(p.SiteURL, t.ID), LinkLabel: fmt.Sprintf(l.OpenTicket, num),
	}
	if t.AssigneeName != nil {
		v.Assigned = *t.AssigneeName
	}
	switch n.kind {
	case model.MailKindReply:
		p.Subject = fmt.Sprintf(l.SubjectReply, num, t.Title)
		v.Intro = fmt.Sprintf(l.IntroReply, num)
		v.ReplyBy, v.Reply = fmt.Sprintf(l.Replied, actor), n.reply
	case model.MailKindAssign, model.MailKindClaim:
		p.Subject = fmt.Sprintf(l.SubjectAssigned, num, t.Title, assignee)
		v.Intro = fmt.Sprintf(l.IntroAssigned, assignee, num)
	case model.MailKindRelease:
		p.Subject = fmt.Sprintf(l.SubjectReleased, num, t.Title)
		v.Intro = fmt.Sprintf(l.IntroReleased, num)
	case model.MailKindClose:
		p.Subject = fmt.Sprintf(l.SubjectClosed, num, t.Title)
		v.Intro = fmt.Sprintf(l.IntroClosed, num)
	}
	p.Ticket, p.Footer = v, l.Footer
	return render(tmplTicket, p)
}

func (o *Outbox) row(kind string, ticketID *int64, u model.User, locale string, r rendered, now time.Time) model.OutboxMail {
	uid := u.ID
	return model.OutboxMail{
		Kind: kind, TicketID: ticketID, RecipientEmail: u.Email, RecipientUserID: &uid, Locale: locale,
		Subject: r.Subject, BodyText: r.Text, BodyHTML: r.HTML,
		Status: model.MailPending, NextAttemptAt: now, CreatedAt: now,
	}
}

// EnqueuePasswordReset queues the reset link for the user, in the user's
// language: <site>/reset-password?token=<token>.
func (o *Outbox) EnqueuePasswordReset(ctx context.Context, tx *gorm.DB, u *model.User, token string) error {
	st, err := model.LoadSettings(ctx, tx)
	if err != nil {
		return fmt.Errorf("mail password reset: %w", err)
	}
	site := o.siteURL(st)
	if site == "" {
		o.log.Warn("no base URL configured: the password-reset mail holds a relative link; set FLICKET_BASE_URL or the config's base_url")
	}
	p := newPage(st, site, u.Locale)
	p.Subject = p.L.SubjectReset
	p.Greeting = fmt.Sprintf(p.L.Greeting, u.Name)
	p.Reset = &resetView{
		Intro: fmt.Sprintf(p.L.ResetIntro, p.AppTitle, u.Username),
		Link:  site + "/reset-password?token=" + url.QueryEscape(token),
	}
	r, err := render(tmplPasswordReset, p)
	if err != nil {
		return err
	}
	return model.EnqueueMails(ctx, tx, []model.OutboxMail{o.row(model.MailKindPasswordReset, nil, *u, p.Lang, r, o.now())})
}

// maxDigestRows caps one digest; the rest is summed up in a line.
const maxDigestRows = 200

// EnqueueOutstanding queues the outstanding-tickets digest (features §5): one
// mail per enabled user who started or is assigned at least one ticket that
// is not closed, listing those tickets. All mails are queued in one
// transaction. It returns how many were queued.
func (o *Outbox) EnqueueOutstanding(ctx context.Context) (int, error) {
	n := 0
	err := o.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := model.LoadSettings(ctx, tx)
		if err != nil {
			return err
		}
		users, err := model.OutstandingRecipients(ctx, tx)
		if err != nil {
			return err
		}
		site := o.siteURL(st)
		now := o.now()
		mails := make([]model.OutboxMail, 0, len(users))
		for _, u := range users {
			tickets, total, err := model.OutstandingTickets(ctx, tx, u.ID, maxDigestRows)
			if err != nil {
				return err
			}
			p := newPage(st, site, u.Locale)
			p.Subject = p.L.SubjectDigest
			p.Greeting = fmt.Sprintf(p.L.Greeting, u.Name)
			d := &digestView{Rows: make([]digestRow, len(tickets))}
			for i, t := range tickets {
				assigned := p.L.NotAssigned
				if t.AssigneeName != nil {
					assigned = *t.AssigneeName
				}
				d.Rows[i] = digestRow{
					Number: model.TicketNumber(t.ID), Link: model.TicketPageURL(site, t.ID), Title: t.Title,
					Priority: p.L.name(t.PriorityName), Status: p.L.name(t.StatusName), Assigned: assigned,
				}
			}
			if left := total - int64(len(tickets)); left > 0 {
				d.More = fmt.Sprintf(p.L.DigestMore, left)
			}
			p.Digest = d
			r, err := render(tmplOutstanding, p)
			if err != nil {
				return err
			}
			mails = append(mails, o.row(model.MailKindOutstanding, nil, u, p.Lang, r, now))
		}
		n = len(mails)
		return model.EnqueueMails(ctx, tx, mails)
	})
	if err != nil {
		return 0, fmt.Errorf("queue outstanding digest: %w", err)
	}
	return n, nil
}

// testMail renders the administrator's test mail.
func (o *Outbox) testMail(st *model.Settings, locale string) (rendered, error) {
	p := newPage(st, o.siteURL(st), locale)
	p.Subject = fmt.Sprintf(p.L.SubjectTest, p.AppTitle)
	p.Test = fmt.Sprintf(p.L.TestBody, p.AppTitle, p.AppTitle)
	return render(tmplTest, p)
}

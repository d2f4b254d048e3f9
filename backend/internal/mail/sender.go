package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	gomail "github.com/wneessen/go-mail"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
)

// SenderOptions tune the Sender; zero values take the defaults in brackets.
type SenderOptions struct {
	// BaseURL overrides the config row's base_url (FLICKET_BASE_URL); it
	// only picks the fallback sender address here.
	BaseURL string
	// BatchSize is how many mails one pass claims [20].
	BatchSize int
	// PollInterval is how often Run looks for due mail [5s].
	PollInterval time.Duration
	// Lease is how long a claimed mail is reserved for this sender [10m];
	// it must be longer than a batch can take.
	Lease time.Duration
	// Timeout bounds the SMTP connection and each command [30s].
	Timeout time.Duration
	// RetryBase is the first retry delay; it doubles per attempt [1m].
	RetryBase time.Duration
	// RetryMax caps the delay between attempts at one mail [1h].
	RetryMax time.Duration
	// MaxAttempts is how many times the server may refuse a mail before it
	// is marked failed [10] (about 8 hours with the defaults).
	MaxAttempts int
	// ServerRetryMax caps the wait after the server could not be reached
	// [5m]. Such failures are not the mail's fault and never use up its
	// attempts, so every mail goes out once the server is back.
	ServerRetryMax time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Logger (nil: discard).
	Logger *slog.Logger
}

func (o *SenderOptions) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 20
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	def(&o.PollInterval, 5*time.Second)
	def(&o.Lease, 10*time.Minute)
	def(&o.Timeout, 30*time.Second)
	def(&o.RetryBase, time.Minute)
	def(&o.RetryMax, time.Hour)
	def(&o.ServerRetryMax, 5*time.Minute)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Sender delivers the outbox. Several senders, in one process or several
// sharing a MariaDB/MySQL or PostgreSQL database, never send a mail twice:
// each mail is leased to one sender by ClaimMails. (A sender that dies after
// the server accepted a mail but before recording it sends it again once the
// lease runs out: delivery is at least once.)
type Sender struct {
	db *gorm.DB
	o  SenderOptions

	mu             sync.Mutex
	serverFailures int // consecutive passes that could not reach the server
}

// NewSender builds a sender over the database.
func NewSender(db *gorm.DB, o SenderOptions) *Sender {
	o.defaults()
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	return &Sender{db: db, o: o}
}

// Pass reports one SendDue.
type Pass struct {
	Claimed, Sent, Retried, Failed, Released int
	// Suppressed counts mails marked suppressed (mail_suppress_send).
	Suppressed int64
	// NotConfigured is true when no mail server is set: mail waits.
	NotConfigured bool
	// ServerError is why the server could not be used, if it could not.
	ServerError error
}

func (p *Pass) add(q Pass) {
	p.Claimed += q.Claimed
	p.Sent += q.Sent
	p.Retried += q.Retried
	p.Failed += q.Failed
	p.Released += q.Released
	p.Suppressed += q.Suppressed
	p.NotConfigured = q.NotConfigured
	if q.ServerError != nil {
		p.ServerError = q.ServerError
	}
}

func (s *Sender) now() time.Time { return s.o.Now().UTC() }

// Run sends due mail every PollInterval until ctx ends. Mail claimed but not
// yet tried when it ends is handed back at once.
func (s *Sender) Run(ctx context.Context) {
	t := time.NewTicker(s.o.PollInterval)
	defer t.Stop()
	for {
		if _, err := s.Drain(ctx); err != nil && ctx.Err() == nil {
			s.o.Logger.Error("mail sender", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Drain sends due mail until none is left or the server fails.
func (s *Sender) Drain(ctx context.Context) (Pass, error) {
	var total Pass
	for ctx.Err() == nil {
		p, err := s.SendDue(ctx)
		total.add(p)
		if err != nil {
			return total, err
		}
		if p.Claimed < s.o.BatchSize || p.ServerError != nil || p.Released > 0 {
			break
		}
	}
	return total, nil
}

// SendDue makes one pass: it reads the mail settings, claims up to BatchSize
// due mails and tries each once. With mail_suppress_send on, pending mails are
// marked suppressed instead and no server is contacted; with no mail server
// configured, mail waits. The returned error is a database failure; SMTP
// failures are recorded on the mails (and in Pass.ServerError).
func (s *Sender) SendDue(ctx context.Context) (Pass, error) {
	var p Pass
	st, err := model.LoadSettings(ctx, s.db)
	if err != nil {
		return p, fmt.Errorf("mail sender: %w", err)
	}
	now := s.now()
	if st.MailSuppressSend {
		p.Suppressed, err = model.SuppressPendingMails(ctx, s.db, now)
		return p, err
	}
	site := s.o.BaseURL
	if site == "" {
		site = st.BaseURL
	}
	cfg, err := smtpConfigFrom(st, site)
	if errors.Is(err, ErrNotConfigured) {
		p.NotConfigured = true
		return p, nil
	}
	mails, err := model.ClaimMails(ctx, s.db, now, s.o.Lease, s.o.BatchSize, uuid.NewString())
	if err != nil || len(mails) == 0 {
		return p, err
	}
	p.Claimed = len(mails)

	// Recording outcomes must not be cut short by a cancelled ctx: a mail the
	// server accepted is marked sent even while shutting down.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()

	cl, err := cfg.dial(ctx, s.o.Timeout)
	if err != nil && ctx.Err() != nil { // shutting down: not the server's fault
		return s.release(rec, p, mails, now, "")
	}
	if err != nil {
		return s.serverDown(rec, p, mails, err)
	}
	defer func() { _ = cl.Close() }()
	s.serverUp()
	for i := range mails {
		m := &mails[i]
		if ctx.Err() != nil {
			return s.release(rec, p, mails[i:], now, "")
		}
		msg, err := cfg.message(outgoing{
			to: m.RecipientEmail, subject: m.Subject, text: m.BodyText, html: m.BodyHTML,
			messageID: messageID(m, site), date: s.now(),
		})
		var bad *badRecipientError
		switch {
		case errors.As(err, &bad):
			err = s.failed(rec, m, err.Error())
			p.Failed++
		case err != nil: // the sender address: a setting, not the mail
			return s.serverDown(rec, p, mails[i:], err)
		default:
			err = cl.Send(msg)
			if err != nil && connectionLost(err) {
				return s.serverDown(rec, p, mails[i:], fmt.Errorf("mail server %s: %w", cfg.addr(), err))
			}
			err = s.outcome(rec, m, err, &p)
		}
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

// outcome records the server's answer to one mail.
func (s *Sender) outcome(ctx context.Context, m *model.OutboxMail, sendErr error, p *Pass) error {
	if sendErr == nil {
		p.Sent++
		return model.MarkMailSent(ctx, s.db, m, s.now())
	}
	reason := sendErr.Error()
	if permanentRecipientError(sendErr) || m.Attempts >= s.o.MaxAttempts {
		p.Failed++
		return s.failed(ctx, m, reason)
	}
	p.Retried++
	next := s.now().Add(backoff(s.o.RetryBase, s.o.RetryMax, m.Attempts))
	s.o.Logger.Warn("mail refused; will retry", "mail_id", m.ID, "attempt", m.Attempts, "next", next, "err", reason)
	return model.MarkMailRetry(ctx, s.db, m, next, reason)
}

func (s *Sender) failed(ctx context.Context, m *model.OutboxMail, reason string) error {
	s.o.Logger.Error("mail failed; giving up", "mail_id", m.ID, "attempts", m.Attempts, "err", reason)
	return model.MarkMailFailed(ctx, s.db, m, reason)
}

// serverDown hands the mails back untried, due again after a delay that
// grows while the server stays unreachable.
func (s *Sender) serverDown(ctx context.Context, p Pass, mails []model.OutboxMail, cause error) (Pass, error) {
	s.mu.Lock()
	s.serverFailures++
	n := s.serverFailures
	s.mu.Unlock()
	next := s.now().Add(backoff(s.o.RetryBase, s.o.ServerRetryMax, n))
	s.o.Logger.Warn("mail server unavailable; mail waits", "err", cause, "mails", len(mails), "next", next)
	p.ServerError = cause
	return s.release(ctx, p, mails, next, cause.Error())
}

func (s *Sender) serverUp() {
	s.mu.Lock()
	s.serverFailures = 0
	s.mu.Unlock()
}

func (s *Sender) release(ctx context.Context, p Pass, mails []model.OutboxMail, next time.Time, reason string) (Pass, error) {
	for i := range mails {
		if err := model.ReleaseMail(ctx, s.db, &mails[i], next, reason); err != nil {
			return p, err
		}
		p.Released++
	}
	return p, nil
}

// backoff is base·2^(n-1), capped.
func backoff(base, limit time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// connectionLost tells a dropped connection from a refusal of the mail.
func connectionLost(err error) bool {
	var se *gomail.SendError
	return errors.As(err, &se) && se.Reason == gomail.ErrConnCheck
}

// permanentRecipientError is a 5xx answer to RCPT TO: the address will
// never be accepted, so retrying only delays the report.
func permanentRecipientError(err error) bool {
	var se *gomail.SendError
	return errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && !se.IsTemp()
}

// messageID is stable across retries, so a mail sent twice (a sender died
// before recording it) can be recognised as one.
func messageID(m *model.OutboxMail, site string) string {
	host := "flicket.localhost"
	if i := strings.Index(site, "://"); i >= 0 {
		h := site[i+3:]
		if j := strings.IndexAny(h, "/:"); j >= 0 {
			h = h[:j]
		}
		if h != "" {
			host = h
		}
	}
	return fmt.Sprintf("flicket.%d.%d@%s", m.ID, m.CreatedAt.Unix(), host)
}

package mail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/flicket/flicket/backend/internal/model"
)

// ErrNotConfigured says the config row names no mail server.
var ErrNotConfigured = errors.New("no mail server is configured (mail_server is empty)")

// ErrInsecureAuth refuses to send SMTP credentials over a connection that is
// not encrypted, unless the server is on this machine.
var ErrInsecureAuth = errors.New("a mail username is set but the connection is not encrypted: " +
	"turn on mail_use_tls (STARTTLS) or mail_use_ssl (TLS); credentials go in clear only to a server on this machine")

// smtpConfig is what one connection needs, read from the config row at send
// time so that an administrator's change applies without a restart.
type smtpConfig struct {
	host     string
	port     int
	ssl      bool // implicit TLS (mail_use_ssl)
	starttls bool // STARTTLS required (mail_use_tls)
	username string
	password string
	from     string
}

func smtpConfigFrom(st *model.Settings, site string) (smtpConfig, error) {
	c := smtpConfig{ssl: st.MailUseSSL, starttls: st.MailUseTLS && !st.MailUseSSL, port: st.MailPort}
	if st.MailServer != nil {
		c.host = strings.TrimSpace(*st.MailServer)
	}
	if c.host == "" {
		return c, ErrNotConfigured
	}
	if c.port <= 0 || c.port > 65535 {
		switch {
		case c.ssl:
			c.port = 465
		case c.starttls:
			c.port = 587
		default:
			c.port = 25
		}
	}
	if st.MailUsername != nil {
		c.username = strings.TrimSpace(*st.MailUsername)
	}
	if st.MailPassword != nil {
		c.password = *st.MailPassword
	}
	if st.MailDefaultSender != nil {
		c.from = strings.TrimSpace(*st.MailDefaultSender)
	}
	if c.from == "" {
		// The original needs mail_default_sender; a missing one should not
		// stop mail, so use an address on the site's host.
		host := "localhost"
		if u, err := url.Parse(site); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		c.from = "flicket@" + host
	}
	return c, nil
}

func (c smtpConfig) addr() string { return fmt.Sprintf("%s:%d", c.host, c.port) }

// client builds a go-mail client. Without mail_use_tls or mail_use_ssl the
// connection stays in clear, as configured; credentials are then refused
// (ErrInsecureAuth) unless the server is on this machine, and even there
// only sent with mechanisms that do not reveal the password (go-mail's
// auto-discovery).
func (c smtpConfig) client(timeout time.Duration) (*gomail.Client, error) {
	if c.username != "" && !c.ssl && !c.starttls && !isLoopbackHost(c.host) {
		return nil, fmt.Errorf("mail server %s: %w", c.addr(), ErrInsecureAuth)
	}
	opts := []gomail.Option{gomail.WithPort(c.port), gomail.WithTimeout(timeout)}
	switch {
	case c.ssl:
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.NoTLS))
	case c.starttls:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if c.username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(c.username), gomail.WithPassword(c.password))
	}
	cl, err := gomail.NewClient(c.host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail server %s: %w", c.addr(), err)
	}
	return cl, nil
}

// dial connects, says EHLO, starts TLS and authenticates.
func (c smtpConfig) dial(ctx context.Context, timeout time.Duration) (*gomail.Client, error) {
	cl, err := c.client(timeout)
	if err != nil {
		return nil, err
	}
	if err := cl.DialWithContext(ctx); err != nil {
		return nil, fmt.Errorf("mail server %s: %w", c.addr(), err)
	}
	return cl, nil
}

// outgoing is one message to hand to the server.
type outgoing struct {
	to, subject, text, html string
	messageID               string
	date                    time.Time
}

// message builds the MIME message: a plain-text part and its HTML
// alternative, in UTF-8.
func (c smtpConfig) message(o outgoing) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.From(c.from); err != nil {
		return nil, fmt.Errorf("sender %q (mail_default_sender) is not a valid address: %w", c.from, err)
	}
	if err := m.To(o.to); err != nil {
		return nil, &badRecipientError{fmt.Errorf("recipient %q is not a valid address: %w", o.to, err)}
	}
	m.Subject(o.subject)
	m.SetDateWithValue(o.date)
	if o.messageID != "" {
		m.SetMessageIDWithValue(o.messageID)
	} else {
		m.SetMessageID()
	}
	// RFC 3834: automatic mail, so vacation responders stay quiet.
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, o.text)
	m.AddAlternativeString(gomail.TypeTextHTML, o.html)
	return m, nil
}

// badRecipientError marks a mail that can never be sent as addressed.
type badRecipientError struct{ err error }

func (e *badRecipientError) Error() string { return e.err.Error() }
func (e *badRecipientError) Unwrap() error { return e.err }

// SendTest sends the administrator's test mail to one address at once, not
// through the outbox, and returns the SMTP failure if there is one. With no
// mail server configured it returns ErrNotConfigured. It ignores
// mail_suppress_send: the point is to try the settings.
func (o *Outbox) SendTest(ctx context.Context, st *model.Settings, to, locale string, timeout time.Duration) error {
	cfg, err := smtpConfigFrom(st, o.siteURL(st))
	if err != nil {
		return err
	}
	r, err := o.testMail(st, locale)
	if err != nil {
		return err
	}
	msg, err := cfg.message(outgoing{to: to, subject: r.Subject, text: r.Text, html: r.HTML, date: o.now()})
	if err != nil {
		return err
	}
	cl, err := cfg.dial(ctx, timeout)
	if err != nil {
		return err
	}
	defer func() { _ = cl.Close() }()
	if err := cl.Send(msg); err != nil {
		return fmt.Errorf("mail server %s: %w", cfg.addr(), err)
	}
	return nil
}

package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/model"
)

// testEmailTimeout bounds the SMTP conversation of the test mail (the
// server's testEmailTimeout; tests shorten it).
const testEmailTimeout = 20 * time.Second

// TestEmailRequest names where the test mail goes.
type TestEmailRequest struct {
	EmailAddress string `json:"email_address" validate:"required,email,max=254" example:"admin@example.com"`
} // @name TestEmailRequest

// TestEmailResult confirms the server accepted the test mail.
type TestEmailResult struct {
	EmailAddress string `json:"email_address" example:"admin@example.com"`
	Message      string `json:"message" example:"The mail server accepted the test e-mail to admin@example.com."`
} // @name TestEmailResult

// sendTestEmail godoc
//
//	@Summary		Send a test e-mail
//	@Description	Sends one test mail at once with the mail settings of the configuration (not through the outbox, and even when mail_suppress_send is on, since it tries the settings). 409 mail.not_configured when no mail server is set; 502 mail.send_failed when the server cannot be reached or refuses the mail, with the cause in `errors[0].code` (refused, timeout, host_unknown, tls, auth, insecure_auth, rejected or failed) and `errors[0].field` the setting most likely wrong. The message is Flicket's own: what the remote server said is never echoed. Credentials are never sent over an unencrypted connection except to a server on this machine (insecure_auth).
//	@Tags			config
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		TestEmailRequest	true	"recipient"
//	@Success		200		{object}	TestEmailResult
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Failure		502		{object}	ErrorBody
//	@Router			/flicket-api/config/test-email [post]
func (s *Server) sendTestEmail(c echo.Context) error {
	var req TestEmailRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	// The row itself, not the cache: the administrator may have just saved it.
	st, err := model.LoadSettings(ctx, s.db)
	if err != nil {
		return err
	}
	sendCtx, cancel := context.WithTimeout(ctx, s.testEmailTimeout+5*time.Second)
	defer cancel()
	err = s.mail.SendTest(sendCtx, st, req.EmailAddress, currentUser(c).Locale, s.testEmailTimeout)
	switch {
	case errors.Is(err, mail.ErrNotConfigured):
		return errConflict("mail.not_configured", "No mail server is configured: set mail_server in the configuration first.")
	case err != nil:
		// Our own words only: the remote's replies are not echoed, so the
		// test mail cannot be used to read other hosts' banners.
		f := mail.Classify(err)
		msg := "The test e-mail could not be sent: " + f.Message
		if f.Kind != mail.FailInsecureAuth {
			msg += " (mail server " + mailServerAddr(st) + ")."
		}
		e := &APIError{
			Status: http.StatusBadGateway, Code: "mail.send_failed", Cause: err, Message: msg,
			Fields: []model.FieldError{{Field: mailFieldAtFault(f.Kind), Code: f.Kind, Message: msg}},
		}
		// The kind (the field error's code) says what failed, server where.
		return e.with(map[string]any{"kind": f.Kind, "server": mailServerAddr(st)})
	}
	return c.JSON(http.StatusOK, TestEmailResult{
		EmailAddress: req.EmailAddress,
		Message:      "The mail server accepted the test e-mail to " + req.EmailAddress + ".",
	})
}

// mailServerAddr is host:port of the configured mail server, for messages.
func mailServerAddr(st *model.Settings) string {
	host := ""
	if st.MailServer != nil {
		host = *st.MailServer
	}
	if st.MailPort > 0 {
		return host + ":" + strconv.Itoa(st.MailPort)
	}
	return host
}

// mailFieldAtFault names the setting most likely wrong for a failure kind.
func mailFieldAtFault(kind string) string {
	switch kind {
	case mail.FailRefused, mail.FailTimeout:
		return "mail_port"
	case mail.FailTLS, mail.FailInsecureAuth:
		return "mail_use_tls"
	case mail.FailAuth:
		return "mail_password"
	case mail.FailRejected:
		return "mail_default_sender"
	default:
		return "mail_server"
	}
}

// OutboxMail is a queued e-mail as administrators see it: never its body
// (a pending reset mail holds a live link) nor any SMTP setting.
type OutboxMail struct {
	Attempts        int             `json:"attempts" example:"1"`
	CreatedAt       Time            `json:"created_at" example:"Thu, 26 Nov 2026 17:58:16 GMT"`
	ID              int64           `json:"id" example:"12"`
	Kind            string          `json:"kind" example:"reply" enums:"reply,assign,claim,release,close,password_reset,outstanding"`
	LastError       *string         `json:"last_error" extensions:"x-nullable" example:"mail server smtp.example.com:587: dial tcp: connection refused"`
	Links           OutboxMailLinks `json:"links"`
	Locale          string          `json:"locale" example:"en"`
	NextAttemptAt   Time            `json:"next_attempt_at" example:"Thu, 26 Nov 2026 18:00:16 GMT"`
	RecipientEmail  string          `json:"recipient_email" example:"jane@example.com"`
	RecipientUserID *int64          `json:"recipient_user_id" extensions:"x-nullable" example:"3"`
	SentAt          *Time           `json:"sent_at" extensions:"x-nullable"`
	Status          string          `json:"status" example:"pending" enums:"pending,sent,suppressed,failed"`
	Subject         string          `json:"subject" example:"Ticket #00012 - \"Printer jam\" has new replies."`
	TicketID        *int64          `json:"ticket_id" extensions:"x-nullable" example:"12"`
} // @name OutboxMail

// OutboxMailLinks point to the ticket and the recipient (null when gone).
type OutboxMailLinks struct {
	Recipient *string `json:"recipient" extensions:"x-nullable"`
	Ticket    *string `json:"ticket" extensions:"x-nullable"`
} // @name OutboxMailLinks

var outboxStatuses = map[string]bool{
	model.MailPending: true, model.MailSent: true, model.MailSuppressed: true, model.MailFailed: true,
}

// listOutbox godoc
//
//	@Summary		List the mail outbox
//	@Description	Newest first. `status` keeps one state: pending (waiting or retrying: see attempts, next_attempt_at and last_error), sent, suppressed (mail_suppress_send was on) or failed (given up; last_error says why).
//	@Tags			config
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status		query		string	false	"pending, sent, suppressed or failed"	Enums(pending, sent, suppressed, failed)
//	@Param			page		query		int		false	"page number (from 1)"
//	@Param			per_page	query		int		false	"items per page (default: the configured page size, at most 100)"
//	@Success		200			{object}	Envelope[OutboxMail]
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Failure		403			{object}	ErrorBody
//	@Router			/flicket-api/mail/outbox [get]
func (s *Server) listOutbox(c echo.Context) error {
	status := c.QueryParam("status")
	if status != "" && !outboxStatuses[status] {
		return errQuery("status", "oneof", "status must be one of: pending, sent, suppressed, failed.").
			with(map[string]any{"values": []string{"pending", "sent", "suppressed", "failed"}})
	}
	p, err := s.pageParams(c)
	if err != nil {
		return err
	}
	rows, total, err := model.ListOutbox(c.Request().Context(), s.db, status, p.Offset(), p.PerPage)
	if err != nil {
		return err
	}
	l := s.links(c)
	out := make([]OutboxMail, len(rows))
	for i, m := range rows {
		out[i] = OutboxMail{
			Attempts: m.Attempts, CreatedAt: apiTime(m.CreatedAt), ID: m.ID, Kind: m.Kind, LastError: m.LastError,
			Links:  OutboxMailLinks{Recipient: l.opt("/user/%d", m.RecipientUserID), Ticket: l.opt("/ticket/%d", m.TicketID)},
			Locale: m.Locale, NextAttemptAt: apiTime(m.NextAttemptAt), RecipientEmail: m.RecipientEmail,
			RecipientUserID: m.RecipientUserID, SentAt: apiTimePtr(m.SentAt), Status: m.Status, Subject: m.Subject,
			TicketID: m.TicketID,
		}
	}
	return c.JSON(http.StatusOK, newEnvelope(out, p, total, l.list("/mail/outbox/", queryPaged, c, "status")))
}

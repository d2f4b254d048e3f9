package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/flicket/flicket/backend/internal/mail"
)

func newEmailOutstandingCmd() *cobra.Command {
	var noSend bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "email-outstanding",
		Short: "Mail every user the list of their tickets that are not closed (for cron)",
		Long: `email-outstanding queues one mail per enabled user who started or is
assigned at least one ticket that is not closed, listing those tickets
(number and link, title, priority, status, assignee), in the user's language.
It then sends what is due before exiting (unless --no-send); mail the server
cannot take yet stays in the outbox and the running server's sender delivers
it. Exits 0 once the mails are queued, whatever the mail server does.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withEnv(cmd, func(e *env) error {
				n, err := mail.NewOutbox(e.db, mail.Options{BaseURL: e.cfg.BaseURL, Logger: e.log}).EnqueueOutstanding(ctx)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "queued %d outstanding-tickets mail(s)\n", n)
				if noSend || n == 0 {
					return nil
				}
				sendCtx, cancel := context.WithTimeout(ctx, timeout)
				defer cancel()
				p, err := mail.NewSender(e.db, mail.SenderOptions{BaseURL: e.cfg.BaseURL, Logger: e.log}).Drain(sendCtx)
				if err != nil {
					return err
				}
				switch {
				case p.Suppressed > 0:
					fmt.Fprintf(out, "mail_suppress_send is on: %d mail(s) marked suppressed, none sent\n", p.Suppressed)
				case p.NotConfigured:
					fmt.Fprintln(out, "no mail server is configured: the mails wait in the outbox")
				case p.ServerError != nil:
					fmt.Fprintf(out, "sent %d mail(s); the mail server failed (%v): the rest wait in the outbox for the server's sender\n", p.Sent, p.ServerError)
				default:
					fmt.Fprintf(out, "sent %d mail(s)\n", p.Sent)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&noSend, "no-send", false, "only queue the mails; the running server sends them")
	cmd.Flags().DurationVar(&timeout, "send-timeout", 2*time.Minute, "how long to spend sending before leaving the rest to the server")
	return cmd
}

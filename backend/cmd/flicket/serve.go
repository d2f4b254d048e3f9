package main

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"github.com/flicket/flicket/backend/internal/api"
	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/search"
	"github.com/flicket/flicket/backend/internal/setup"
	"github.com/flicket/flicket/backend/internal/version"
)

func newServeCmd() *cobra.Command {
	var noMigrate bool
	var listen string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the API and the web app",
		Long: `serve applies pending migrations (unless --no-migrate), sets up a new
database on its first run (the administrator "admin" gets FLICKET_ADMIN_PASSWORD,
or a generated password printed once), then serves until SIGTERM or Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withEnv(cmd, func(e *env) error {
				if listen != "" {
					e.cfg.Listen = listen
				}
				if noMigrate {
					n, err := database.Pending(ctx, e.db)
					if err != nil {
						return err
					}
					if n > 0 {
						e.log.Warn("database has pending migrations; run `flicket migrate up`", "pending", n)
					}
				} else if err := database.MigrateUp(ctx, e.db); err != nil {
					return err
				}
				if ready, err := search.Ready(ctx, e.db); err == nil && !ready {
					e.log.Warn("the search index is not filled yet: searches answer 503 until `flicket search reindex` has run")
				}
				hasher := auth.NewHasher(e.cfg.BcryptCost)
				if err := firstRun(ctx, e, hasher, cmd); err != nil {
					return err
				}
				settings := model.NewSettingsCache(e.db, defaultSettingsTTL)
				st, err := settings.Get(ctx)
				if err != nil {
					return fmt.Errorf("read settings (has `flicket setup` run?): %w", err)
				}
				secret := e.cfg.SecretKey
				if secret == "" {
					secret = st.SecretKey
				}
				if secret == "" {
					return errors.New("no secret key: set FLICKET_SECRET_KEY or run `flicket setup`")
				}
				// One outbox takes the ticket events and the reset mails; the
				// sender delivers it in the background until the server stops.
				outbox := mail.NewOutbox(e.db, mail.Options{BaseURL: e.cfg.BaseURL, Logger: e.log, Settings: settings.Get})
				srv := api.New(api.Deps{
					DB: e.db, Config: e.cfg, Logger: e.log, Hasher: hasher, Settings: settings,
					Tokens: auth.NewTokens([]byte(secret), e.cfg.TokenTTL, nil),
					Events: outbox, Mail: outbox,
				})
				ln, err := net.Listen("tcp", e.cfg.Listen)
				if err != nil {
					return fmt.Errorf("listen on %s: %w", e.cfg.Listen, err)
				}
				sendCtx, stopSender := context.WithCancel(ctx)
				senderDone := make(chan struct{})
				go func() {
					defer close(senderDone)
					mail.NewSender(e.db, mail.SenderOptions{BaseURL: e.cfg.BaseURL, Logger: e.log}).Run(sendCtx)
				}()
				e.log.Info("serving", "version", version.String(), "address", ln.Addr().String(), "database", string(e.dialect))
				err = srv.Run(ctx, ln)
				stopSender()
				<-senderDone // the database closes after the sender has let go of it
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&noMigrate, "no-migrate", false, "do not apply pending migrations at start")
	cmd.Flags().StringVar(&listen, "listen", "", "address to listen on (default: FLICKET_LISTEN, :5000)")
	return cmd
}

// firstRun sets up a database that has never been set up, so that `make run`
// is the whole installation.
func firstRun(ctx context.Context, e *env, hasher *auth.Hasher, cmd *cobra.Command) error {
	done, err := setup.IsSetUp(ctx, e.db)
	if err != nil || done {
		return err
	}
	password, generated := e.cfg.AdminPassword, false
	if password == "" {
		if password, err = setup.RandomPassword(); err != nil {
			return err
		}
		generated = true
	}
	res, err := setup.Run(ctx, e.db, hasher, setup.Options{
		AdminUsername: "admin", AdminPassword: password, AdminEmail: "admin@example.com",
		BaseURL: e.cfg.BaseURL, SampleDepartments: true,
	})
	if err != nil {
		return err
	}
	if res.AdminCreated {
		out := cmd.ErrOrStderr()
		if generated {
			fmt.Fprintf(out, "\n  First run: created administrator \"admin\" with password %s\n  (shown only this once; change it after signing in)\n\n", password)
		} else {
			fmt.Fprintln(out, "First run: created administrator \"admin\" with the password in FLICKET_ADMIN_PASSWORD")
		}
	}
	return nil
}

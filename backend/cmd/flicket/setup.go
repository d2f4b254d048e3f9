package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/setup"
)

func newSetupCmd() *cobra.Command {
	var o setup.Options
	var noSample bool
	cmd := &cobra.Command{
		Use:   "setup",
		Short: "Create the schema, the seed data and the first administrator (safe to run again)",
		Long: `setup applies pending migrations, then seeds statuses, priorities, the
flicket_admin and super_user groups, the config row, the administrator and,
on an empty database, sample departments. Running it again changes nothing
that already exists. Missing values are asked for when stdin is a terminal.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withEnv(cmd, func(e *env) error {
				if err := database.MigrateUp(cmd.Context(), e.db); err != nil {
					return err
				}
				o.SampleDepartments = !noSample
				if o.BaseURL == "" {
					o.BaseURL = e.cfg.BaseURL
				}
				if err := completeOptions(cmd.Context(), e.db, &o, cmd.InOrStdin(), cmd.ErrOrStderr()); err != nil {
					return err
				}
				res, err := setup.Run(cmd.Context(), e.db, auth.NewHasher(e.cfg.BcryptCost), o)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if res.AdminCreated {
					fmt.Fprintf(out, "created administrator %q (id %d)\n", o.AdminUsername, res.AdminID)
				} else {
					fmt.Fprintf(out, "administrator %q already exists (id %d); left unchanged\n", o.AdminUsername, res.AdminID)
				}
				if res.DepartmentsAdded > 0 {
					fmt.Fprintf(out, "added %d sample departments\n", res.DepartmentsAdded)
				}
				fmt.Fprintln(out, "setup complete")
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.AdminUsername, "admin-username", "admin", "username of the first administrator")
	f.StringVar(&o.AdminPassword, "admin-password", "", "password of the first administrator (asked for when missing)")
	f.StringVar(&o.AdminEmail, "admin-email", "", "e-mail of the first administrator (asked for when missing)")
	f.StringVar(&o.BaseURL, "base-url", "", "public URL of this Flicket, used in links and e-mails (default: FLICKET_BASE_URL)")
	f.BoolVar(&noSample, "no-sample-data", false, "do not create the sample departments and categories")
	return cmd
}

// completeOptions asks for the administrator's missing fields when stdin is
// a terminal; without one, missing fields are an error (unless the
// administrator already exists, when none are needed).
func completeOptions(ctx context.Context, db *gorm.DB, o *setup.Options, in io.Reader, out io.Writer) error {
	if _, err := model.FindUserByUsername(ctx, db, o.AdminUsername); err == nil {
		return nil
	} else if !errors.Is(err, model.ErrNotFound) {
		return err
	}
	f, isFile := in.(*os.File)
	interactive := isFile && term.IsTerminal(int(f.Fd()))
	if o.AdminEmail == "" || o.AdminPassword == "" {
		if !interactive {
			return errors.New("--admin-email and --admin-password are required when stdin is not a terminal")
		}
		reader := bufio.NewReader(in)
		if o.AdminEmail == "" {
			fmt.Fprintf(out, "E-mail of administrator %q: ", o.AdminUsername)
			line, err := reader.ReadString('\n')
			if err != nil {
				return fmt.Errorf("read e-mail: %w", err)
			}
			o.AdminEmail = strings.TrimSpace(line)
		}
		for o.AdminPassword == "" {
			fmt.Fprint(out, "Password (8+ characters): ")
			p1, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(out)
			if err != nil {
				return fmt.Errorf("read password: %w", err)
			}
			fmt.Fprint(out, "Repeat the password: ")
			p2, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(out)
			if err != nil {
				return fmt.Errorf("read password: %w", err)
			}
			if string(p1) != string(p2) {
				fmt.Fprintln(out, "The passwords differ; try again.")
				continue
			}
			o.AdminPassword = string(p1)
		}
	}
	return o.Validate()
}

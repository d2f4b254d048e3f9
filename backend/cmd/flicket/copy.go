package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/flicket/flicket/backend/internal/config"
	"github.com/flicket/flicket/backend/internal/dbcopy"
)

func newCopyCmd() *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use:   "copy --to URL",
		Short: "Copy the whole database into an empty database of another kind",
		Long: `copy copies everything in FLICKET_DATABASE_URL (token revocations and the
mail outbox included; files stay where they are) into the empty database
--to URL, e.g. from the embedded SQLite to PostgreSQL or MariaDB when a team
outgrows one machine. It reads one consistent snapshot, so the server may keep
running (what it writes after the snapshot is not copied). Before writing it
checks that the target's uniqueness rules accept every row; it writes in one
transaction and verifies every table's row count before committing. The
target must be empty or hold only what setup created.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" {
				return errors.New("--to is required: the database URL to copy into")
			}
			cfg, err := config.Load()
			if err != nil {
				return err
			}
			bars := newTableProgress(cmd.ErrOrStderr())
			start := time.Now()
			counts, err := dbcopy.Run(cmd.Context(), dbcopy.Options{From: cfg.DatabaseURL, To: to, Progress: bars.update})
			bars.finish()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			total := 0
			for _, c := range counts {
				fmt.Fprintf(out, "%-18s %10d\n", c.Table, c.Rows)
				total += c.Rows
			}
			fmt.Fprintf(out, "copied %d rows in %d tables in %s; row counts verified\n", total, len(counts), time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the database to copy into (sqlite://, mysql:// or postgres://)")
	return cmd
}

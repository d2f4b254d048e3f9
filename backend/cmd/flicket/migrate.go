package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/flicket/flicket/backend/internal/database"
)

func newMigrateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply, undo or list database migrations",
	}
	up := &cobra.Command{
		Use:   "up",
		Short: "Apply every pending migration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withEnv(cmd, func(e *env) error {
				before, err := database.Pending(cmd.Context(), e.db)
				if err != nil {
					return err
				}
				if err := database.MigrateUp(cmd.Context(), e.db); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "applied %d migration(s); the %s database is up to date\n", before, e.dialect)
				return nil
			})
		},
	}
	var all bool
	down := &cobra.Command{
		Use:   "down",
		Short: "Undo the last applied migration (--all: every migration)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withEnv(cmd, func(e *env) error {
				n, err := database.MigrateDown(cmd.Context(), e.db, all)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "rolled back %d migration(s)\n", n)
				return nil
			})
		},
	}
	down.Flags().BoolVar(&all, "all", false, "undo every migration (drops all Flicket tables and their data)")
	status := &cobra.Command{
		Use:   "status",
		Short: "List migrations and whether each is applied",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withEnv(cmd, func(e *env) error {
				st, err := database.Status(cmd.Context(), e.db)
				if err != nil {
					return err
				}
				for _, s := range st {
					state := "pending"
					if s.Applied {
						state = "applied"
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%-8s %s\n", state, s.ID)
				}
				return nil
			})
		},
	}
	cmd.AddCommand(up, down, status)
	return cmd
}

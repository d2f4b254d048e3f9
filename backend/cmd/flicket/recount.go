package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/flicket/flicket/backend/internal/model"
)

func newRecountCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "recount",
		Short: "Recompute the stored counters and print what was wrong",
		Long: `recount recomputes users.total_posts (tickets started + replies written),
users.total_assigned (tickets assigned), users.total_started and
users.total_self_assigned (tickets started, and those of them assigned to
their starter), tickets.num_replies,
tickets.total_hours (ticket hours + reply hours), the per-category and
status ticket counts and what each ticket keeps for the list (its category's
department and the sort keys of its title, creator, assignee and
department/category), in one transaction, and prints every value it changed.
The API keeps them exact; this repairs imported or hand-edited databases.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withEnv(cmd, func(e *env) error {
				changes, err := model.RecountAll(cmd.Context(), e.db)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				for _, c := range changes {
					fmt.Fprintf(out, "%s: %s -> %s\n", c.What, c.Old, c.New)
				}
				if len(changes) == 0 {
					fmt.Fprintln(out, "every counter was already right")
				} else {
					fmt.Fprintf(out, "corrected %d counter(s)\n", len(changes))
				}
				return nil
			})
		},
	}
}

package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/demo"
	"github.com/flicket/flicket/backend/internal/setup"
)

func newSeedDemoCmd() *cobra.Command {
	var o demo.Options
	cmd := &cobra.Command{
		Use:   "seed-demo",
		Short: "Fill the database with realistic fake tickets, replies and users",
		Long: `seed-demo adds --tickets tickets with --posts-per-ticket replies each, spread
over the last two years, and --users demo users (demo_1, demo_2, ... with the
password "` + demo.DemoPassword + `"). It sets up an empty database first. Inserts are batched;
counters are rebuilt at the end. Meant for trying Flicket out and for load tests.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withEnv(cmd, func(e *env) error {
				if err := database.MigrateUp(ctx, e.db); err != nil {
					return err
				}
				hasher := auth.NewHasher(e.cfg.BcryptCost)
				if err := firstRun(ctx, e, hasher, cmd); err != nil {
					return err
				}
				if done, err := setup.IsSetUp(ctx, e.db); err != nil {
					return err
				} else if !done {
					return errors.New("the database is not set up; run `flicket setup`")
				}
				progress := textProgress(cmd, o.Tickets)
				if f, ok := cmd.ErrOrStderr().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
					bar := newBar(cmd, o.Tickets)
					progress = func(done int) { _ = bar.Set(done) }
					defer func() { _ = bar.Finish() }()
				}
				start := time.Now()
				res, err := demo.Seed(ctx, e.db, hasher, o, progress)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "added %d tickets, %d replies and %d users in %s\n",
					res.Tickets, res.Posts, res.Users, time.Since(start).Round(time.Millisecond))
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Tickets, "tickets", 1000, "number of tickets to add")
	f.IntVar(&o.PostsPerTicket, "posts-per-ticket", 3, "replies per ticket")
	f.IntVar(&o.Users, "users", 25, "demo users to have (created when missing)")
	f.IntVar(&o.BatchSize, "batch", 1000, "tickets per insert transaction")
	f.Uint64Var(&o.Seed, "seed", 42, "random seed (same seed, same data)")
	return cmd
}

// newBar is the progress bar shown on a terminal.
func newBar(cmd *cobra.Command, total int) *progressbar.ProgressBar {
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(cmd.ErrOrStderr()),
		progressbar.OptionSetDescription("tickets"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("tickets"),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// textProgress prints a line every tenth of the way, for logs and pipes.
func textProgress(cmd *cobra.Command, total int) demo.Progress {
	step := max(total/10, 1)
	next := step
	return func(done int) {
		if done >= next || done == total {
			fmt.Fprintf(cmd.ErrOrStderr(), "seed-demo: %d/%d tickets\n", done, total)
			for next <= done {
				next += step
			}
		}
	}
}

package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/search"
)

func newSearchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "search",
		Short: "Administer the full-text search index",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "reindex",
		Short: "Index every ticket for search, with a progress bar",
		Long: `reindex rebuilds the search index from every ticket's title, body and
replies, a batch of tickets per transaction (the server keeps running and
keeps the index up to date for what changes meanwhile), then marks the index
ready. The migration that creates the index fills it itself on databases of
up to 20000 tickets; on bigger ones search answers 503 search.not_ready
until this command has run. Phrase searches are fast through an index of
adjacent words: on PostgreSQL this command builds it (migration 0036 builds
it itself on small databases only), on MariaDB/MySQL and SQLite it fills the
word-pairs table (migrations 0075 and 0076 likewise); run it once after
upgrading a bigger database. On SQLite it ends by merging the index into one
segment, as "flicket search optimize" does. Running it again is harmless.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withEnv(cmd, func(e *env) error {
				if err := database.MigrateUp(ctx, e.db); err != nil {
					return err
				}
				bars := newTableProgress(cmd.ErrOrStderr())
				start := time.Now()
				var n int64
				err := search.Reindex(ctx, e.db, func(done, total int64) {
					n = done
					bars.update("tickets", int(done), int(total))
				})
				bars.finish()
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "indexed %d tickets in %s; search is ready\n", n, time.Since(start).Round(time.Millisecond))
				return nil
			})
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "optimize",
		Short: "Merge SQLite's search index into one segment (faster searches)",
		Long: `optimize merges SQLite's full-text index (FTS5) into one segment, in small
steps each its own transaction, so the server keeps serving and writing
meanwhile. An index filled in batches (by an older reindex or seed-demo, or
an import) is many segments, each of which every search reads; reindex now
ends with this step itself. On PostgreSQL and MariaDB/MySQL there is nothing
to do. Running it again is harmless.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return withEnv(cmd, func(e *env) error {
				if err := database.MigrateUp(ctx, e.db); err != nil {
					return err
				}
				start := time.Now()
				merged, err := search.Compact(ctx, e.db)
				if err != nil {
					return err
				}
				switch {
				case e.db.Name() != "sqlite":
					fmt.Fprintf(cmd.OutOrStdout(), "nothing to do on %s\n", e.db.Name())
				case merged:
					fmt.Fprintf(cmd.OutOrStdout(), "search index merged into one segment in %s\n", time.Since(start).Round(time.Millisecond))
				default:
					fmt.Fprintln(cmd.OutOrStdout(), "search index already in one segment")
				}
				return nil
			})
		},
	})
	return cmd
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/flicketimport"
)

func newImportFlicketCmd() *cobra.Command {
	var o flicketimport.Options
	var tz string
	cmd := &cobra.Command{
		Use:   "import-flicket --from URL [--files DIR] [--dry-run] [--timezone TZ]",
		Short: "Import a whole original Flicket database and its files, ids kept",
		Long: `import-flicket copies everything from an original Flicket 0.3.5 database
(--from mysql://..., postgres://... or sqlite:///path/flicket.db) into
FLICKET_DATABASE_URL, ids kept: users (their passwords keep working), groups,
statuses, priorities, departments, categories, tickets, replies,
subscriptions, edit histories, actions, attachments and settings.

--files is the original's installation root: its upload and avatar folders
(from its settings) are read relative to it and the files copied into
FLICKET_UPLOAD_DIR. Without it attachments are imported as missing.

The target must be empty or hold only what setup created (that is replaced).
Everything is written in one transaction: on any failure nothing is changed.
--dry-run reads and checks everything and prints the report without writing.
--timezone is the zone the original's server ran in (its datetimes are
naive local times).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.From == "" {
				return errors.New("--from is required: the original Flicket's database URL")
			}
			loc, err := time.LoadLocation(tz)
			if err != nil {
				return fmt.Errorf("--timezone %q: not a time zone name (e.g. Europe/Paris): %w", tz, err)
			}
			o.Timezone = loc
			if o.Files != "" {
				if st, err := os.Stat(o.Files); err != nil || !st.IsDir() {
					return fmt.Errorf("--files %s: not a folder", o.Files)
				}
			}
			ctx := cmd.Context()
			return withEnv(cmd, func(e *env) error {
				if err := database.MigrateUp(ctx, e.db); err != nil {
					return err
				}
				o.UploadDir = e.cfg.UploadDir
				o.Logger = e.log
				bars := newTableProgress(cmd.ErrOrStderr())
				o.Progress = bars.update
				start := time.Now()
				rep, err := flicketimport.Run(ctx, e.db, o)
				bars.finish()
				rep.Print(cmd.OutOrStdout())
				if err != nil {
					return err
				}
				if o.DryRun {
					fmt.Fprintln(cmd.OutOrStdout(), "dry run: nothing was written")
				} else {
					fmt.Fprintf(cmd.OutOrStdout(), "imported in %s\n", time.Since(start).Round(time.Millisecond))
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.From, "from", "", "the original Flicket's database URL (mysql://, postgres:// or sqlite:///path)")
	f.StringVar(&o.Files, "files", "", "the original's installation root, where its upload and avatar folders are")
	f.BoolVar(&o.DryRun, "dry-run", false, "read and check everything, print the report, write nothing")
	f.StringVar(&tz, "timezone", "UTC", "time zone of the original's naive datetimes")
	return cmd
}

// tableProgress shows one progress bar per table on a terminal, and a line
// per table otherwise (logs, pipes).
type tableProgress struct {
	w     io.Writer
	tty   bool
	table string
	done  int
	bar   *progressbar.ProgressBar
}

func newTableProgress(w io.Writer) *tableProgress {
	p := &tableProgress{w: w}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

func (p *tableProgress) update(table string, done, total int) {
	if table != p.table {
		p.finish()
		p.table = table
		if p.tty {
			p.bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(p.w),
				progressbar.OptionSetDescription(fmt.Sprintf("%-14s", table)),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionThrottle(200*time.Millisecond),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
			)
		}
	}
	p.done = done
	if p.bar != nil {
		_ = p.bar.Set(done)
	}
}

func (p *tableProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	} else if p.table != "" {
		fmt.Fprintf(p.w, "%s: %d rows\n", p.table, p.done)
	}
	p.table = ""
}

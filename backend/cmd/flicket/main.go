// Command flicket is the whole Flicket product in one binary: the API
// server (with the SPA embedded) and its administration commands.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/config"
	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/logging"
	"github.com/flicket/flicket/backend/internal/version"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		// One line, no stack trace: the error says what is wrong.
		fmt.Fprintln(os.Stderr, "flicket: "+err.Error())
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "flicket",
		Short:         "Flicket, a simple self-hosted ticketing system",
		Long:          "Flicket serves the ticketing API and web app, and administers its database.\nConfiguration comes from FLICKET_* environment variables (see README.md).",
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       version.String(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.AddCommand(
		newServeCmd(),
		newMigrateCmd(),
		newSetupCmd(),
		newUsersCmd(),
		newEmailOutstandingCmd(),
		newRecountCmd(),
		newVersionCmd(),
		newHealthcheckCmd(),
		newSeedDemoCmd(),
		newImportFlicketCmd(),
		newCopyCmd(),
		newSearchCmd(),
	)
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), version.String())
			return nil
		},
	}
}

// env is what most commands start with: the configuration, a logger and an
// open database.
type env struct {
	cfg     config.Config
	log     *slog.Logger
	db      *gorm.DB
	dialect database.Dialect
}

func (e *env) close() {
	if e.db != nil {
		_ = database.Close(e.db)
	}
}

// openEnv loads the configuration and connects to the database.
func openEnv(ctx context.Context) (*env, error) {
	cfg, err := config.Load()
	if err != nil {
		return nil, err
	}
	log, err := newLogger(cfg)
	if err != nil {
		return nil, err
	}
	db, dialect, err := database.Open(ctx, cfg.DatabaseURL, database.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	return &env{cfg: cfg, log: log, db: db, dialect: dialect}, nil
}

// withEnv opens the environment, runs fn with it and closes it again: the
// body of every command that works on the database.
func withEnv(cmd *cobra.Command, fn func(e *env) error) error {
	e, err := openEnv(cmd.Context())
	if err != nil {
		return err
	}
	defer e.close()
	return fn(e)
}

func newLogger(cfg config.Config) (*slog.Logger, error) {
	level, err := cfg.SlogLevel()
	if err != nil {
		return nil, err
	}
	return logging.New(os.Stderr, cfg.LogFormat, level), nil
}

package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/flicket/flicket/backend/internal/config"
)

// newHealthcheckCmd checks a running server's /readyz: the container image
// has no shell or curl, so its HEALTHCHECK runs the binary itself.
func newHealthcheckCmd() *cobra.Command {
	var url string
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Exit 0 when the local server answers /readyz (for container health checks)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if url == "" {
				cfg, err := config.Load()
				if err != nil {
					return err
				}
				_, port, err := net.SplitHostPort(cfg.Listen)
				if err != nil {
					return fmt.Errorf("FLICKET_LISTEN %q: %w", cfg.Listen, err)
				}
				url = "http://127.0.0.1:" + port + "/readyz"
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 5*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return fmt.Errorf("healthcheck: %w", err)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("healthcheck: %w", err)
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("healthcheck: %s answered %s", url, res.Status)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "ok")
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "readiness URL (default: http://127.0.0.1:<FLICKET_LISTEN port>/readyz)")
	return cmd
}

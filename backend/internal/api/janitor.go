package api

import (
	"context"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
)

// The janitor keeps tables that only grow bounded, in the background of a
// running server: today the in-app notifications (model.NotificationPruner).
// Its first pass waits janitorFirst, so that a start is not slowed down, then
// it runs every janitorEvery. Several servers on one database each run it;
// the passes are idempotent.
const (
	janitorFirst = time.Minute
	janitorEvery = time.Hour
)

// runJanitor runs the passes until ctx ends.
func (s *Server) runJanitor(ctx context.Context) {
	var notifications model.NotificationPruner
	t := time.NewTimer(janitorFirst)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		got, err := notifications.Prune(ctx, s.db, s.now())
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.ErrorContext(ctx, "janitor: prune notifications", "err", err)
		case got != model.NotificationsPruned{}:
			s.log.InfoContext(ctx, "janitor: pruned notifications", "read", got.Read, "over_cap", got.OverCap, "undo_holds", got.Holds)
		}
		t.Reset(janitorEvery)
	}
}

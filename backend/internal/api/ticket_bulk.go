package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/model"
)

// maxBulkTickets caps one bulk change: a page of the list at its largest.
const maxBulkTickets = 100

// bulkMailHold is how long a bulk change's mails wait in the outbox for
// their merge; only a process that stops mid-change lets it run out.
const bulkMailHold = 5 * time.Minute

// The bulk actions, and what each one's value is.
const (
	bulkAssign   = "assign"   // value: the assignee's user id
	bulkStatus   = "status"   // value: a status id (not Closed: use close)
	bulkPriority = "priority" // value: a priority id
	bulkClose    = "close"    // no value
)

// TicketBulk is one change applied to several tickets.
type TicketBulk struct {
	// The tickets, at most 100, each once.
	IDs []int64 `json:"ids" example:"12,15,19"`
	// What to do to each of them.
	Action string `json:"action" enums:"assign,status,priority,close" example:"status"`
	// assign: a user id; status: a status id (not Closed); priority: a
	// priority id; close: left out or null.
	Value *int64 `json:"value,omitempty" extensions:"x-nullable" example:"4"`
} // @name TicketBulk

// TicketBulkResult is one ticket's outcome: ok, or the error code and
// message the single-ticket endpoint would have answered.
type TicketBulkResult struct {
	ID      int64  `json:"id" example:"15"`
	OK      bool   `json:"ok" example:"false"`
	Code    string `json:"code,omitempty" example:"forbidden"`
	Message string `json:"message,omitempty" example:"Only the ticket's creator, its assignee or an administrator may close it."`
} // @name TicketBulkResult

// TicketBulkResponse lists every ticket's outcome, in the order of the ids.
type TicketBulkResponse struct {
	Results []TicketBulkResult `json:"results"`
} // @name TicketBulkResponse

// heldEvents is the outbox's way of sending one mail per bulk change
// (mail.Outbox implements it); without it each ticket notifies on its own.
type heldEvents interface {
	EnqueueHeld(ctx context.Context, tx *gorm.DB, ev model.Event, until time.Time) ([]int64, error)
	MergeHeld(ctx context.Context, tx *gorm.DB, ids []int64, n mail.BulkNotice) error
}

// bulkHold, carried by a bulk change's context, asks the server's event
// sink (serverEvents) to queue each ticket's mails held until until, and
// collects the ids of the rows of the ticket being changed.
type bulkHold struct {
	until time.Time
	mails []int64
}

type bulkHoldKey struct{}

// enqueueHeld is serverEvents' way for a bulk change: it reports whether
// the context asked for a hold (and the sink can hold).
func enqueueHeld(ctx context.Context, sink model.EventSink, tx *gorm.DB, ev model.Event) (bool, error) {
	hold, _ := ctx.Value(bulkHoldKey{}).(*bulkHold)
	held, ok := sink.(heldEvents)
	if hold == nil || !ok {
		return false, nil
	}
	ids, err := held.EnqueueHeld(ctx, tx, ev, hold.until)
	hold.mails = append(hold.mails, ids...)
	return true, err
}

// bulkTickets godoc
//
//	@Summary		Change several tickets at once
//	@Description	Assigns, sets the status or priority of, or closes each listed ticket (at most 100), each in its own transaction with its own permission check, exactly as the single-ticket endpoints (/ticket/{id}/assign, /status, /priority, /close) would. The answer is 200 whenever the request itself is valid and lists every ticket's outcome: `ok`, or the `code` and `message` that endpoint would have answered (`not_found`, `forbidden`, `ticket.already_closed`, ...). Subscribers get one mail per bulk change listing the tickets they follow, not one per ticket (assign and close mail, as their single versions do; status and priority do not). Accepts an Idempotency-Key header.
//	@Tags			tickets
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			Idempotency-Key	header		string				false	"a fresh key per bulk change (a UUID): a retry with the same key within 24 h gets the first answer; the same key with another request is a 409"
//	@Param			body			body		TicketBulk			true	"the tickets and the change"
//	@Success		200				{object}	TicketBulkResponse
//	@Failure		400				{object}	ErrorBody	"malformed JSON"
//	@Failure		401				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody	"Idempotency-Key reused or in progress"
//	@Failure		422				{object}	ErrorBody	"ids, action or value invalid (named in errors)"
//	@Router			/flicket-api/tickets/bulk [post]
func (s *Server) bulkTickets(c echo.Context) error {
	var req TicketBulk
	if err := s.bind(c, &req); err != nil {
		return err
	}
	if err := checkBulkIDs(req.IDs); err != nil {
		return err
	}
	// Every ticket is changed even if the client hangs up half-way, so the
	// answer kept for its Idempotency-Key tells what was done.
	ctx := context.WithoutCancel(c.Request().Context())
	change, notice, err := s.bulkChange(ctx, &req)
	if err != nil {
		return err
	}
	me := currentUser(c)
	notice.ActorID = me.ID
	hold := &bulkHold{until: s.now().Add(bulkMailHold)}
	held, holds := s.events.(heldEvents)
	if holds {
		ctx = context.WithValue(ctx, bulkHoldKey{}, hold)
	}
	var heldIDs []int64
	results := make([]TicketBulkResult, 0, len(req.IDs))
	for _, id := range req.IDs {
		err := s.write(ctx, func(tx *model.Tx) error {
			hold.mails = nil // a deadlock's retry starts again
			return change(ctx, tx, id, me)
		})
		results = append(results, s.bulkResult(c, id, err))
		if err == nil {
			heldIDs = append(heldIDs, hold.mails...)
		}
	}
	if len(heldIDs) > 0 {
		err := s.write(ctx, func(tx *model.Tx) error {
			return held.MergeHeld(ctx, tx.DB, heldIDs, notice)
		})
		if err != nil {
			// The changes are made; their mails go out one by one when the
			// hold ends.
			requestLogger(c, s.log).ErrorContext(ctx, "merge bulk mails", "err", err)
		}
	}
	return c.JSON(http.StatusOK, TicketBulkResponse{Results: results})
}

// checkBulkIDs refuses an empty, too long or repeating list, or an id that
// cannot name a ticket.
func checkBulkIDs(ids []int64) error {
	if len(ids) == 0 {
		return errField("ids", "required", "ids must list at least one ticket id.")
	}
	if len(ids) > maxBulkTickets {
		return errField("ids", "max", "ids may list at most %d tickets at once (got %d).", maxBulkTickets, len(ids))
	}
	seen := make(map[int64]bool, len(ids))
	for i, id := range ids {
		field := fmt.Sprintf("ids[%d]", i)
		if id < 1 {
			return errField(field, "gt", "%s must be a positive ticket id.", field)
		}
		if seen[id] {
			return errField(field, "unique", "%s repeats ticket %d: list each ticket once.", field, id)
		}
		seen[id] = true
	}
	return nil
}

// bulkChange checks the action and its value once for all tickets, and
// returns the change to run on each and what the merged mail says.
func (s *Server) bulkChange(ctx context.Context, req *TicketBulk) (ticketChange, mail.BulkNotice, error) {
	var notice mail.BulkNotice
	needValue := func(what string) (int64, error) {
		if req.Value == nil {
			return 0, errField("value", "required", "value is required for action %s: %s.", req.Action, what)
		}
		if *req.Value < 1 {
			return 0, errField("value", "gt", "value must be a positive id (%s).", what)
		}
		return *req.Value, nil
	}
	switch req.Action {
	case bulkAssign:
		userID, err := needValue("the assignee's user id")
		if err != nil {
			return nil, notice, err
		}
		u, err := model.FindUser(ctx, s.db, userID)
		if errors.Is(err, model.ErrNotFound) {
			return nil, notice, errField("value", "not_found", "value %d names no user.", userID)
		}
		if err != nil {
			return nil, notice, err
		}
		if u.Disabled {
			return nil, notice, errField("value", "disabled", "value %d names a disabled account.", userID)
		}
		notice = mail.BulkNotice{Kind: model.MailKindAssign, AssigneeID: &userID}
		return func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
			return model.Assign(ctx, tx, id, me, userID)
		}, notice, nil
	case bulkStatus:
		statusID, err := needValue("the status id")
		if err != nil {
			return nil, notice, err
		}
		if statusID == model.StatusClosed {
			return nil, notice, errField("value", "closed", "Close tickets with action close, not a status.")
		}
		if _, err := model.FindStatus(ctx, s.db, statusID); errors.Is(err, model.ErrNotFound) {
			return nil, notice, errField("value", "not_found", "value %d names no status.", statusID)
		} else if err != nil {
			return nil, notice, err
		}
		return func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
			return model.ChangeStatus(ctx, tx, id, me, statusID)
		}, notice, nil
	case bulkPriority:
		priorityID, err := needValue("the priority id")
		if err != nil {
			return nil, notice, err
		}
		if _, err := model.FindPriority(ctx, s.db, priorityID); errors.Is(err, model.ErrNotFound) {
			return nil, notice, errField("value", "not_found", "value %d names no priority.", priorityID)
		} else if err != nil {
			return nil, notice, err
		}
		return func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
			return model.ChangePriority(ctx, tx, id, me, priorityID)
		}, notice, nil
	case bulkClose:
		if req.Value != nil {
			return nil, notice, errField("value", "absent", "value must be left out for action close.")
		}
		notice = mail.BulkNotice{Kind: model.MailKindClose}
		return func(ctx context.Context, tx *model.Tx, id int64, me *model.User) error {
			return model.Close(ctx, tx, id, me)
		}, notice, nil
	case "":
		return nil, notice, errField("action", "required", "action is required: one of assign, status, priority, close.")
	default:
		return nil, notice, errField("action", "oneof", "action must be one of: assign, status, priority, close.")
	}
}

// bulkResult is one ticket's outcome, in the words its own endpoint would
// have used.
func (s *Server) bulkResult(c echo.Context, id int64, err error) TicketBulkResult {
	if err == nil {
		return TicketBulkResult{ID: id, OK: true}
	}
	e := toAPIError(notFoundAs(err, fmt.Sprintf("Ticket %d", id)))
	if e.Status >= http.StatusInternalServerError {
		requestLogger(c, s.log).ErrorContext(c.Request().Context(), "bulk change of one ticket failed", "ticket", id, "err", err)
		if e.Status == http.StatusInternalServerError {
			e.Message = fmt.Sprintf("An unexpected error occurred. Quote request id %s when reporting it.", requestID(c))
		}
	}
	return TicketBulkResult{ID: id, OK: false, Code: e.Code, Message: e.Message}
}

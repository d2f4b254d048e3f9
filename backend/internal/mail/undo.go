package mail

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
)

// A change made from one of a ticket's fields (status, priority, assignee,
// category) can be undone for a few seconds, and an undo is just another
// change, back, through the same endpoints. So that an undo sends nothing,
// such a change's mails are held in the outbox until its window ends
// (next_attempt_at), marked with the field and the user (undo_key) and the
// field's values before and after (undo_from, undo_to). The same user's next
// change of the same field within the window then:
//   - continues the held change (it starts from the held change's undo_to):
//     the held mails are deleted; if it brings the field back to where the
//     held change found it, it is an undo and nothing is mailed; otherwise
//     its own mails are held in their place, for the net change;
//   - or, when someone else changed the field in between, leaves the held
//     mails to go out and holds its own.
// The ticket's row lock serialises changes of one ticket, so two changes
// never decide on the same held mails at once.

// EnqueueUndoable queues ev's notifications like Enqueue, held until until
// and cancelled by an undo as described above. Events that change no
// undoable field are queued as Enqueue does.
func (o *Outbox) EnqueueUndoable(ctx context.Context, tx *gorm.DB, ev model.Event, until time.Time) error {
	field := ev.Field()
	if field == "" {
		return o.Enqueue(ctx, tx, ev)
	}
	key := model.UndoKey(ev.TicketID, field, ev.ActorID)
	held, err := model.UndoableMails(ctx, tx, key, o.now())
	if err != nil {
		return err
	}
	origin := ev.From
	if len(held) > 0 {
		ids := make([]int64, len(held))
		for i, m := range held {
			ids[i] = m.ID
		}
		h := held[0]
		if h.UndoTo != nil && *h.UndoTo == ev.From && h.UndoFrom != nil {
			if err := model.DeleteHeldMails(ctx, tx, ids); err != nil {
				return err
			}
			origin = *h.UndoFrom
			if ev.To == origin {
				return nil // undone: the field is back, nobody hears of it
			}
		} else if err := model.KeepUndoableMails(ctx, tx, ids); err != nil {
			return err
		}
	}
	mails, err := o.eventMails(ctx, tx, ev)
	if err != nil || len(mails) == 0 {
		return err
	}
	to := ev.To
	for i := range mails {
		mails[i].NextAttemptAt = until
		mails[i].UndoKey, mails[i].UndoFrom, mails[i].UndoTo = &key, &origin, &to
	}
	return model.EnqueueMails(ctx, tx, mails)
}

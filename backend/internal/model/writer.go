package model

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Writer owns every write transaction: the API's handlers, the CLI and the
// tests change data through Writer.Do and the domain functions it runs
// (CreateTicket, ChangeStatus, Assign, CreatePost, ...), never with a
// transaction of their own.
//
// Events are dispatched in two phases, and this is a choice: sinks
// (EventSink) get each event inside the transaction, before the commit, so
// the mail outbox — and the webhook deliveries that will follow — are stored
// with the change or not at all (a transactional outbox: nothing is lost on
// a crash between commit and send); listeners (AfterCommit) get the events
// of a committed transaction only, in process, for what must never see a
// rolled-back change and may be lost on a crash (live updates to open
// pages). Event rows of our own would duplicate the outbox for no reader.
type Writer struct {
	db       *gorm.DB
	now      func() time.Time
	settings func(context.Context) (Settings, error)
	sinks    []EventSink
	after    []func(context.Context, []Event)
	// gate queues the transactions: one at a time on SQLite, a few at a
	// time elsewhere (WriterOptions.Writers).
	gate *Gate
}

// WriterOptions configure a Writer.
type WriterOptions struct {
	// Now is the clock (nil: time.Now); it is read once per transaction.
	Now func() time.Time
	// Settings reads the configuration (nil: LoadSettings in the transaction).
	Settings func(context.Context) (Settings, error)
	// Sinks get each event inside its transaction (the mail outbox), after
	// the in-app notifications (Notifications), which every Writer has.
	Sinks []EventSink
	// AfterCommit get the events of each committed transaction.
	AfterCommit []func(context.Context, []Event)
	// Writers is how many transactions run at once on MariaDB/MySQL and
	// PostgreSQL (FLICKET_DB_WRITERS); 0 means two per CPU. SQLite runs
	// one at a time whatever it says.
	Writers int
}

// DefaultWriters is how many write transactions run at once on a server
// database unless told otherwise: two per CPU keep the database busy while
// one of them waits for its commit to reach the disk.
func DefaultWriters() int { return 2 * runtime.GOMAXPROCS(0) }

// NewWriter builds the one transaction helper over db.
func NewWriter(db *gorm.DB, o WriterOptions) *Writer {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	// In-app notifications are part of every change, whoever makes it.
	sinks := append([]EventSink{Notifications{}}, o.Sinks...)
	w := &Writer{db: db, now: now, settings: o.Settings, sinks: sinks, after: o.AfterCommit}
	switch {
	case db.Name() == "sqlite":
		w.gate = NewGate(1)
	case o.Writers > 0:
		w.gate = NewGate(o.Writers)
	default:
		w.gate = NewGate(DefaultWriters())
	}
	return w
}

// Writers is how many transactions w lets run at once.
func (w *Writer) Writers() int { return w.gate.Slots() }

// Tx is one write transaction as a domain function sees it: the database
// handle, one clock reading for the whole change, and the events produced.
type Tx struct {
	DB *gorm.DB
	// Now is when the change happens: every timestamp it writes.
	Now      time.Time
	w        *Writer
	events   []Event
	loaded   *Settings
	sinksRun int
	// counters are the shared counter changes, written last (see
	// pendingCounters).
	counters pendingCounters
}

// emit records an event of the change; sinks get it before the commit.
func (tx *Tx) emit(ev Event) {
	ev.At = tx.Now
	tx.events = append(tx.events, ev)
}

// Events are the events produced so far.
func (tx *Tx) Events() []Event { return tx.events }

// Settings is the configuration, read once per transaction.
func (tx *Tx) Settings(ctx context.Context) (*Settings, error) {
	if tx.loaded != nil {
		return tx.loaded, nil
	}
	if tx.w != nil && tx.w.settings != nil {
		s, err := tx.w.settings(ctx)
		if err != nil {
			return nil, err
		}
		tx.loaded = &s
		return tx.loaded, nil
	}
	s, err := LoadSettings(ctx, tx.DB)
	if err != nil {
		return nil, err
	}
	tx.loaded = s
	return s, nil
}

// WriteAttempts bounds how often a transaction that lost a deadlock runs.
// Three immediate attempts still answered 500 under 16 concurrent creates on
// MariaDB (make bench): the victims met again at once. More attempts, each
// after a short random pause, let them come apart.
const WriteAttempts = 6

// Do runs fn in a transaction, hands its events to the sinks before the
// commit and to the listeners after it, and runs it again when the database
// picked it as a deadlock victim: changes write shared counter rows and
// foreign key checks lock users rows, so rare deadlocks are part of life on
// MariaDB and PostgreSQL. fn must not have effects outside the transaction.
func (w *Writer) Do(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := range WriteAttempts {
		if attempt > 0 {
			if werr := deadlockPause(ctx, attempt); werr != nil {
				return errors.Join(err, werr)
			}
		}
		var tx *Tx
		err = w.transaction(ctx, func(db *gorm.DB) error {
			tx = &Tx{DB: db, Now: w.now().UTC(), w: w}
			if err := fn(tx); err != nil {
				return err
			}
			if err := tx.dispatch(ctx); err != nil {
				return err
			}
			// Last: the shared counters' row locks are then held for
			// these statements and the commit alone.
			return tx.counters.flush(ctx, db)
		})
		if !IsDeadlock(err) {
			if err == nil {
				for _, l := range w.after {
					l(ctx, tx.events)
				}
			}
			return err
		}
	}
	return err
}

// transaction runs fn in a transaction once its turn has come (see
// Gate).
func (w *Writer) transaction(ctx context.Context, fn func(db *gorm.DB) error) error {
	if err := w.gate.Enter(ctx); err != nil {
		return err
	}
	defer w.gate.Leave()
	return w.db.WithContext(ctx).Transaction(fn)
}

// deadlockPause waits a random 1–10 ms times the attempt number before a
// deadlock victim runs again, or until ctx is done.
func deadlockPause(ctx context.Context, attempt int) error {
	d := time.Duration(attempt) * (time.Millisecond + rand.N(9*time.Millisecond)) //nolint:gosec // jitter, not a secret
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// dispatch hands the events not yet dispatched to the sinks.
func (tx *Tx) dispatch(ctx context.Context) error {
	if tx.w == nil {
		return nil
	}
	// The sinks write notifications and mail only: what they read of the
	// tickets' subscribers holds for the whole dispatch.
	ctx = withSubscriberMemo(ctx)
	for ; tx.sinksRun < len(tx.events); tx.sinksRun++ {
		for _, s := range tx.w.sinks {
			if err := s.Enqueue(ctx, tx.DB, tx.events[tx.sinksRun]); err != nil {
				return err
			}
		}
	}
	return nil
}

// IsDeadlock tells whether a transaction failed only because the database
// chose it as the victim of a deadlock or serialization conflict
// (SQLSTATE 40001 / 40P01, MariaDB error 1213), so running it again may
// succeed.
func IsDeadlock(err error) bool {
	if err == nil {
		return false
	}
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		code := st.SQLState()
		return code == "40001" || code == "40P01"
	}
	// The MySQL driver's error has no method for it; its text is stable.
	msg := err.Error()
	return strings.Contains(msg, "Error 1213 ") || strings.Contains(msg, "(40001)")
}

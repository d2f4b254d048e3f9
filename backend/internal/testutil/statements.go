package testutil

import (
	"context"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Statements records the SQL a database handle runs, with its arguments
// written in (as the dialect quotes them), for tests that count statements
// or EXPLAIN them.
type Statements struct {
	countOnly bool
	mu        sync.Mutex
	list      []string
	n         int
}

// RecordStatements returns a handle on db that records every statement run
// through it.
func RecordStatements(db *gorm.DB) (*gorm.DB, *Statements) {
	s := &Statements{}
	return db.Session(&gorm.Session{Logger: s}), s
}

// CountStatements returns a handle on db that counts the statements run
// through it without writing them out (for benchmarks: Count, not Take).
func CountStatements(db *gorm.DB) (*gorm.DB, *Statements) {
	s := &Statements{countOnly: true}
	return db.Session(&gorm.Session{Logger: s}), s
}

// CountOnly switches writing the statements out off (on: Count only, as
// CountStatements does) or back on.
func (s *Statements) CountOnly(on bool) {
	s.mu.Lock()
	s.countOnly = on
	s.mu.Unlock()
}

// Count returns the number of statements run since the last Count.
func (s *Statements) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.n
	s.n = 0
	return n
}

// Take returns the statements recorded since the last Take and forgets them.
func (s *Statements) Take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.list
	s.list = nil
	return out
}

// LogMode implements logger.Interface.
func (s *Statements) LogMode(logger.LogLevel) logger.Interface { return s }

// Info implements logger.Interface.
func (s *Statements) Info(context.Context, string, ...any) {}

// Warn implements logger.Interface.
func (s *Statements) Warn(context.Context, string, ...any) {}

// Error implements logger.Interface.
func (s *Statements) Error(context.Context, string, ...any) {}

// Trace implements logger.Interface: it records the statement.
func (s *Statements) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	s.mu.Lock()
	if s.countOnly {
		s.n++
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	sql, _ := fc()
	s.mu.Lock()
	s.list = append(s.list, sql)
	s.n++
	s.mu.Unlock()
}

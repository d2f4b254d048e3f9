// Package model holds Flicket's GORM models, their queries and their object
// permission rules (CanEdit, CanClose, ...). One resource per file.
package model

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	mysqldriver "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// ErrNotFound is returned when a row does not exist (or is hidden from the user).
var ErrNotFound = errors.New("not found")

// ForbiddenError says the user may not do this to an object that exists.
type ForbiddenError struct{ Reason string }

func (e *ForbiddenError) Error() string { return e.Reason }

// Forbidden builds a ForbiddenError.
func Forbidden(format string, args ...any) error {
	return &ForbiddenError{Reason: fmt.Sprintf(format, args...)}
}

// ConflictError says the change clashes with the current state (a duplicate
// name, a department still in use, a ticket already closed...).
type ConflictError struct {
	Code   string // stable machine code, e.g. "department.in_use"
	Reason string
	Field  string // the JSON field at fault, if one is
	// Params are the values a client needs to word Reason itself, in its
	// own language ({"name": "IT"} for a duplicate name).
	Params map[string]any
}

func (e *ConflictError) Error() string { return e.Reason }

// Conflict builds a ConflictError.
func Conflict(code, field, format string, args ...any) error {
	return &ConflictError{Code: code, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// FieldError names one invalid input field by its JSON name.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
	// Params are the values the message was made with ({"min": 3,
	// "unit": "characters"}), so that a client can word it in its own
	// language; absent when the message needs none.
	Params map[string]any `json:"params,omitempty"`
}

// ValidationError lists the fields that failed a model-level check (for
// example a category_id that names no category).
type ValidationError struct{ Fields []FieldError }

func (e *ValidationError) Error() string {
	if len(e.Fields) == 0 {
		return "validation failed"
	}
	f := e.Fields[0]
	if f.Message != "" {
		return f.Message
	}
	return fmt.Sprintf("%s is invalid (%s)", f.Field, f.Code)
}

// WithParams attaches to a ConflictError, or to the one field of a
// ValidationError, the values its message was made with; other errors are
// returned as they are.
func WithParams(err error, params map[string]any) error {
	var ce *ConflictError
	var ve *ValidationError
	switch {
	case errors.As(err, &ce):
		ce.Params = params
	case errors.As(err, &ve) && len(ve.Fields) == 1:
		ve.Fields[0].Params = params
	}
	return err
}

// Invalid builds a ValidationError for one field.
func Invalid(field, code, format string, args ...any) error {
	return &ValidationError{Fields: []FieldError{{Field: field, Code: code, Message: fmt.Sprintf(format, args...)}}}
}

// notFound maps GORM's not-found error to ErrNotFound and wraps the rest.
func notFound(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return fmt.Errorf("%s: %w", what, err)
}

// IsForeignKeyViolation tells whether err is a foreign key failure on any of
// the three databases (SQLite reports ON DELETE RESTRICT with its own code).
func IsForeignKeyViolation(err error) bool {
	return errors.Is(err, gorm.ErrForeignKeyViolated) ||
		(err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed"))
}

// IsUnavailable tells whether err means the database could not be reached or
// dropped the connection (a restart, a network cut, a server refusing new
// sessions, SQLite locked for longer than its busy timeout): the request may
// succeed when retried, so it is a 503, not a 500.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var netErr *net.OpError
	var pgConnect *pgconn.ConnectError
	if errors.As(err, &netErr) || errors.As(err, &pgConnect) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, mysqldriver.ErrInvalidConn) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed) {
		return true
	}
	// SQLite's file stayed locked by another writer past the busy timeout.
	if strings.Contains(err.Error(), "(SQLITE_BUSY)") {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01-57P03: the server shuts down
		// or is starting; 53300: too many connections.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" ||
			pgErr.Code == "57P03" || pgErr.Code == "53300"
	}
	var myErr *mysqldriver.MySQLError
	if errors.As(err, &myErr) {
		// Server shutdown, connection killed, too many connections.
		switch myErr.Number {
		case 1053, 1927, 1040, 1152, 1184:
			return true
		}
	}
	return false
}

// IsCanceled tells whether err is a statement stopped because its context
// ended, in whatever form the driver reports it: the context's own error,
// SQLite's SQLITE_INTERRUPT ("interrupted (9)"), PostgreSQL's
// query_canceled (57014) or MariaDB/MySQL's "query execution was
// interrupted" (1317).
func IsCanceled(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) && coded.Code()&0xff == sqliteInterrupt {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "57014"
	}
	var myErr *mysqldriver.MySQLError
	return errors.As(err, &myErr) && myErr.Number == 1317
}

// sqliteInterrupt is SQLITE_INTERRUPT, the primary result code of a
// statement interrupted by sqlite3_interrupt (the driver does so when the
// query's context ends).
const sqliteInterrupt = 9

package flicketimport

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/flicket/flicket/backend/internal/bulkdb"
	"github.com/flicket/flicket/backend/internal/database"
)

// source is the original's database, read in one snapshot.
type source struct {
	dialect database.Dialect
	snap    *bulkdb.Snapshot
	tx      *sql.Tx
	tz      *time.Location
}

// openSource connects to the original's database.
func openSource(ctx context.Context, rawURL string, tz *time.Location) (*source, error) {
	snap, err := bulkdb.OpenSnapshot(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	return &source{dialect: snap.Dialect, snap: snap, tx: snap.Tx, tz: tz}, nil
}

func (s *source) close() { s.snap.Close() }

func (s *source) quote(name string) string { return bulkdb.Quote(s.dialect, name) }

// hasTable tells whether the original's database has the table.
func (s *source) hasTable(ctx context.Context, name string) (bool, error) {
	rows, err := s.tx.QueryContext(ctx, "SELECT * FROM "+s.quote(name)+" WHERE 1 = 0") //nolint:gosec // names are the original's table names, constants here
	if err != nil {
		return false, nil //nolint:nilerr // a missing table is the answer, not a failure
	}
	return true, rows.Close()
}

// columns lists a table's columns.
func (s *source) columns(ctx context.Context, name string) (map[string]bool, error) {
	rows, err := s.tx.QueryContext(ctx, "SELECT * FROM "+s.quote(name)+" WHERE 1 = 0") //nolint:gosec // names are the original's table names, constants here
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer func() { _ = rows.Close() }()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("read %s columns: %w", name, err)
	}
	out := map[string]bool{}
	for _, c := range cols {
		out[strings.ToLower(c)] = true
	}
	return out, nil
}

func (s *source) count(ctx context.Context, table string) (int, error) {
	var n int
	if err := s.tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+s.quote(table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}

// chunk is how many rows one keyset query reads.
const chunk = 5000

// each reads table in id order, chunk by chunk, calling fn for every row
// (scan it with the given column list); fn returns the row's id, where the
// next chunk starts.
func (s *source) each(ctx context.Context, table string, cols []string, fn func(rows *sql.Rows) (int64, error)) error {
	q := fmt.Sprintf("SELECT %s FROM %s WHERE id > ? ORDER BY id LIMIT %d", s.colList(cols), s.quote(table), chunk) //nolint:gosec // constant names
	if s.dialect == database.Postgres {
		q = strings.Replace(q, "?", "$1", 1)
	}
	// The original's ids are 32-bit integers; PostgreSQL refuses a wider bound.
	last := int64(math.MinInt32)
	for {
		rows, err := s.tx.QueryContext(ctx, q, last)
		if err != nil {
			return fmt.Errorf("read %s: %w", table, err)
		}
		n := 0
		for rows.Next() {
			n++
			id, err := fn(rows)
			if err != nil {
				_ = rows.Close()
				return err
			}
			last = id
		}
		if err := rows.Err(); err != nil {
			_ = rows.Close()
			return fmt.Errorf("read %s: %w", table, err)
		}
		_ = rows.Close()
		if n < chunk {
			return nil
		}
	}
}

// all reads a whole (small, id-less) table.
func (s *source) all(ctx context.Context, table string, cols []string, fn func(rows *sql.Rows) error) error {
	rows, err := s.tx.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s", s.colList(cols), s.quote(table)))
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	return nil
}

func (s *source) colList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = s.quote(c)
	}
	return strings.Join(q, ", ")
}

// The scanners below take whatever each driver hands over for the
// original's loosely typed columns (every column nullable, booleans as
// tinyint, '0', 't' or real booleans, datetimes as values or text).

// nInt is a nullable integer.
type nInt struct {
	V     int64
	Valid bool
}

func (n *nInt) Scan(src any) error {
	n.V, n.Valid = 0, false
	switch v := src.(type) {
	case nil:
		return nil
	case int64:
		n.V = v
	case int32:
		n.V = int64(v)
	case float64:
		n.V = int64(v)
	case bool:
		if v {
			n.V = 1
		}
	case []byte:
		return n.parse(string(v))
	case string:
		return n.parse(v)
	default:
		return fmt.Errorf("integer column holds %T", src)
	}
	n.Valid = true
	return nil
}

func (n *nInt) parse(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return fmt.Errorf("integer column holds %q", s)
		}
		v = int64(f)
	}
	n.V, n.Valid = v, true
	return nil
}

// nBool is a boolean-ish column: NULL, 0/1, '0'/'1', 't'/'f', true/false.
type nBool struct {
	V, Valid bool
}

func (b *nBool) Scan(src any) error {
	b.V, b.Valid = false, false
	switch v := src.(type) {
	case nil:
		return nil
	case bool:
		b.V = v
	case int64:
		b.V = v != 0
	case float64:
		b.V = v != 0
	case []byte:
		return b.parse(string(v))
	case string:
		return b.parse(v)
	default:
		return fmt.Errorf("boolean column holds %T", src)
	}
	b.Valid = true
	return nil
}

func (b *nBool) parse(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return nil
	case "1", "t", "true", "y", "yes", "on":
		b.V = true
	case "0", "f", "false", "n", "no", "off":
		b.V = false
	default:
		return fmt.Errorf("boolean column holds %q", s)
	}
	b.Valid = true
	return nil
}

// nText is a nullable text column kept as raw bytes: decoding (and the
// check that it is UTF-8) is done by the caller, which reports it.
type nText struct {
	B     []byte
	Valid bool
}

func (t *nText) Scan(src any) error {
	t.B, t.Valid = nil, false
	switch v := src.(type) {
	case nil:
		return nil
	case []byte:
		t.B = append([]byte(nil), v...)
	case string:
		t.B = []byte(v)
	case int64:
		t.B = strconv.AppendInt(nil, v, 10)
	case float64:
		t.B = strconv.AppendFloat(nil, v, 'f', -1, 64)
	case time.Time:
		t.B = []byte(v.Format("2006-01-02 15:04:05"))
	default:
		return fmt.Errorf("text column holds %T", src)
	}
	t.Valid = true
	return nil
}

// text returns the column as UTF-8; bytes that are not UTF-8 (old MySQL
// latin1 tables, SQLite files written by other tools) are read as
// Windows-1252, and ok is false so the caller can warn.
func (t nText) text() (s string, ok bool) {
	if utf8.Valid(t.B) {
		return string(t.B), true
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(t.B)
	if err != nil {
		return strings.ToValidUTF8(string(t.B), "\uFFFD"), false
	}
	return string(out), false
}

// nTime is a naive datetime of the original, read as a value or as text.
type nTime struct {
	V     time.Time
	Valid bool
}

var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04",
	"2006-01-02",
}

func (n *nTime) Scan(src any) error {
	n.V, n.Valid = time.Time{}, false
	switch v := src.(type) {
	case nil:
		return nil
	case time.Time:
		n.V = v
	case []byte:
		return n.parse(string(v))
	case string:
		return n.parse(v)
	default:
		return fmt.Errorf("datetime column holds %T", src)
	}
	n.Valid = !n.V.IsZero()
	return nil
}

func (n *nTime) parse(s string) error {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			n.V, n.Valid = t, true
			return nil
		}
	}
	return fmt.Errorf("datetime column holds %q", s)
}

// in reads the naive wall-clock time as a time in loc and returns it in UTC.
// Values that carry a zone of their own (none in the original) keep it.
func (n nTime) in(loc *time.Location) time.Time {
	t := n.V
	if t.Location() != time.UTC {
		return t.UTC()
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc).UTC()
}

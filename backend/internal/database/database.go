// Package database opens Flicket's database (embedded SQLite, MariaDB/MySQL or
// PostgreSQL) from one URL and runs the versioned migrations.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/glebarez/sqlite"
	mysqldriver "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names one of the three supported databases.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	MySQL    Dialect = "mysql"
	Postgres Dialect = "postgres"
)

// Target is a parsed FLICKET_DATABASE_URL.
type Target struct {
	Dialect Dialect
	// DSN is what the driver understands.
	DSN string
	// Path is the database file for SQLite ("" for in-memory).
	Path string
	// Name is the database name on a server.
	Name string
}

// ParseURL turns a FLICKET_DATABASE_URL into a driver DSN. Accepted forms:
//
//	sqlite://data/flicket.db      (relative path)
//	sqlite:///var/lib/flicket.db  (absolute path)
//	sqlite://:memory:
//	mysql://user:pass@host:3306/db   (MariaDB too; mariadb:// is an alias)
//	postgres://user:pass@host:5432/db?sslmode=disable   (postgresql:// too)
func ParseURL(raw string) (Target, error) {
	raw = strings.TrimSpace(raw)
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return Target{}, fmt.Errorf("database URL %q has no scheme: use sqlite://, mysql:// or postgres://", redact(raw))
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
		return parseSQLite(rest)
	case "mysql", "mariadb":
		return parseMySQL(raw)
	case "postgres", "postgresql":
		return parsePostgres(raw)
	default:
		return Target{}, fmt.Errorf("database URL scheme %q is not supported: use sqlite://, mysql:// or postgres://", scheme)
	}
}

func parseSQLite(rest string) (Target, error) {
	path, query, _ := strings.Cut(rest, "?")
	if path == "" {
		return Target{}, errors.New("database URL sqlite:// needs a file path, e.g. sqlite://data/flicket.db")
	}
	params := url.Values{}
	if query != "" {
		var err error
		if params, err = url.ParseQuery(query); err != nil {
			return Target{}, fmt.Errorf("database URL query: %w", err)
		}
	}
	// Foreign keys are off by default in SQLite; WAL plus a busy timeout lets
	// readers and the single writer share the file; immediate transactions
	// avoid lock-upgrade deadlocks between concurrent writers.
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", "busy_timeout(10000)")
	// Each connection keeps its own page cache inside the process (2 MB by
	// default, times up to 32 connections): at 100k tickets the server's
	// peak RSS was 125 MB with it and 72-96 MB at 256 KB-1 MB, at the same
	// speed (pages it misses come from the OS's file cache). A cache_size
	// in the URL wins.
	if !slices.ContainsFunc(params["_pragma"], func(p string) bool { return strings.HasPrefix(p, "cache_size") }) {
		params.Add("_pragma", "cache_size(-512)")
	}
	params.Set("_txlock", "immediate")
	t := Target{Dialect: SQLite}
	if path == ":memory:" {
		params.Set("mode", "memory")
		params.Set("cache", "shared")
		t.DSN = "file::memory:?" + params.Encode()
		return t, nil
	}
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "synchronous(NORMAL)")
	t.Path = path
	t.DSN = "file:" + path + "?" + params.Encode()
	return t, nil
}

func parseMySQL(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Target{}, fmt.Errorf("database URL is malformed: %s", redactErr(err))
	}
	name := strings.TrimPrefix(u.Path, "/")
	if u.Host == "" || name == "" {
		return Target{}, fmt.Errorf("database URL %q needs a host and a database name: mysql://user:pass@host:3306/flicket", redact(raw))
	}
	cfg := mysqldriver.NewConfig()
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" {
		cfg.Addr = u.Host + ":3306"
	}
	cfg.DBName = name
	// An unreachable server fails a request in seconds, not minutes.
	cfg.Timeout = connectTimeout
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.Collation = "utf8mb4_unicode_ci"
	cfg.Params = map[string]string{"charset": "utf8mb4", "time_zone": "'+00:00'"}
	// Arguments are written into the statement by the driver (escaped for
	// utf8mb4): one round trip a query instead of prepare, execute and close.
	cfg.InterpolateParams = true
	for k, v := range u.Query() {
		if len(v) == 0 {
			continue
		}
		if k == "interpolateParams" {
			b, err := strconv.ParseBool(v[0])
			if err != nil {
				return Target{}, fmt.Errorf("database URL: interpolateParams must be true or false, not %q", v[0])
			}
			cfg.InterpolateParams = b
			continue
		}
		cfg.Params[k] = v[0]
	}
	return Target{Dialect: MySQL, DSN: cfg.FormatDSN(), Name: name}, nil
}

func parsePostgres(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Target{}, fmt.Errorf("database URL is malformed: %s", redactErr(err))
	}
	name := strings.TrimPrefix(u.Path, "/")
	if u.Host == "" || name == "" {
		return Target{}, fmt.Errorf("database URL %q needs a host and a database name: postgres://user:pass@host:5432/flicket", redact(raw))
	}
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "prefer")
	}
	q.Set("timezone", "UTC")
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", strconv.Itoa(int(connectTimeout/time.Second)))
	}
	// Flicket writes its joins driving table first; planning every order of
	// the ticket list's eight tables cost ~20 ms a request, more than running it.
	if q.Get("join_collapse_limit") == "" {
		q.Set("join_collapse_limit", "1")
	}
	// Short queries, many at a time: no parallel workers (each one a
	// process to start, for a search's bitmap scan at a million tickets)
	// and no JIT compilation (milliseconds of CPU per statement).
	if q.Get("max_parallel_workers_per_gather") == "" {
		q.Set("max_parallel_workers_per_gather", "0")
	}
	if q.Get("jit") == "" {
		q.Set("jit", "off")
	}
	u.Scheme = "postgres"
	u.RawQuery = q.Encode()
	return Target{Dialect: Postgres, DSN: u.String(), Name: name}, nil
}

// redact hides the password of a URL-looking string for error messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func redactErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// connectTimeout bounds opening one connection to a database server.
const connectTimeout = 5 * time.Second

// Options tune Open.
type Options struct {
	// Logger receives slow-query and error logs; nil silences GORM.
	Logger *slog.Logger
	// MaxOpenConns caps the connection pool (0 = a sensible default per dialect).
	MaxOpenConns int
}

// Open connects to the database named by the URL and checks it answers.
func Open(ctx context.Context, rawURL string, opts Options) (*gorm.DB, Dialect, error) {
	t, err := ParseURL(rawURL)
	if err != nil {
		return nil, "", err
	}
	db, err := OpenTarget(ctx, t, opts)
	return db, t.Dialect, err
}

// OpenTarget opens an already parsed target.
func OpenTarget(ctx context.Context, t Target, opts Options) (*gorm.DB, error) {
	var dialector gorm.Dialector
	switch t.Dialect {
	case SQLite:
		if t.Path != "" {
			if dir := filepath.Dir(t.Path); dir != "." {
				if err := os.MkdirAll(dir, 0o750); err != nil {
					return nil, fmt.Errorf("create database folder %s: %w", dir, err)
				}
			}
		}
		dialector = sqlite.Open(t.DSN)
	case MySQL:
		cfg, err := mysqldriver.ParseDSN(t.DSN)
		if err != nil {
			return nil, fmt.Errorf("mysql DSN: %w", err)
		}
		// The driver prints lost connections to stderr on its own; they are
		// also returned as errors, and logged where they are handled.
		cfg.Logger = mysqlLog{opts.Logger}
		conn, err := mysqldriver.NewConnector(cfg)
		if err != nil {
			return nil, fmt.Errorf("mysql connector: %w", err)
		}
		probeCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		pooled, err := mysqlConnector(probeCtx, conn, opts.Logger)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("cannot reach the %s database: %s", t.Dialect, oneLine(err))
		}
		dialector = mysql.New(mysql.Config{Conn: sql.OpenDB(pooled), DSNConfig: cfg, DefaultStringSize: 255})
	case Postgres:
		dialector = postgres.New(postgres.Config{DSN: t.DSN})
	default:
		return nil, fmt.Errorf("unknown dialect %q", t.Dialect)
	}
	gcfg := &gorm.Config{
		NowFunc: func() time.Time { return time.Now().UTC() },
		// Silent while connecting: a failure is reported once, by the caller.
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		TranslateError:         true,
	}
	db, err := gorm.Open(dialector, gcfg)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the %s database: %s", t.Dialect, oneLine(err))
	}
	db.Logger = newGormLogger(opts.Logger)
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", t.Dialect, err)
	}
	maxOpen := opts.MaxOpenConns
	if maxOpen == 0 {
		maxOpen = 32
		if t.Dialect == SQLite && t.Path == "" {
			// An in-memory database lives as long as one connection holds it.
			maxOpen = 1
		}
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxOpen)
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("cannot reach the %s database: %s", t.Dialect, oneLine(err))
	}
	return db, nil
}

// mysqlLog sends the MySQL driver's own messages to slog at debug level.
type mysqlLog struct{ l *slog.Logger }

func (m mysqlLog) Print(v ...any) {
	if m.l != nil {
		m.l.Debug("mysql driver", "msg", fmt.Sprint(v...))
	}
}

// Close closes the pool behind a gorm handle.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// DialectOf tells which database a handle talks to.
func DialectOf(db *gorm.DB) Dialect {
	switch db.Name() {
	case "mysql":
		return MySQL
	case "postgres":
		return Postgres
	default:
		return SQLite
	}
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// newGormLogger routes GORM's own logs (errors and slow queries) to slog.
func newGormLogger(l *slog.Logger) logger.Interface {
	if l == nil {
		return logger.Discard
	}
	cfg := logger.Config{
		SlowThreshold:             500 * time.Millisecond,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
		ParameterizedQueries:      true,
	}
	return quietCancel{Interface: logger.NewSlogLogger(l, cfg), level: cfg.LogLevel, slow: cfg.SlowThreshold}
}

// quietCancel drops the error of a query stopped because its request's
// client hung up: that is no database error. It builds a statement's text
// only for a line it logs: GORM's logger builds it for every statement (a
// reply's mail and search document, kilobytes), about a tenth of the
// server's CPU per reply.
type quietCancel struct {
	logger.Interface
	level logger.LogLevel
	slow  time.Duration
}

func (q quietCancel) LogMode(level logger.LogLevel) logger.Interface {
	return quietCancel{Interface: q.Interface.LogMode(level), level: level, slow: q.slow}
}

// ParamsFilter passes on the wrapped logger's: GORM asks the logger it holds
// whether to write a statement's arguments into its logged text, and without
// this the answer would be yes (reply texts, password hashes and tokens in
// the log).
func (q quietCancel) ParamsFilter(ctx context.Context, sql string, params ...any) (string, []any) {
	if f, ok := q.Interface.(gorm.ParamsFilter); ok {
		return f.ParamsFilter(ctx, sql, params...)
	}
	return sql, params
}

func (q quietCancel) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if err != nil && (ctx.Err() != nil || errors.Is(err, gorm.ErrRecordNotFound)) {
		err = nil // not a failure: the client hung up, or the row is simply not there
	}
	if q.level <= logger.Silent || (err == nil && q.level < logger.Info && (q.slow <= 0 || time.Since(begin) <= q.slow)) {
		return // nothing to log
	}
	q.Interface.Trace(ctx, begin, func() (string, int64) {
		sql, rows := fc()
		return shortSQL(sql), rows
	}, err)
}

// loggedSQLLength is how much of a statement a log line shows: a bulk
// insert (seed-demo, an import) can be megabytes long.
const loggedSQLLength = 2000

// shortSQL is the statement cut to loggedSQLLength bytes (on a character
// boundary), saying how much was left out.
func shortSQL(sql string) string {
	if len(sql) <= loggedSQLLength {
		return sql
	}
	cut := loggedSQLLength
	for cut > 0 && !utf8.RuneStart(sql[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", sql[:cut], len(sql)-cut)
}

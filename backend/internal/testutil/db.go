// Package testutil gives tests real databases — a fresh SQLite file always,
// and a fresh MariaDB/MySQL and PostgreSQL database when
// FLICKET_TEST_MYSQL_URL / FLICKET_TEST_POSTGRES_URL name a server — plus
// factories for the rows tests need.
package testutil

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
)

// Environment variables naming the test servers.
const (
	MySQLURLEnv    = "FLICKET_TEST_MYSQL_URL"
	PostgresURLEnv = "FLICKET_TEST_POSTGRES_URL"
)

// TestDB is one fresh database.
type TestDB struct {
	Dialect database.Dialect
	// URL is a FLICKET_DATABASE_URL for this database.
	URL string
	DB  *gorm.DB
}

// Dialects returns the dialects this run covers: SQLite always, the servers
// whose URL is set.
func Dialects() []database.Dialect {
	out := []database.Dialect{database.SQLite}
	if os.Getenv(MySQLURLEnv) != "" {
		out = append(out, database.MySQL)
	}
	if os.Getenv(PostgresURLEnv) != "" {
		out = append(out, database.Postgres)
	}
	return out
}

// ForEachDB runs fn as a parallel subtest on a fresh, migrated database of
// every dialect.
func ForEachDB(t *testing.T, fn func(t *testing.T, tdb *TestDB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, NewDB(t, d))
		})
	}
}

// NewDB creates a fresh database of the dialect with every migration applied;
// it is dropped when the test ends.
func NewDB(t testing.TB, d database.Dialect) *TestDB {
	t.Helper()
	tdb := NewEmptyDB(t, d)
	if err := database.MigrateUp(context.Background(), tdb.DB); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return tdb
}

// NewEmptyDB creates a fresh database with no tables.
func NewEmptyDB(t testing.TB, d database.Dialect) *TestDB {
	t.Helper()
	rawURL := newDatabaseURL(t, d)
	db, _, err := database.Open(context.Background(), rawURL, database.Options{MaxOpenConns: 8})
	if err != nil {
		t.Fatalf("open %s test database: %v", d, err)
	}
	t.Cleanup(func() { _ = database.Close(db) })
	return &TestDB{Dialect: d, URL: rawURL, DB: db}
}

// newDatabaseURL creates an empty database and returns its URL.
func newDatabaseURL(t testing.TB, d database.Dialect) string {
	t.Helper()
	switch d {
	case database.SQLite:
		return "sqlite://" + filepath.Join(t.TempDir(), "flicket.db")
	case database.MySQL:
		return serverDatabase(t, d, os.Getenv(MySQLURLEnv))
	case database.Postgres:
		return serverDatabase(t, d, os.Getenv(PostgresURLEnv))
	}
	t.Fatalf("unknown dialect %q", d)
	return ""
}

// serverDatabase creates a uniquely named database on the server behind
// adminURL and schedules its removal.
func serverDatabase(t testing.TB, d database.Dialect, adminURL string) string {
	t.Helper()
	if adminURL == "" {
		t.Skipf("%s not configured", d)
	}
	ctx := context.Background()
	admin, _, err := database.Open(ctx, adminURL, database.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatalf("connect to the %s test server: %v", d, err)
	}
	name := "flicket_t_" + randomHex(6)
	create := "CREATE DATABASE " + name
	if d == database.MySQL {
		create += " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	}
	if err := admin.Exec(create).Error; err != nil {
		_ = database.Close(admin)
		t.Fatalf("create %s database: %v", d, err)
	}
	t.Cleanup(func() {
		drop := "DROP DATABASE IF EXISTS " + name
		if d == database.Postgres {
			drop += " WITH (FORCE)"
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := admin.WithContext(ctx).Exec(drop).Error; err != nil {
			t.Logf("drop %s database %s: %v", d, name, err)
		}
		_ = database.Close(admin)
	})
	u, err := url.Parse(adminURL)
	if err != nil {
		t.Fatalf("parse %s URL: %v", d, err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// Unique returns a short random suffix for names that must not collide.
func Unique(prefix string) string {
	return prefix + strings.ToLower(randomHex(3))
}

// Must fails the test on error.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

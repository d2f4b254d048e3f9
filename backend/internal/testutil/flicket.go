package testutil

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/flicket/flicket/backend/internal/database"
)

// FlicketFixtureDir is the original Flicket 0.3.5 sample database (a
// mysqldump), its files and NOTES.md describing every row.
func FlicketFixtureDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", "flicket-0.3.5")
}

// FlicketFixtureFiles is the original's installation root (for --files).
func FlicketFixtureFiles() string { return filepath.Join(FlicketFixtureDir(), "uploads") }

// FlicketSource loads the fixture's dump into a scratch MariaDB database,
// dropped when the test ends, and returns its URL and an open handle (for
// tests that bend its rows). Skips without FLICKET_TEST_MYSQL_URL.
func FlicketSource(t testing.TB) (string, *sql.DB) {
	t.Helper()
	adminURL := os.Getenv(MySQLURLEnv)
	if adminURL == "" {
		t.Skip("the Flicket fixture is a MariaDB dump: set " + MySQLURLEnv)
	}
	name := "flicket_src_" + randomHex(5)
	db := ExecMySQL(t, adminURL, "", "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
	_ = db.Close()
	t.Cleanup(func() {
		db := ExecMySQL(t, adminURL, "", "DROP DATABASE IF EXISTS "+name)
		_ = db.Close()
	})
	dump, err := os.ReadFile(filepath.Join(FlicketFixtureDir(), "flicket-0.3.5-sample.sql"))
	Must(t, err)
	// Line 1 is a MariaDB client directive (sandbox mode), not SQL.
	text := string(dump)
	if strings.HasPrefix(text, "/*M!999999") {
		_, text, _ = strings.Cut(text, "\n")
	}
	src := ExecMySQL(t, adminURL, name, text)
	t.Cleanup(func() { _ = src.Close() })
	u, err := url.Parse(adminURL)
	Must(t, err)
	u.Path = "/" + name
	return u.String(), src
}

// ExecMySQL runs SQL (several statements allowed) on the named database of
// the server behind adminURL and returns the open handle.
func ExecMySQL(t testing.TB, adminURL, dbName, query string) *sql.DB {
	t.Helper()
	target, err := database.ParseURL(adminURL)
	Must(t, err)
	cfg, err := mysqldriver.ParseDSN(target.DSN)
	Must(t, err)
	cfg.DBName = dbName
	cfg.MultiStatements = true
	db, err := sql.Open("mysql", cfg.FormatDSN())
	Must(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, query); err != nil {
		t.Fatalf("mysql: %v", err)
	}
	return db
}

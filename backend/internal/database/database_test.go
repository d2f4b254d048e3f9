package database

import (
	"context"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	ok := []struct {
		raw     string
		dialect Dialect
		inDSN   []string
	}{
		{"sqlite://data/flicket.db", SQLite, []string{"file:data/flicket.db?", "foreign_keys", "journal_mode", "_txlock=immediate", "cache_size%28-512%29"}},
		{"sqlite:///var/lib/flicket/f.db", SQLite, []string{"file:/var/lib/flicket/f.db?"}},
		{"sqlite://:memory:", SQLite, []string{"file::memory:?", "cache=shared"}},
		{"mysql://user:p%40ss@db.example:3307/flicket", MySQL, []string{"user:p@ss@tcp(db.example:3307)/flicket", "parseTime=true", "charset=utf8mb4", "interpolateParams=true"}},
		{"mariadb://root@localhost/flicket", MySQL, []string{"root@tcp(localhost:3306)/flicket"}},
		{"postgres://u:p@h:5432/flicket?sslmode=disable", Postgres, []string{"postgres://u:p@h:5432/flicket?", "sslmode=disable", "timezone=UTC"}},
		{"postgresql://u@h/flicket", Postgres, []string{"sslmode=prefer"}},
	}
	for _, tc := range ok {
		got, err := ParseURL(tc.raw)
		if err != nil {
			t.Errorf("%s: %v", tc.raw, err)
			continue
		}
		if got.Dialect != tc.dialect {
			t.Errorf("%s: dialect %s", tc.raw, got.Dialect)
		}
		for _, s := range tc.inDSN {
			if !strings.Contains(got.DSN, s) {
				t.Errorf("%s: DSN %q lacks %q", tc.raw, got.DSN, s)
			}
		}
	}
	// A page cache size given in the URL replaces the default.
	if got, err := ParseURL("sqlite://f.db?_pragma=cache_size(-4000)"); err != nil ||
		!strings.Contains(got.DSN, "cache_size%28-4000%29") || strings.Contains(got.DSN, "cache_size%28-512%29") {
		t.Errorf("cache_size(-4000): %q, %v", got.DSN, err)
	}
	// interpolateParams can be turned off (and is not sent as a variable).
	if got, err := ParseURL("mysql://u@h/db?interpolateParams=false"); err != nil || strings.Contains(got.DSN, "interpolateParams") {
		t.Errorf("interpolateParams=false: %q, %v", got.DSN, err)
	}
	bad := []struct{ raw, says string }{
		{"mysql://u@h/db?interpolateParams=maybe", "interpolateParams must be true or false"},
		{"", "no scheme"},
		{"data/flicket.db", "no scheme"},
		{"oracle://x/y", "not supported"},
		{"sqlite://", "file path"},
		{"mysql://user:secret@host", "database name"},
		{"postgres://user:secret@/db", "host"},
		{"postgres://user:secret@h:notaport/db", "malformed"},
	}
	for _, tc := range bad {
		_, err := ParseURL(tc.raw)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%q: error %v, want one saying %q", tc.raw, err, tc.says)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%q: error leaks the password: %v", tc.raw, err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error is not one line: %q", tc.raw, err)
		}
	}
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, raw := range []string{"postgres://u:pw@127.0.0.1:1/db?sslmode=disable&connect_timeout=2", "mysql://u:pw@127.0.0.1:1/db?timeout=2s"} {
		_, _, err := Open(ctx, raw, Options{})
		if err == nil || !strings.HasPrefix(err.Error(), "cannot reach the") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q, want one line saying it cannot reach the database", raw, err)
		}
	}
}

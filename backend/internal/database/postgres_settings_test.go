package database_test

import (
	"slices"
	"testing"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestPostgresSessionSettings: Flicket's PostgreSQL connections plan without
// parallel workers and without JIT (short statements, many at a time), and
// a setting given in the URL wins.
func TestPostgresSessionSettings(t *testing.T) {
	if !slices.Contains(testutil.Dialects(), database.Postgres) {
		t.Skip("no PostgreSQL configured")
	}
	tdb := testutil.NewDB(t, database.Postgres)
	show := func(name string) string {
		var v string
		testutil.Must(t, tdb.DB.Raw("SHOW "+name).Scan(&v).Error)
		return v
	}
	if v := show("max_parallel_workers_per_gather"); v != "0" {
		t.Errorf("max_parallel_workers_per_gather = %s, want 0", v)
	}
	if v := show("jit"); v != "off" {
		t.Errorf("jit = %s, want off", v)
	}
	target, err := database.ParseURL(tdb.URL + "&jit=on")
	testutil.Must(t, err)
	db, err := database.OpenTarget(t.Context(), target, database.Options{MaxOpenConns: 1})
	testutil.Must(t, err)
	t.Cleanup(func() {
		if s, err := db.DB(); err == nil {
			_ = s.Close()
		}
	})
	var v string
	testutil.Must(t, db.Raw("SHOW jit").Scan(&v).Error)
	if v != "on" {
		t.Errorf("jit = %s with jit=on in the URL, want on", v)
	}
}

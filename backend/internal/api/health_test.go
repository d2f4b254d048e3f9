package api

import (
	"net/http"
	"testing"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestHealth(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		assertJSON(t, env.call(http.MethodGet, "/healthz", nil).expect(t, http.StatusOK).Body, `{"status":"ok"}`)
		assertJSON(t, env.call(http.MethodGet, "/readyz", nil).expect(t, http.StatusOK).Body, `{"status":"ok","database":"ok"}`)
		testutil.Must(t, database.Close(env.db))
		env.call(http.MethodGet, "/healthz", nil).expect(t, http.StatusOK)
		env.call(http.MethodGet, "/readyz", nil).expect(t, http.StatusServiceUnavailable)
	})
}

package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestListCache(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil)
		asAlice, asBob := env.as(alice), env.as(bob)
		create := func(as reqOpt, title string) {
			t.Helper()
			env.call(http.MethodPost, "/flicket-api/tickets", map[string]any{
				"title": title, "content": "Some content here.", "category_id": 1, "ticket_priority_id": 1,
			}, as).expect(t, http.StatusCreated)
		}
		list := func(path string, as reqOpt) (Envelope[map[string]any], string) {
			t.Helper()
			r := env.call(http.MethodGet, path, nil, as).expect(t, http.StatusOK)
			var e Envelope[map[string]any]
			r.decode(t, &e)
			return e, r.Header.Get("X-Flicket-Cache")
		}
		create(asAlice, "First ticket")

		t.Run("a repeated page is served from the cache", func(t *testing.T) {
			_, first := list("/flicket-api/tickets/?cachetest=1", asAlice)
			e, second := list("/flicket-api/tickets/?cachetest=1", asBob)
			if first != "miss" || second != "hit" || e.Meta.TotalItems != 1 {
				t.Fatalf("first %q, second %q, total %d", first, second, e.Meta.TotalItems)
			}
		})

		t.Run("a write through this server shows at once", func(t *testing.T) {
			list("/flicket-api/tickets/?cachetest=2", asAlice)
			create(asBob, "Second ticket")
			e, state := list("/flicket-api/tickets/?cachetest=2", asAlice)
			if state != "miss" || e.Meta.TotalItems != 2 {
				t.Fatalf("after a create: %q, total %d", state, e.Meta.TotalItems)
			}
		})

		t.Run("a refused write does not empty the cache", func(t *testing.T) {
			list("/flicket-api/tickets/?cachetest=3", asAlice)
			env.call(http.MethodPost, "/flicket-api/tickets", map[string]any{"title": "x"}, asAlice).expect(t, http.StatusUnprocessableEntity)
			if _, state := list("/flicket-api/tickets/?cachetest=3", asAlice); state != "hit" {
				t.Errorf("after a refused write: %q", state)
			}
		})

		t.Run("a change made elsewhere shows within a second", func(t *testing.T) {
			list("/flicket-api/tickets/?cachetest=4", asAlice)
			// Another server process (or a CLI command) changes the data.
			testutil.Must(t, env.db.Model(&model.Ticket{}).Where("title = ?", "First ticket").Update("title", "Renamed elsewhere").Error)
			e, state := list("/flicket-api/tickets/?cachetest=4", asAlice)
			if state != "hit" {
				t.Fatalf("within the second: %q", state)
			}
			env.clock.Advance(listCacheTTL + time.Millisecond)
			e, state = list("/flicket-api/tickets/?cachetest=4", asAlice)
			if state != "miss" || e.Items[0]["title"] != "Renamed elsewhere" {
				t.Fatalf("after the TTL: %q, first title %v", state, e.Items[0]["title"])
			}
		})

		t.Run("views of one's own tickets are never shared", func(t *testing.T) {
			a, _ := list("/flicket-api/tickets/?view=mine", asAlice)
			b, state := list("/flicket-api/tickets/?view=mine", asBob)
			if state != "miss" || a.Meta.TotalItems != 1 || b.Meta.TotalItems != 1 || a.Items[0]["id"] == b.Items[0]["id"] {
				t.Fatalf("alice %v, bob %v (%q)", a.Items, b.Items, state)
			}
		})

		t.Run("the token is checked on every request", func(t *testing.T) {
			token := env.tokenFor(alice)
			env.call(http.MethodGet, "/flicket-api/tickets/?cachetest=5", nil, withToken(token)).expect(t, http.StatusOK)
			env.call(http.MethodDelete, "/flicket-api/tokens", nil, withToken(token)).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, "/flicket-api/tickets/?cachetest=5", nil, withToken(token)).expectError(t, http.StatusUnauthorized, "auth.token_revoked")
		})
	})
}

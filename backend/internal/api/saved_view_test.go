package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestSavedViews(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		ann := testutil.NewUser(t, env.db, "ann", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil)
		asAnn, asBob, asAdmin := env.as(ann), env.as(bob), env.as(env.admin)
		create := func(as reqOpt, body map[string]any) SavedView {
			t.Helper()
			var v SavedView
			r := env.call(http.MethodPost, "/flicket-api/me/views", body, as).expect(t, http.StatusCreated)
			r.decode(t, &v)
			if r.Header.Get("Location") != testBase+"/me/views/"+itoa(v.ID) {
				t.Errorf("Location = %q", r.Header.Get("Location"))
			}
			return v
		}
		list := func(as reqOpt) []SavedView {
			t.Helper()
			var e Envelope[SavedView]
			env.call(http.MethodGet, "/flicket-api/me/views", nil, as).expect(t, http.StatusOK).decode(t, &e)
			return e.Items
		}

		t.Run("needs a token", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/me/views", nil).expectError(t, http.StatusUnauthorized, "")
			env.call(http.MethodPost, "/flicket-api/me/views", map[string]any{"name": "x"}).expectError(t, http.StatusUnauthorized, "")
		})

		var mine, shared SavedView
		t.Run("a private view: normalised query, links, only its owner sees it", func(t *testing.T) {
			mine = create(asAnn, map[string]any{"name": "  Urgent printers ", "query": "?state=open&q=printer&priority=high&page=3&per_page=10"})
			if mine.Name != "Urgent printers" || mine.Query != "priority=high&q=printer&state=open" || mine.Shared || !mine.Can.Edit ||
				mine.Owner == nil || mine.Owner.ID != ann.ID || mine.Links.Tickets != testBase+"/tickets/?priority=high&q=printer&state=open" {
				t.Errorf("view = %+v", mine)
			}
			if got := list(asAnn); len(got) != 1 || got[0].ID != mine.ID {
				t.Errorf("ann's views = %+v", got)
			}
			if got := list(asBob); len(got) != 0 {
				t.Errorf("bob sees %+v", got)
			}
			env.call(http.MethodGet, "/flicket-api/me/views/"+itoa(mine.ID), nil, asBob).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodPatch, "/flicket-api/me/views/"+itoa(mine.ID), map[string]any{"name": "Mine now"}, asBob).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodDelete, "/flicket-api/me/views/"+itoa(mine.ID), nil, asBob).expectError(t, http.StatusNotFound, "not_found")
			// Its tickets link answers.
			env.call(http.MethodGet, strings.TrimPrefix(mine.Links.Tickets, "http://flicket.test"), nil, asAnn).expect(t, http.StatusOK)
		})

		t.Run("only administrators share; everyone sees shared views, only administrators change them", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/me/views", map[string]any{"name": "Everyone", "query": "", "shared": true}, asAnn).
				expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodPatch, "/flicket-api/me/views/"+itoa(mine.ID), map[string]any{"shared": true}, asAnn).
				expectError(t, http.StatusForbidden, "forbidden")
			shared = create(asAdmin, map[string]any{"name": "Open, mine", "query": "view=mine&state=open", "shared": true})
			got := list(asBob)
			if len(got) != 1 || got[0].ID != shared.ID || !got[0].Shared || got[0].Can.Edit {
				t.Errorf("bob's views = %+v", got)
			}
			if got := list(asAnn); len(got) != 2 || got[0].ID != shared.ID || got[1].ID != mine.ID {
				t.Errorf("ann's views (shared first) = %+v", got)
			}
			env.call(http.MethodPatch, "/flicket-api/me/views/"+itoa(shared.ID), map[string]any{"name": "Hijack"}, asBob).
				expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodDelete, "/flicket-api/me/views/"+itoa(shared.ID), nil, asBob).expectError(t, http.StatusForbidden, "forbidden")
			var v SavedView
			env.call(http.MethodPatch, "/flicket-api/me/views/"+itoa(shared.ID), map[string]any{"query": "view=waiting"}, asAdmin).
				expect(t, http.StatusOK).decode(t, &v)
			if v.Query != "view=waiting" || v.Name != "Open, mine" || !v.Shared {
				t.Errorf("updated shared = %+v", v)
			}
		})

		t.Run("validation names the field", func(t *testing.T) {
			post := func(body map[string]any) *response {
				return env.call(http.MethodPost, "/flicket-api/me/views", body, asAnn)
			}
			post(map[string]any{"query": "state=open"}).expectField(t, "name", "required")
			post(map[string]any{"name": "   ", "query": ""}).expectField(t, "name", "required")
			post(map[string]any{"name": strings.Repeat("n", 61)}).expectField(t, "name", "max")
			post(map[string]any{"name": "x", "query": strings.Repeat("q", 1001)}).expectField(t, "query", "max")
			post(map[string]any{"name": "x", "query": "colour=red"}).expectField(t, "query", "oneof")
			post(map[string]any{"name": "x", "query": "view=everything"}).expectField(t, "query", "oneof")
			post(map[string]any{"name": "x", "query": "sort=sideways"}).expectField(t, "query", "oneof")
			post(map[string]any{"name": "x", "query": "state=%zz"}).expectField(t, "query", "invalid")
			post(map[string]any{"name": "x", "shared": "yes"}).expectField(t, "shared", "type")
			post(map[string]any{"name": "Urgent printers"}).expectError(t, http.StatusConflict, "view.duplicate")
			// A name a shared view has is taken too (both show side by side).
			post(map[string]any{"name": "Open, mine"}).expectError(t, http.StatusConflict, "view.duplicate")
			// Another user may use ann's private name.
			create(asBob, map[string]any{"name": "Urgent printers"})
			env.call(http.MethodPatch, "/flicket-api/me/views/"+itoa(mine.ID), map[string]any{"name": ""}, asAnn).expectField(t, "name", "nonblank")
			env.call(http.MethodGet, "/flicket-api/me/views/abc", nil, asAnn).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("delete", func(t *testing.T) {
			env.call(http.MethodDelete, "/flicket-api/me/views/"+itoa(mine.ID), nil, asAnn).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, "/flicket-api/me/views/"+itoa(mine.ID), nil, asAnn).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodDelete, "/flicket-api/me/views/"+itoa(shared.ID), nil, asAdmin).expect(t, http.StatusNoContent)
			if got := list(asAnn); len(got) != 0 {
				t.Errorf("left = %+v", got)
			}
		})
	})
}

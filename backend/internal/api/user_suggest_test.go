package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestUserSuggestionsForTicket: GET /users/?for_ticket= puts the caller
// first, then the people assigned the department's newest tickets (newest
// first, never the ticket's assignee), then the others by username; enabled
// accounts only, filters and pages as usual; bad values are a 400 naming
// the parameter.
func TestUserSuggestionsForTicket(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		zed := testutil.NewUser(t, env.db, "zed", nil) // the caller: last by username
		ann := testutil.NewUser(t, env.db, "ann", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil)
		carl := testutil.NewUser(t, env.db, "carl", nil)
		dina := testutil.NewUser(t, env.db, "dina", nil)
		eve := testutil.NewUser(t, env.db, "eve", nil)
		asZed, asAdmin := env.as(zed), env.as(env.admin)
		var cat1 model.Category
		testutil.Must(t, env.db.First(&cat1, 1).Error)
		var otherCat int64
		testutil.Must(t, env.db.Model(&model.Category{}).Where("department_id <> ?", cat1.DepartmentID).Limit(1).Pluck("id", &otherCat).Error)
		ticket := func(cat int64, assignee *model.User) int64 {
			id := tkCreate(t, env, ann, map[string]any{"category_id": cat})
			if assignee != nil {
				env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(id)+"/assign", map[string]any{"user_id": assignee.ID}, asAdmin).
					expect(t, http.StatusOK)
			}
			return id
		}
		ticket(1, bob)
		ticket(1, carl)
		ticket(1, dina)
		ticket(1, nil)
		ticket(otherCat, eve) // another department: no rank
		tk := ticket(1, bob)  // bob has it: not put first
		testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", dina.ID).Update("disabled", true).Error)

		names := func(t *testing.T, query string) (Envelope[User], string) {
			t.Helper()
			var e Envelope[User]
			env.call(http.MethodGet, "/flicket-api/users/?"+query, nil, asZed).expect(t, http.StatusOK).decode(t, &e)
			var out []string
			for _, u := range e.Items {
				out = append(out, u.Username)
			}
			return e, strings.Join(out, ",")
		}
		q := "for_ticket=" + itoa(tk)

		t.Run("the caller, the department's recent assignees, then the rest by username", func(t *testing.T) {
			e, got := names(t, q)
			if got != "zed,carl,admin,ann,bob,eve" || e.Meta.TotalItems != 6 {
				t.Errorf("order = %s (total %d)", got, e.Meta.TotalItems)
			}
			if _, plain := names(t, "disabled=false"); plain != "admin,ann,bob,carl,eve,zed" {
				t.Errorf("without for_ticket = %s", plain)
			}
		})
		t.Run("pages over the same order", func(t *testing.T) {
			var all []string
			for page := 1; page <= 4; page++ {
				e, got := names(t, q+"&per_page=2&page="+itoa(int64(page)))
				if got != "" {
					all = append(all, got)
				}
				if page == 1 && (e.Links.Next == nil || !strings.Contains(*e.Links.Next, "for_ticket="+itoa(tk))) {
					t.Errorf("next link drops for_ticket: %v", e.Links.Next)
				}
			}
			if got := strings.Join(all, "|"); got != "zed,carl|admin,ann|bob,eve" {
				t.Errorf("pages = %s", got)
			}
			if _, got := names(t, q+"&per_page=1&page=2"); got != "carl" {
				t.Errorf("page 2 of 1 = %s", got)
			}
		})
		t.Run("filters still apply", func(t *testing.T) {
			if _, got := names(t, q+"&q=ca"); got != "carl" {
				t.Errorf("q=ca = %s", got)
			}
			if _, got := names(t, q+"&q=e"); !strings.HasPrefix(got, "zed,") {
				t.Errorf("q=e = %s", got)
			}
		})
		t.Run("bad values are a 400 naming the parameter", func(t *testing.T) {
			for _, bad := range []string{"abc", "0", "-3", "1.5"} {
				env.call(http.MethodGet, "/flicket-api/users/?for_ticket="+bad, nil, asZed).expectQuery(t, "for_ticket", "integer")
			}
			env.call(http.MethodGet, "/flicket-api/users/?for_ticket=99999999", nil, asZed).expectQuery(t, "for_ticket", "not_found")
			env.call(http.MethodGet, "/flicket-api/users/?disabled=true&"+q, nil, asZed).expectQuery(t, "disabled", "oneof")
			env.call(http.MethodGet, "/flicket-api/users/?"+q, nil).expectError(t, http.StatusUnauthorized, "")
		})
	})
}

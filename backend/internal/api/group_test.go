package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestGroups(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		asAdmin := env.as(env.admin)
		super := testutil.NewUser(t, env.db, "super", []string{model.SuperUserGroup})
		asSuper := env.as(super)
		plain := testutil.NewUser(t, env.db, "plain", []string{"helpdesk"})
		asPlain := env.as(plain)
		helpdesk, err := model.FindGroupByName(t.Context(), env.db, "helpdesk")
		testutil.Must(t, err)
		adminGroup, err := model.FindGroupByName(t.Context(), env.db, model.AdminGroup)
		testutil.Must(t, err)
		superGroup, err := model.FindGroupByName(t.Context(), env.db, model.SuperUserGroup)
		testutil.Must(t, err)

		t.Run("administrators only", func(t *testing.T) {
			for _, as := range []reqOpt{asSuper, asPlain} {
				env.call(http.MethodGet, "/flicket-api/groups/", nil, as).expectError(t, http.StatusForbidden, "forbidden")
				env.call(http.MethodGet, "/flicket-api/group/1", nil, as).expectError(t, http.StatusForbidden, "forbidden")
				env.call(http.MethodPost, "/flicket-api/groups", map[string]any{"group_name": "sneaky"}, as).expectError(t, http.StatusForbidden, "forbidden")
				env.call(http.MethodPatch, "/flicket-api/group/"+itoa(helpdesk.ID), map[string]any{"group_name": "sneaky"}, as).expectError(t, http.StatusForbidden, "forbidden")
				env.call(http.MethodDelete, "/flicket-api/group/"+itoa(helpdesk.ID), nil, as).expectError(t, http.StatusForbidden, "forbidden")
			}
			env.call(http.MethodGet, "/flicket-api/groups/", nil).expect(t, http.StatusUnauthorized)
		})

		t.Run("list ordered by name with member counts", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/groups/", nil, asAdmin).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "_links": {"next": null, "prev": null, "self": "`+testBase+`/groups/?page=1&per_page=50"},
			 "_meta": {"page": 1, "per_page": 50, "total_items": 3, "total_pages": 1},
			 "items": [
			  {"group_name": "flicket_admin", "id": `+itoa(adminGroup.ID)+`, "members": 1,
			   "links": {"groups": "`+testBase+`/groups/", "self": "`+testBase+`/group/`+itoa(adminGroup.ID)+`"}},
			  {"group_name": "helpdesk", "id": `+itoa(helpdesk.ID)+`, "members": 1,
			   "links": {"groups": "`+testBase+`/groups/", "self": "`+testBase+`/group/`+itoa(helpdesk.ID)+`"}},
			  {"group_name": "super_user", "id": `+itoa(superGroup.ID)+`, "members": 1,
			   "links": {"groups": "`+testBase+`/groups/", "self": "`+testBase+`/group/`+itoa(superGroup.ID)+`"}}
			 ]}`)
			r = env.call(http.MethodGet, "/flicket-api/groups/?page=2&per_page=2", nil, asAdmin).expect(t, http.StatusOK)
			var e Envelope[Group]
			r.decode(t, &e)
			if len(e.Items) != 1 || e.Items[0].GroupName != "super_user" || e.Meta.TotalPages != 2 ||
				e.Links.Prev == nil || *e.Links.Prev != testBase+"/groups/?page=1&per_page=2" {
				t.Errorf("page 2 = %+v", e)
			}
		})

		t.Run("one group and a missing one", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/group/"+itoa(helpdesk.ID), nil, asAdmin).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{"group_name": "helpdesk", "id": `+itoa(helpdesk.ID)+`, "members": 1,
			 "links": {"groups": "`+testBase+`/groups/", "self": "`+testBase+`/group/`+itoa(helpdesk.ID)+`"}}`)
			env.call(http.MethodGet, "/flicket-api/group/999", nil, asAdmin).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("create: 201, Location, trimmed, no mass assignment", func(t *testing.T) {
			r := env.call(http.MethodPost, "/flicket-api/groups", map[string]any{"group_name": "  reviewers ", "id": 99, "members": 5}, asAdmin).
				expect(t, http.StatusCreated)
			var g Group
			r.decode(t, &g)
			if g.ID == 99 || g.GroupName != "reviewers" || g.Members != 0 {
				t.Errorf("created %+v", g)
			}
			if loc := r.Header.Get("Location"); loc != testBase+"/group/"+itoa(g.ID) {
				t.Errorf("Location = %q", loc)
			}
		})

		t.Run("duplicates in any letter case are 409 on group_name", func(t *testing.T) {
			for _, name := range []string{"helpdesk", "HelpDesk", "FLICKET_ADMIN"} {
				body := env.call(http.MethodPost, "/flicket-api/groups", map[string]any{"group_name": name}, asAdmin).
					expectError(t, http.StatusConflict, "group.duplicate")
				if body.Errors[0].Field != "group_name" {
					t.Errorf("errors = %+v", body.Errors)
				}
			}
		})

		t.Run("invalid names are 422 on group_name", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/groups", map[string]any{}, asAdmin).expectField(t, "group_name", "required")
			env.call(http.MethodPost, "/flicket-api/groups", map[string]any{"group_name": " ab "}, asAdmin).expectField(t, "group_name", "min")
			env.call(http.MethodPost, "/flicket-api/groups", map[string]any{"group_name": strings.Repeat("g", 65)}, asAdmin).expectField(t, "group_name", "max")
			env.call(http.MethodPost, "/flicket-api/groups", map[string]any{"group_name": true}, asAdmin).expectField(t, "group_name", "type")
		})

		t.Run("rename", func(t *testing.T) {
			r := env.call(http.MethodPatch, "/flicket-api/group/"+itoa(helpdesk.ID), map[string]any{"group_name": "Service Desk"}, asAdmin).
				expect(t, http.StatusOK)
			var g Group
			r.decode(t, &g)
			if g.GroupName != "Service Desk" || g.Members != 1 {
				t.Errorf("renamed %+v", g)
			}
			env.call(http.MethodPatch, "/flicket-api/group/"+itoa(helpdesk.ID), map[string]any{"group_name": "super_user"}, asAdmin).
				expectError(t, http.StatusConflict, "group.duplicate")
			env.call(http.MethodPatch, "/flicket-api/group/"+itoa(helpdesk.ID), map[string]any{"group_name": "x"}, asAdmin).
				expectField(t, "group_name", "min")
			env.call(http.MethodPatch, "/flicket-api/group/999", map[string]any{"group_name": "Nowhere"}, asAdmin).
				expectError(t, http.StatusNotFound, "not_found")
			// The member keeps the membership under the new name.
			u, err := model.FindUser(t.Context(), env.db, plain.ID)
			testutil.Must(t, err)
			if len(u.Groups) != 1 || u.Groups[0] != "Service Desk" {
				t.Errorf("groups = %v", u.Groups)
			}
		})

		t.Run("the permission groups cannot be renamed or deleted", func(t *testing.T) {
			for _, g := range []*model.Group{adminGroup, superGroup} {
				body := env.call(http.MethodPatch, "/flicket-api/group/"+itoa(g.ID), map[string]any{"group_name": "renamed"}, asAdmin).
					expectError(t, http.StatusForbidden, "forbidden")
				if !strings.Contains(body.Message, g.GroupName) || !strings.Contains(body.Message, "permissions") {
					t.Errorf("message = %q", body.Message)
				}
				env.call(http.MethodDelete, "/flicket-api/group/"+itoa(g.ID), nil, asAdmin).expectError(t, http.StatusForbidden, "forbidden")
				got, err := model.FindGroup(t.Context(), env.db, g.ID)
				testutil.Must(t, err)
				if got.GroupName != g.GroupName || got.Members != 1 {
					t.Errorf("group %s changed: %+v", g.GroupName, got)
				}
			}
		})

		t.Run("delete removes the memberships", func(t *testing.T) {
			env.call(http.MethodDelete, "/flicket-api/group/"+itoa(helpdesk.ID), nil, asAdmin).expect(t, http.StatusNoContent)
			var n int64
			testutil.Must(t, env.db.Model(&model.GroupMember{}).Where("group_id = ?", helpdesk.ID).Count(&n).Error)
			if n != 0 {
				t.Errorf("%d memberships left", n)
			}
			env.call(http.MethodGet, "/flicket-api/group/"+itoa(helpdesk.ID), nil, asAdmin).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodDelete, "/flicket-api/group/"+itoa(helpdesk.ID), nil, asAdmin).expectError(t, http.StatusNotFound, "not_found")
			if _, err := model.FindUser(t.Context(), env.db, plain.ID); err != nil {
				t.Errorf("the member is gone: %v", err)
			}
		})
	})
}

package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestDepartmentsRead(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(testutil.NewUser(t, env.db, "plain", nil))

		t.Run("one department in the original shape with its categories", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/department/1", nil, as).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "categories": [
			  {"category": "Dataset", "id": 1}, {"category": "ECN", "id": 2},
			  {"category": "ECR", "id": 3}, {"category": "Other", "id": 4}
			 ],
			 "department": "Design",
			 "id": 1,
			 "links": {"departments": "`+testBase+`/departments/", "self": "`+testBase+`/department/1"}
			}`)
		})

		t.Run("list ordered by name, query-paged", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/departments/?per_page=2", nil, as).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "_links": {
			  "next": "`+testBase+`/departments/?page=2&per_page=2",
			  "prev": null,
			  "self": "`+testBase+`/departments/?page=1&per_page=2"
			 },
			 "_meta": {"page": 1, "per_page": 2, "total_items": 6, "total_pages": 3},
			 "items": [
			  {"categories": [{"category": "Approved Suppliers", "id": 18}, {"category": "Other", "id": 19}],
			   "department": "Commercial", "id": 6,
			   "links": {"departments": "`+testBase+`/departments/", "self": "`+testBase+`/department/6"}},
			  {"categories": [{"category": "Dataset", "id": 1}, {"category": "ECN", "id": 2}, {"category": "ECR", "id": 3}, {"category": "Other", "id": 4}],
			   "department": "Design", "id": 1,
			   "links": {"departments": "`+testBase+`/departments/", "self": "`+testBase+`/department/1"}}
			 ]}`)

			r = env.call(http.MethodGet, "/flicket-api/departments/?page=3&per_page=2", nil, as).expect(t, http.StatusOK)
			var e Envelope[Department]
			r.decode(t, &e)
			if len(e.Items) != 2 || e.Items[0].Department != "Manufacturing" || e.Items[1].Department != "Quality" {
				t.Errorf("page 3 = %+v", e.Items)
			}
			if e.Links.Next != nil || e.Links.Prev == nil || *e.Links.Prev != testBase+"/departments/?page=2&per_page=2" {
				t.Errorf("links = %+v", e.Links)
			}
			r = env.call(http.MethodGet, "/flicket-api/departments/?page=9&per_page=2", nil, as).expect(t, http.StatusOK)
			r.decode(t, &e)
			if len(e.Items) != 0 || e.Meta.TotalItems != 6 {
				t.Errorf("page past the end = %+v", e)
			}
		})

		t.Run("a department without categories lists none", func(t *testing.T) {
			testutil.Must(t, env.db.Create(&model.Department{Department: "Empty"}).Error)
			r := env.call(http.MethodGet, "/flicket-api/departments/?per_page=100", nil, as).expect(t, http.StatusOK)
			if !strings.Contains(string(r.Body), `"categories":[],"department":"Empty"`) {
				t.Errorf("empty department: %s", r.Body)
			}
		})

		t.Run("missing department", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/department/999", nil, as).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodGet, "/flicket-api/department/abc", nil, as).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("a token is required", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/departments/", nil).expect(t, http.StatusUnauthorized)
		})
	})
}

func TestDepartmentsWrite(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		asAdmin := env.as(env.admin)
		asSuper := env.as(testutil.NewUser(t, env.db, "super", []string{model.SuperUserGroup}))
		asPlain := env.as(testutil.NewUser(t, env.db, "plain", nil))

		t.Run("create: 201, absolute Location, trimmed name, no mass assignment", func(t *testing.T) {
			r := env.call(http.MethodPost, "/flicket-api/departments",
				map[string]any{"department": "  Logistics  ", "id": 999, "categories": []any{map[string]any{"category": "x"}}},
				asAdmin).expect(t, http.StatusCreated)
			var d Department
			r.decode(t, &d)
			if d.ID == 999 || d.Department != "Logistics" || len(d.Categories) != 0 {
				t.Fatalf("created %+v", d)
			}
			if loc := r.Header.Get("Location"); loc != testBase+"/department/"+itoa(d.ID) {
				t.Errorf("Location = %q", loc)
			}
			assertJSON(t, r.Body, `{"categories": [], "department": "Logistics", "id": `+itoa(d.ID)+`,
			 "links": {"departments": "`+testBase+`/departments/", "self": "`+testBase+`/department/`+itoa(d.ID)+`"}}`)
			var n int64
			testutil.Must(t, env.db.Model(&model.Category{}).Where("department_id = ?", d.ID).Count(&n).Error)
			if n != 0 {
				t.Errorf("categories were mass-assigned: %d", n)
			}
		})

		t.Run("super users may create, plain users may not", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/departments", map[string]any{"department": "Finance"}, asSuper).expect(t, http.StatusCreated)
			env.call(http.MethodPost, "/flicket-api/departments", map[string]any{"department": "Legal"}, asPlain).
				expectError(t, http.StatusForbidden, "forbidden")
			var n int64
			testutil.Must(t, env.db.Model(&model.Department{}).Where("department = ?", "Legal").Count(&n).Error)
			if n != 0 {
				t.Error("a plain user created a department")
			}
		})

		t.Run("a duplicate name in any letter case is a 409 on department", func(t *testing.T) {
			for _, name := range []string{"Design", "design", " DESIGN "} {
				body := env.call(http.MethodPost, "/flicket-api/departments", map[string]any{"department": name}, asAdmin).
					expectError(t, http.StatusConflict, "department.duplicate")
				if len(body.Errors) != 1 || body.Errors[0].Field != "department" {
					t.Errorf("%q: errors = %+v", name, body.Errors)
				}
			}
		})

		t.Run("invalid names are 422 on department", func(t *testing.T) {
			cases := []struct {
				name string
				body any
				code string
			}{
				{"missing", map[string]any{"name": "Logistics"}, "required"},
				{"blank", map[string]any{"department": "    "}, "required"},
				{"too short once trimmed", map[string]any{"department": " ab "}, "min"},
				{"too long", map[string]any{"department": strings.Repeat("x", 31)}, "max"},
				{"not a string", map[string]any{"department": 12}, "type"},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					env.call(http.MethodPost, "/flicket-api/departments", tc.body, asAdmin).expectField(t, "department", tc.code)
				})
			}
			env.call(http.MethodPost, "/flicket-api/departments", map[string]any{"department": strings.Repeat("é", 30)}, asAdmin).
				expect(t, http.StatusCreated)
		})

		t.Run("malformed JSON is a 400", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/departments", `{"department":`, asAdmin).expectError(t, http.StatusBadRequest, "request.malformed_json")
		})

		t.Run("rename", func(t *testing.T) {
			r := env.call(http.MethodPatch, "/flicket-api/department/3", map[string]any{"department": "Information Tech", "id": 77}, asSuper).
				expect(t, http.StatusOK)
			var d Department
			r.decode(t, &d)
			if d.ID != 3 || d.Department != "Information Tech" || len(d.Categories) != 3 {
				t.Errorf("renamed %+v", d)
			}
			got, err := model.FindDepartment(t.Context(), env.db, 3)
			testutil.Must(t, err)
			if got.Department != "Information Tech" {
				t.Errorf("stored %q", got.Department)
			}
			// Its own name in another letter case is not a duplicate.
			env.call(http.MethodPatch, "/flicket-api/department/3", map[string]any{"department": "INFORMATION TECH"}, asSuper).expect(t, http.StatusOK)
			body := env.call(http.MethodPatch, "/flicket-api/department/3", map[string]any{"department": "quality"}, asSuper).
				expectError(t, http.StatusConflict, "department.duplicate")
			if body.Errors[0].Field != "department" {
				t.Errorf("errors = %+v", body.Errors)
			}
			env.call(http.MethodPatch, "/flicket-api/department/3", map[string]any{"department": "x"}, asSuper).expectField(t, "department", "min")
			env.call(http.MethodPatch, "/flicket-api/department/3", map[string]any{"department": "Hacked"}, asPlain).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodPatch, "/flicket-api/department/999", map[string]any{"department": "Nowhere"}, asAdmin).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("delete refuses a department with categories", func(t *testing.T) {
			body := env.call(http.MethodDelete, "/flicket-api/department/1", nil, asAdmin).expectError(t, http.StatusConflict, "department.in_use")
			if !strings.Contains(body.Message, "categories") {
				t.Errorf("message = %q", body.Message)
			}
			if _, err := model.FindDepartment(t.Context(), env.db, 1); err != nil {
				t.Errorf("department 1 is gone: %v", err)
			}
		})

		t.Run("delete an empty department", func(t *testing.T) {
			d := model.Department{Department: "Temporary"}
			testutil.Must(t, env.db.Create(&d).Error)
			env.call(http.MethodDelete, "/flicket-api/department/"+itoa(d.ID), nil, asPlain).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodDelete, "/flicket-api/department/"+itoa(d.ID), nil, asSuper).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, "/flicket-api/department/"+itoa(d.ID), nil, asAdmin).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodDelete, "/flicket-api/department/"+itoa(d.ID), nil, asSuper).expectError(t, http.StatusNotFound, "not_found")
		})
	})
}

package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestCategoriesRead(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(testutil.NewUser(t, env.db, "plain", nil))

		t.Run("one category in the original shape plus department_id", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/category/1", nil, as).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "category": "Dataset", "department": "Design", "department_id": 1, "id": 1,
			 "links": {
			  "categories": "`+testBase+`/categories/",
			  "department": "`+testBase+`/department/1",
			  "self": "`+testBase+`/category/1"
			 }}`)
		})

		t.Run("list ordered by name, query-paged", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/categories/?per_page=2&page=2", nil, as).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "_links": {
			  "next": "`+testBase+`/categories/?page=3&per_page=2",
			  "prev": "`+testBase+`/categories/?page=1&per_page=2",
			  "self": "`+testBase+`/categories/?page=2&per_page=2"
			 },
			 "_meta": {"page": 2, "per_page": 2, "total_items": 19, "total_pages": 10},
			 "items": [
			  {"category": "ECN", "department": "Design", "department_id": 1, "id": 2,
			   "links": {"categories": "`+testBase+`/categories/", "department": "`+testBase+`/department/1", "self": "`+testBase+`/category/2"}},
			  {"category": "ECR", "department": "Design", "department_id": 1, "id": 3,
			   "links": {"categories": "`+testBase+`/categories/", "department": "`+testBase+`/department/1", "self": "`+testBase+`/category/3"}}
			 ]}`)
		})

		t.Run("department_id filter, kept in the links", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/categories/?department_id=1&per_page=3", nil, as).expect(t, http.StatusOK)
			var e Envelope[Category]
			r.decode(t, &e)
			if e.Meta.TotalItems != 4 || len(e.Items) != 3 || e.Items[0].Category != "Dataset" || e.Items[2].Category != "ECR" {
				t.Fatalf("department 1 = %+v %+v", e.Meta, e.Items)
			}
			if e.Links.Self != testBase+"/categories/?department_id=1&page=1&per_page=3" ||
				e.Links.Next == nil || *e.Links.Next != testBase+"/categories/?department_id=1&page=2&per_page=3" {
				t.Errorf("links drop the filter: %+v", e.Links)
			}
		})

		t.Run("department name filter, any letter case, kept in the links", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/categories/?department=it", nil, as).expect(t, http.StatusOK)
			var e Envelope[Category]
			r.decode(t, &e)
			var names []string
			for _, it := range e.Items {
				names = append(names, it.Category)
				if it.Department != "IT" || it.DepartmentID != 3 {
					t.Errorf("item %+v", it)
				}
			}
			if strings.Join(names, ",") != "Internet,Intranet,Other" {
				t.Errorf("department=it gave %v", names)
			}
			if e.Links.Self != testBase+"/categories/?department=it&page=1&per_page=50" {
				t.Errorf("self = %s", e.Links.Self)
			}
			// The name must match whole, not as a substring.
			r = env.call(http.MethodGet, "/flicket-api/categories/?department=I", nil, as).expect(t, http.StatusOK)
			r.decode(t, &e)
			if e.Meta.TotalItems != 0 {
				t.Errorf("department=I matched %d", e.Meta.TotalItems)
			}
		})

		t.Run("both filters together and an unknown department", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/categories/?department_id=1&department=IT", nil, as).expect(t, http.StatusOK)
			var e Envelope[Category]
			r.decode(t, &e)
			if e.Meta.TotalItems != 0 {
				t.Errorf("contradicting filters matched %d", e.Meta.TotalItems)
			}
			r = env.call(http.MethodGet, "/flicket-api/categories/?department_id=999", nil, as).expect(t, http.StatusOK)
			r.decode(t, &e)
			if e.Meta.TotalItems != 0 || e.Meta.TotalPages != 0 || len(e.Items) != 0 {
				t.Errorf("unknown department = %+v", e)
			}
		})

		t.Run("a bad department_id is a 400", func(t *testing.T) {
			body := env.call(http.MethodGet, "/flicket-api/categories/?department_id=abc", nil, as).
				expectError(t, http.StatusBadRequest, "request.invalid_parameter")
			if body.Errors[0].Field != "department_id" {
				t.Errorf("errors = %+v", body.Errors)
			}
		})

		t.Run("missing category", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/category/999", nil, as).expectError(t, http.StatusNotFound, "not_found")
		})
	})
}

func TestCategoriesWrite(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		asAdmin := env.as(env.admin)
		super := testutil.NewUser(t, env.db, "super", []string{model.SuperUserGroup})
		asSuper := env.as(super)
		asPlain := env.as(testutil.NewUser(t, env.db, "plain", nil))

		t.Run("create: 201, absolute Location, no mass assignment", func(t *testing.T) {
			r := env.call(http.MethodPost, "/flicket-api/categories",
				map[string]any{"category": " New category ", "department_id": 1, "id": 500, "department": "IT"}, asSuper).
				expect(t, http.StatusCreated)
			var cat Category
			r.decode(t, &cat)
			if cat.ID == 500 || cat.Category != "New category" || cat.DepartmentID != 1 || cat.Department != "Design" {
				t.Fatalf("created %+v", cat)
			}
			if loc := r.Header.Get("Location"); loc != testBase+"/category/"+itoa(cat.ID) {
				t.Errorf("Location = %q", loc)
			}
			assertJSON(t, r.Body, `{"category": "New category", "department": "Design", "department_id": 1, "id": `+itoa(cat.ID)+`,
			 "links": {"categories": "`+testBase+`/categories/", "department": "`+testBase+`/department/1", "self": "`+testBase+`/category/`+itoa(cat.ID)+`"}}`)
		})

		t.Run("plain users may not create", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/categories", map[string]any{"category": "Sneaky", "department_id": 1}, asPlain).
				expectError(t, http.StatusForbidden, "forbidden")
		})

		t.Run("a duplicate within the department is a 409 on category; another department is fine", func(t *testing.T) {
			body := env.call(http.MethodPost, "/flicket-api/categories", map[string]any{"category": "dataset", "department_id": 1}, asAdmin).
				expectError(t, http.StatusConflict, "category.duplicate")
			if body.Errors[0].Field != "category" {
				t.Errorf("errors = %+v", body.Errors)
			}
			env.call(http.MethodPost, "/flicket-api/categories", map[string]any{"category": "Dataset", "department_id": 3}, asAdmin).
				expect(t, http.StatusCreated)
		})

		t.Run("an unknown department is a 422 on department_id, not a 500", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/categories", map[string]any{"category": "Orphan", "department_id": 999}, asAdmin).
				expectField(t, "department_id", "not_found")
		})

		t.Run("invalid fields are 422", func(t *testing.T) {
			cases := []struct {
				name, field, code string
				body              any
			}{
				{"category missing", "category", "required", map[string]any{"department_id": 1}},
				{"category too short", "category", "min", map[string]any{"category": " ab ", "department_id": 1}},
				{"category too long", "category", "max", map[string]any{"category": strings.Repeat("c", 31), "department_id": 1}},
				{"department_id missing", "department_id", "required", map[string]any{"category": "Valid"}},
				{"department_id a string", "department_id", "type", map[string]any{"category": "Valid", "department_id": "1"}},
				{"department_id negative", "department_id", "gt", map[string]any{"category": "Valid", "department_id": -4}},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					env.call(http.MethodPost, "/flicket-api/categories", tc.body, asAdmin).expectField(t, tc.field, tc.code)
				})
			}
		})

		t.Run("rename and move", func(t *testing.T) {
			r := env.call(http.MethodPatch, "/flicket-api/category/6", map[string]any{"category": "Tools"}, asSuper).expect(t, http.StatusOK)
			var cat Category
			r.decode(t, &cat)
			if cat.ID != 6 || cat.Category != "Tools" || cat.Department != "Manufacturing" {
				t.Errorf("renamed %+v", cat)
			}
			r = env.call(http.MethodPatch, "/flicket-api/category/6", map[string]any{"department_id": 3}, asSuper).expect(t, http.StatusOK)
			r.decode(t, &cat)
			if cat.Category != "Tools" || cat.DepartmentID != 3 || cat.Department != "IT" ||
				cat.Links.Department != testBase+"/department/3" {
				t.Errorf("moved %+v", cat)
			}
			stored, err := model.FindCategory(t.Context(), env.db, 6)
			testutil.Must(t, err)
			if stored.DepartmentID != 3 || stored.Category != "Tools" {
				t.Errorf("stored %+v", stored)
			}
			// Its own name in another case is fine; a sibling's is not.
			env.call(http.MethodPatch, "/flicket-api/category/6", map[string]any{"category": "TOOLS"}, asSuper).expect(t, http.StatusOK)
			env.call(http.MethodPatch, "/flicket-api/category/6", map[string]any{"category": "internet"}, asSuper).
				expectError(t, http.StatusConflict, "category.duplicate")
			// Moving where the name exists is a duplicate too.
			env.call(http.MethodPatch, "/flicket-api/category/4", map[string]any{"department_id": 3}, asSuper).
				expectError(t, http.StatusConflict, "category.duplicate")
			env.call(http.MethodPatch, "/flicket-api/category/6", map[string]any{"department_id": 999}, asSuper).
				expectField(t, "department_id", "not_found")
			env.call(http.MethodPatch, "/flicket-api/category/6", map[string]any{"category": ""}, asSuper).expectField(t, "category", "min")
			env.call(http.MethodPatch, "/flicket-api/category/6", map[string]any{"category": "Mine"}, asPlain).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodPatch, "/flicket-api/category/999", map[string]any{"category": "Nowhere"}, asAdmin).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("delete refuses a category tickets use, then removes it with its counters", func(t *testing.T) {
			tk := testutil.NewTicket(t, env.srv.writer, super, testutil.InCategory(7))
			env.call(http.MethodDelete, "/flicket-api/category/7", nil, asPlain).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodDelete, "/flicket-api/category/7", nil, asAdmin).expectError(t, http.StatusConflict, "category.in_use")
			if _, err := model.FindCategory(t.Context(), env.db, 7); err != nil {
				t.Fatalf("category 7 is gone: %v", err)
			}
			testutil.Write(t, env.srv.writer, func(tx *model.Tx) error {
				_, err := model.DeleteTicket(t.Context(), tx, tk.ID, env.admin)
				return err
			})
			env.call(http.MethodDelete, "/flicket-api/category/7", nil, asSuper).expect(t, http.StatusNoContent)
			var n int64
			testutil.Must(t, env.db.Model(&model.TicketCount{}).Where("category_id = ?", 7).Count(&n).Error)
			if n != 0 {
				t.Errorf("%d ticket_counts rows left", n)
			}
			env.call(http.MethodGet, "/flicket-api/category/7", nil, asAdmin).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodDelete, "/flicket-api/category/7", nil, asAdmin).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("a department whose last category went can be deleted", func(t *testing.T) {
			// Commercial (6) has Approved Suppliers (18) and Other (19).
			env.call(http.MethodDelete, "/flicket-api/department/6", nil, asAdmin).expectError(t, http.StatusConflict, "department.in_use")
			env.call(http.MethodDelete, "/flicket-api/category/18", nil, asAdmin).expect(t, http.StatusNoContent)
			env.call(http.MethodDelete, "/flicket-api/category/19", nil, asAdmin).expect(t, http.StatusNoContent)
			env.call(http.MethodDelete, "/flicket-api/department/6", nil, asAdmin).expect(t, http.StatusNoContent)
		})
	})
}

package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestDepartmentCategories(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(testutil.NewUser(t, env.db, "plain", nil))

		list := func(t *testing.T, query string) Envelope[DepartmentCategory] {
			t.Helper()
			r := env.call(http.MethodGet, "/flicket-api/department_categories/?"+query, nil, as).expect(t, http.StatusOK)
			var e Envelope[DepartmentCategory]
			r.decode(t, &e)
			return e
		}
		names := func(e Envelope[DepartmentCategory]) string {
			var out []string
			for _, it := range e.Items {
				out = append(out, it.DepartmentCategory)
			}
			return strings.Join(out, "|")
		}

		t.Run("one pair in the original shape, by category id", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/department_category/1", nil, as).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "category": "Dataset",
			 "category_id": 1,
			 "department": "Design",
			 "department_category": "Design / Dataset",
			 "department_id": 1,
			 "links": {
			  "category": "`+testBase+`/category/1",
			  "department": "`+testBase+`/department/1",
			  "department_categories": "`+testBase+`/department_categories/",
			  "self": "`+testBase+`/department_category/1"
			 }}`)
		})

		t.Run("list ordered by department then category", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/department_categories/?per_page=3", nil, as).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "_links": {
			  "next": "`+testBase+`/department_categories/?page=2&per_page=3",
			  "prev": null,
			  "self": "`+testBase+`/department_categories/?page=1&per_page=3"
			 },
			 "_meta": {"page": 1, "per_page": 3, "total_items": 19, "total_pages": 7},
			 "items": [
			  {"category": "Approved Suppliers", "category_id": 18, "department": "Commercial",
			   "department_category": "Commercial / Approved Suppliers", "department_id": 6,
			   "links": {"category": "`+testBase+`/category/18", "department": "`+testBase+`/department/6",
			    "department_categories": "`+testBase+`/department_categories/", "self": "`+testBase+`/department_category/18"}},
			  {"category": "Other", "category_id": 19, "department": "Commercial",
			   "department_category": "Commercial / Other", "department_id": 6,
			   "links": {"category": "`+testBase+`/category/19", "department": "`+testBase+`/department/6",
			    "department_categories": "`+testBase+`/department_categories/", "self": "`+testBase+`/department_category/19"}},
			  {"category": "Dataset", "category_id": 1, "department": "Design",
			   "department_category": "Design / Dataset", "department_id": 1,
			   "links": {"category": "`+testBase+`/category/1", "department": "`+testBase+`/department/1",
			    "department_categories": "`+testBase+`/department_categories/", "self": "`+testBase+`/department_category/1"}}
			 ]}`)
			e := list(t, "page=7&per_page=3")
			if names(e) != "Quality / Procedures" {
				t.Errorf("last page = %s", names(e))
			}
		})

		t.Run("department_category is a case-insensitive substring of the whole name", func(t *testing.T) {
			cases := []struct{ term, want string }{
				{"DESIGN / DATASET", "Design / Dataset"},
				{"gn / da", "Design / Dataset"},
				{"t / i", "IT / Internet|IT / Intranet"},
				{"nufacturing / pro", "Manufacturing / Process Planning"},
				{"sign", "Design / Dataset|Design / ECN|Design / ECR|Design / Other"},
				{"n / ", "Design / Dataset|Design / ECN|Design / ECR|Design / Other"},
				{"lity /", "Quality / Manuals|Quality / Other|Quality / Procedures"},
				{"/ e", "Design / ECN|Design / ECR|Manufacturing / Equipment"},
				{"ecr", "Design / ECR"},
				{"sick", "Human Resources / Sick Leave"},
				{"design / dataset!", ""},
				{"%", ""},
				{"_", ""},
				{"n/d", ""},
				{strings.Repeat("a", 64), ""},
			}
			for _, tc := range cases {
				e := list(t, "per_page=100&department_category="+url.QueryEscape(tc.term))
				if got := names(e); got != tc.want {
					t.Errorf("%q matched %q, want %q", tc.term, got, tc.want)
				}
				if int(e.Meta.TotalItems) != len(e.Items) {
					t.Errorf("%q: total %d for %d items", tc.term, e.Meta.TotalItems, len(e.Items))
				}
			}
			if e := list(t, "department_category=%2F"); e.Meta.TotalItems != 19 {
				t.Errorf("the separator alone matched %d", e.Meta.TotalItems)
			}
			if e := list(t, "department_category=+%2F+o"); e.Meta.TotalItems != 6 {
				t.Errorf("' / o' matched %d: %s", e.Meta.TotalItems, names(e))
			}
		})

		t.Run("names with multi-byte letters", func(t *testing.T) {
			d := model.Department{Department: "Qualité"}
			testutil.Must(t, env.db.Create(&d).Error)
			testutil.Must(t, env.db.Create(&model.Category{Category: "électricité", DepartmentID: d.ID}).Error)
			// (A lone "é" would also match "e" on MariaDB, whose collation
			// ignores accents.)
			for _, term := range []string{"té / é", "ité / électricité"} {
				if got := names(list(t, "department_category="+url.QueryEscape(term))); got != "Qualité / électricité" {
					t.Errorf("%q matched %q", term, got)
				}
			}
		})

		t.Run("department and department_id filters, kept in the links", func(t *testing.T) {
			e := list(t, "department=HUMAN+RESOURCES&per_page=2")
			if names(e) != "Human Resources / Holidays|Human Resources / Other" || e.Meta.TotalItems != 3 {
				t.Errorf("department filter = %s (%d)", names(e), e.Meta.TotalItems)
			}
			if e.Links.Next == nil || *e.Links.Next != testBase+"/department_categories/?department=HUMAN+RESOURCES&page=2&per_page=2" {
				t.Errorf("next = %v", e.Links.Next)
			}
			e = list(t, "department_id=3&department_category=other")
			if names(e) != "IT / Other" {
				t.Errorf("department_id + term = %s", names(e))
			}
			if e.Links.Self != testBase+"/department_categories/?department_category=other&department_id=3&page=1&per_page=50" {
				t.Errorf("self = %s", e.Links.Self)
			}
		})

		t.Run("bad parameters and missing ids", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/department_categories/?department_id=x", nil, as).
				expectError(t, http.StatusBadRequest, "request.invalid_parameter")
			env.call(http.MethodGet, "/flicket-api/department_category/999", nil, as).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodGet, "/flicket-api/department_categories/", nil).expect(t, http.StatusUnauthorized)
		})

		t.Run("read-only", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/department_categories", map[string]any{"category": "x"}, env.as(env.admin)).
				expectError(t, http.StatusMethodNotAllowed, "route.method_not_allowed")
		})
	})
}

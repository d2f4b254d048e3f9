package api

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestEnvelopeArithmetic(t *testing.T) {
	l := lister{base: "http://x/flicket-api", path: "/tickets/", style: pathPaged, keep: url.Values{"status": {"1"}}}
	str := func(s *string) string {
		if s == nil {
			return "null"
		}
		return *s
	}
	cases := []struct {
		name             string
		page, per        int
		total            int64
		pages            int64
		self, next, prev string
	}{
		{"empty", 1, 50, 0, 0, "http://x/flicket-api/tickets/1/?per_page=50&status=1", "null", "null"},
		{"one page", 1, 50, 4, 1, "http://x/flicket-api/tickets/1/?per_page=50&status=1", "null", "null"},
		{"exact fit", 1, 2, 4, 2, "http://x/flicket-api/tickets/1/?per_page=2&status=1", "http://x/flicket-api/tickets/2/?per_page=2&status=1", "null"},
		{"middle", 2, 1, 3, 3, "http://x/flicket-api/tickets/2/?per_page=1&status=1", "http://x/flicket-api/tickets/3/?per_page=1&status=1", "http://x/flicket-api/tickets/1/?per_page=1&status=1"},
		{"last", 3, 1, 3, 3, "http://x/flicket-api/tickets/3/?per_page=1&status=1", "null", "http://x/flicket-api/tickets/2/?per_page=1&status=1"},
		{"remainder", 1, 3, 10, 4, "http://x/flicket-api/tickets/1/?per_page=3&status=1", "http://x/flicket-api/tickets/2/?per_page=3&status=1", "null"},
		{"past the end", 9, 2, 3, 2, "http://x/flicket-api/tickets/9/?per_page=2&status=1", "null", "http://x/flicket-api/tickets/2/?per_page=2&status=1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvelope[int](nil, pageRequest{Page: tc.page, PerPage: tc.per}, tc.total, l)
			if e.Items == nil || len(e.Items) != 0 {
				t.Errorf("items = %v, want []", e.Items)
			}
			if e.Meta.TotalPages != tc.pages || e.Meta.TotalItems != tc.total || e.Meta.Page != tc.page || e.Meta.PerPage != tc.per {
				t.Errorf("meta = %+v", e.Meta)
			}
			if e.Links.Self != tc.self || str(e.Links.Next) != tc.next || str(e.Links.Prev) != tc.prev {
				t.Errorf("links = %s / %s / %s", e.Links.Self, str(e.Links.Next), str(e.Links.Prev))
			}
		})
	}
	q := lister{base: "http://x/flicket-api", path: "/users/", style: queryPaged}
	if got := q.url(2, 5); got != "http://x/flicket-api/users/?page=2&per_page=5" {
		t.Errorf("query-paged url = %s", got)
	}
}

func TestPageParameters(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(env.admin)
		meta := func(path string) Meta {
			var e Envelope[Status]
			env.call(http.MethodGet, path, nil, as).expect(t, http.StatusOK).decode(t, &e)
			return e.Meta
		}

		t.Run("per_page defaults to the configured page size", func(t *testing.T) {
			if m := meta("/flicket-api/statuses/"); m.PerPage != 50 {
				t.Errorf("per_page = %d", m.PerPage)
			}
			testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = 1").Update("posts_per_page", 20).Error)
			defer env.db.Model(&model.Settings{}).Where("id = 1").Update("posts_per_page", 50)
			if m := meta("/flicket-api/statuses/"); m.PerPage != 20 {
				t.Errorf("per_page after the config change = %d, want 20", m.PerPage)
			}
		})

		t.Run("per_page is capped at 100", func(t *testing.T) {
			if m := meta("/flicket-api/statuses/?per_page=500"); m.PerPage != 100 {
				t.Errorf("per_page = %d", m.PerPage)
			}
		})

		t.Run("a page past the end is empty", func(t *testing.T) {
			var e Envelope[Status]
			env.call(http.MethodGet, "/flicket-api/statuses/?page=7", nil, as).expect(t, http.StatusOK).decode(t, &e)
			if len(e.Items) != 0 || e.Meta.Page != 7 || e.Meta.TotalItems != 4 {
				t.Errorf("page 7 = %+v", e)
			}
		})

		t.Run("bad values are 400 naming the parameter", func(t *testing.T) {
			cases := map[string]string{
				"/flicket-api/statuses/?page=0":                    "page",
				"/flicket-api/statuses/?page=-3":                   "page",
				"/flicket-api/statuses/?page=abc":                  "page",
				"/flicket-api/statuses/?page=99999999999999999999": "page",
				"/flicket-api/statuses/?per_page=0":                "per_page",
				"/flicket-api/statuses/?per_page=x":                "per_page",
				"/flicket-api/priorities/0/":                       "page",
			}
			for path, field := range cases {
				body := env.call(http.MethodGet, path, nil, as).expectError(t, http.StatusBadRequest, "request.invalid_parameter")
				if len(body.Errors) != 1 || body.Errors[0].Field != field {
					t.Errorf("%s: errors = %+v, want field %s", path, body.Errors, field)
				}
			}
			env.call(http.MethodGet, "/flicket-api/priorities/abc/", nil, as).expectError(t, http.StatusNotFound, "")
		})
	})
}

package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestUsersRead(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "James_Smith", nil, testutil.WithName("James Smith"))
		testutil.NewUser(t, env.db, "pbrown", nil, testutil.WithName("Patricia Brown"))
		testutil.NewUser(t, env.db, "jjones", nil, testutil.WithName("John Jones"))
		asJames := env.as(james)

		t.Run("one user in the documented shape", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/user/1", nil, asJames).expect(t, http.StatusOK)
			m := r.object(t)
			for _, k := range []string{"avatar", "email", "id", "job_title", "links", "name", "total_posts", "username"} {
				if _, ok := m[k]; !ok {
					t.Errorf("user JSON lacks %q: %s", k, r.Body)
				}
			}
			if m["username"] != "admin" || m["job_title"] != "admin" || m["is_admin"] != true {
				t.Errorf("user 1 = %s", r.Body)
			}
			links := m["links"].(map[string]any)
			if links["self"] != testBase+"/user/1" || links["users"] != testBase+"/users/" {
				t.Errorf("links = %v", links)
			}
			// Account settings are for administrators and the user themself.
			if _, ok := m["disabled"]; ok {
				t.Errorf("a non-admin sees another user's settings: %s", r.Body)
			}
		})

		t.Run("job title defaults to unknown", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/user/"+itoa(james.ID), nil, asJames).expect(t, http.StatusOK)
			m := r.object(t)
			if m["job_title"] != "unknown" {
				t.Errorf("job_title = %v", m["job_title"])
			}
			if m["locale"] != "en" || m["disabled"] != false {
				t.Errorf("own settings missing: %s", r.Body)
			}
		})

		t.Run("no password or hash in any user JSON", func(t *testing.T) {
			for _, path := range []string{"/flicket-api/users/", "/flicket-api/user/1", "/flicket-api/user/" + itoa(james.ID)} {
				for _, as := range []reqOpt{asJames, env.as(env.admin)} {
					body := string(env.call(http.MethodGet, path, nil, as).expect(t, http.StatusOK).Body)
					if strings.Contains(body, "$2") || strings.Contains(strings.ToLower(body), "password") {
						t.Fatalf("%s leaks a password: %s", path, body)
					}
				}
			}
		})

		t.Run("name filter is a case-insensitive substring of the name", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/users/?name=SMITH", nil, asJames).expect(t, http.StatusOK)
			var e Envelope[User]
			r.decode(t, &e)
			if e.Meta.TotalItems != 1 || len(e.Items) != 1 || e.Items[0].Username != "James_Smith" {
				t.Fatalf("name=SMITH gave %+v", e.Items)
			}
			if e.Links.Self != testBase+"/users/?name=SMITH&page=1&per_page=50" {
				t.Errorf("self link drops the filter: %s", e.Links.Self)
			}
			r = env.call(http.MethodGet, "/flicket-api/users/?name=%25", nil, asJames).expect(t, http.StatusOK)
			r.decode(t, &e)
			if e.Meta.TotalItems != 0 {
				t.Errorf("a literal %% matched %d users", e.Meta.TotalItems)
			}
		})

		t.Run("users are ordered by username and paged", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/users/?page=2&per_page=2", nil, asJames).expect(t, http.StatusOK)
			var e Envelope[User]
			r.decode(t, &e)
			// admin, James_Smith, jjones, pbrown
			if e.Meta != (Meta{Page: 2, PerPage: 2, TotalItems: 4, TotalPages: 2}) {
				t.Errorf("meta = %+v", e.Meta)
			}
			if len(e.Items) != 2 || e.Items[0].Username != "jjones" || e.Items[1].Username != "pbrown" {
				t.Errorf("page 2 = %+v", e.Items)
			}
			if e.Links.Next != nil || e.Links.Prev == nil || *e.Links.Prev != testBase+"/users/?page=1&per_page=2" {
				t.Errorf("links = %+v", e.Links)
			}
		})

		t.Run("missing user", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/user/424242", nil, asJames).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("roles are shown", func(t *testing.T) {
			su := testutil.NewUser(t, env.db, "super", []string{model.SuperUserGroup})
			r := env.call(http.MethodGet, "/flicket-api/user/"+itoa(su.ID), nil, asJames).expect(t, http.StatusOK)
			m := r.object(t)
			if m["is_super_user"] != true || m["is_admin"] != false {
				t.Errorf("roles = %s", r.Body)
			}
		})
	})
}

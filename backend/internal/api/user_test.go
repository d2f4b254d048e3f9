package api

import (
	"encoding/json"
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

		t.Run("disabled=false keeps whom a ticket may be assigned to", func(t *testing.T) {
			gone := testutil.NewUser(t, env.db, "jgone", nil, testutil.WithName("Jim Gone"))
			testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", gone.ID).Update("disabled", true).Error)
			var e Envelope[User]
			env.call(http.MethodGet, "/flicket-api/users/?q=j&disabled=false", nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta.TotalItems != 2 || e.Items[0].Username != "James_Smith" || e.Items[1].Username != "jjones" {
				t.Errorf("q=j&disabled=false gave %+v", e.Items)
			}
			if e.Links.Self != testBase+"/users/?disabled=false&page=1&per_page=50&q=j" {
				t.Errorf("self link drops the filter: %s", e.Links.Self)
			}
			env.call(http.MethodGet, "/flicket-api/users/?disabled=true", nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta.TotalItems != 1 || e.Items[0].Username != "jgone" {
				t.Errorf("disabled=true gave %+v", e.Items)
			}
			r := env.call(http.MethodGet, "/flicket-api/users/?disabled=no", nil, asJames).expectError(t, http.StatusBadRequest, "request.invalid_parameter")
			if len(r.Errors) != 1 || r.Errors[0].Field != "disabled" || r.Errors[0].Code != "oneof" {
				t.Errorf("the error does not name disabled: %+v", r)
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

// groupsOf returns the groups of a user JSON the viewer may see settings of;
// the key must be there.
func groupsOf(t *testing.T, u User) []string {
	t.Helper()
	if u.Groups == nil {
		t.Fatalf("user %d JSON has no groups", u.ID)
	}
	return *u.Groups
}

// TestUserGroupsKey: groups is a settings field. Whoever may see settings
// (an administrator, the user themself) always gets the key, [] for a user
// in no group; anyone else never gets it, not even an empty one.
func TestUserGroupsKey(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		loner := testutil.NewUser(t, env.db, "loner", nil)
		member := testutil.NewUser(t, env.db, "member", []string{"helpdesk"})
		other := testutil.NewUser(t, env.db, "other", []string{model.SuperUserGroup})
		asAdmin, asLoner, asOther := env.as(env.admin), env.as(loner), env.as(other)

		groupsKey := func(t *testing.T, body []byte) (any, bool) {
			t.Helper()
			var m map[string]any
			r := response{Body: body}
			r.decode(t, &m)
			v, ok := m["groups"]
			return v, ok
		}
		cases := []struct {
			name string
			path string
			as   reqOpt
			want string // JSON of the groups value; "" for no key
		}{
			{"GET /me without groups", "/flicket-api/me", asLoner, "[]"},
			{"own user without groups", "/flicket-api/user/" + itoa(loner.ID), asLoner, "[]"},
			{"admin views a user without groups", "/flicket-api/user/" + itoa(loner.ID), asAdmin, "[]"},
			{"admin views a member", "/flicket-api/user/" + itoa(member.ID), asAdmin, `["helpdesk"]`},
			{"another user views a user without groups", "/flicket-api/user/" + itoa(loner.ID), asOther, ""},
			{"another user views a member", "/flicket-api/user/" + itoa(member.ID), asOther, ""},
			{"a super user views an administrator", "/flicket-api/user/1", asOther, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := env.call(http.MethodGet, tc.path, nil, tc.as).expect(t, http.StatusOK)
				v, ok := groupsKey(t, r.Body)
				switch {
				case tc.want == "" && ok:
					t.Errorf("groups shown: %s", r.Body)
				case tc.want != "" && !ok:
					t.Errorf("groups missing: %s", r.Body)
				case tc.want != "":
					got, err := json.Marshal(v)
					testutil.Must(t, err)
					if string(got) != tc.want {
						t.Errorf("groups = %s, want %s", got, tc.want)
					}
				}
			})
		}

		t.Run("the list: key for every item for an administrator, for none otherwise", func(t *testing.T) {
			for _, viewer := range []struct {
				as   reqOpt
				want bool
			}{{asAdmin, true}, {asLoner, false}} {
				r := env.call(http.MethodGet, "/flicket-api/users/?per_page=100", nil, viewer.as).expect(t, http.StatusOK)
				var e struct{ Items []map[string]any }
				r.decode(t, &e)
				for _, item := range e.Items {
					_, ok := item["groups"]
					// A user sees their own settings in the list too.
					want := viewer.want || item["username"] == "loner"
					if ok != want {
						t.Errorf("%v sees groups of %v: %v, want %v", viewer.want, item["username"], ok, want)
					}
				}
			}
		})
	})
}

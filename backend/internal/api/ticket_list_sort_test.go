package api

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/sortkey"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// tkNamed is a list item with the names the list sorts by.
type tkNamed struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	Department string `json:"department"`
	Category   string `json:"category"`
	StartedBy  *struct {
		Name string `json:"name"`
	} `json:"started_by"`
	AssignedTo *struct {
		Name string `json:"name"`
	} `json:"assigned_to"`
}

// tkNameOrder is the order a name sort must give, computed from the names
// the list shows: Unicode collation keys, missing names first, ties by id.
func tkNameOrder(items []tkNamed, key string) []int64 {
	desc := false
	if k, ok := cutDesc(key); ok {
		key, desc = k, true
	}
	sk := func(it tkNamed) []byte {
		switch key {
		case "title":
			return sortkey.Key(it.Title)
		case "addedby":
			if it.StartedBy == nil {
				return nil
			}
			return sortkey.Key(it.StartedBy.Name)
		case "assigned":
			if it.AssignedTo == nil {
				return nil
			}
			return sortkey.Key(it.AssignedTo.Name)
		}
		return sortkey.Pair(it.Department, it.Category)
	}
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b tkNamed) int {
		c := bytes.Compare(sk(a), sk(b))
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	out := make([]int64, len(sorted))
	for i, it := range sorted {
		out[i] = it.ID
	}
	return out
}

func cutDesc(key string) (string, bool) {
	if len(key) > 5 && key[len(key)-5:] == "_desc" {
		return key[:len(key)-5], true
	}
	return key, false
}

// TestTicketListNameSorts: names sort by collation (case and accents aside)
// identically on every database, and follow renames of users, departments
// and categories, moves of categories and deleted users at once.
func TestTicketListNameSorts(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		admin := env.as(env.admin)
		var users []*model.User
		for i, name := range []string{"Émile Zola", "emile abel", "Zoë Adams", "Ángel Ruiz", "bob"} {
			users = append(users, testutil.NewUser(t, env.db, fmt.Sprintf("user%d", i), nil, testutil.WithName(name)))
		}
		titles := []string{"Éclair outage", "eclair backup", "Zebra printer", "ångström meter", "apple pie", "Eclair outage", "Œuvre list"}
		// Categories across departments (setup's ids): Design 1 and 4,
		// Manufacturing 5 and 8, IT 9 and 11.
		cats := []int{1, 4, 5, 8, 9, 11}
		var ids []int64
		for i, title := range titles {
			by := users[i%len(users)]
			id := tkCreate(t, env, by, map[string]any{"title": title, "category_id": cats[i%len(cats)]})
			ids = append(ids, id)
			if i%2 == 0 {
				env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(id)+"/assign",
					map[string]any{"user_id": users[(i+2)%len(users)].ID}, admin).expect(t, http.StatusOK)
			}
		}
		check := func(step string) {
			t.Helper()
			var all struct{ Items []tkNamed }
			env.call(http.MethodGet, "/flicket-api/tickets/?per_page=100", nil, admin).expect(t, http.StatusOK).decode(t, &all)
			for _, key := range []string{"title", "title_desc", "addedby", "addedby_desc", "assigned", "assigned_desc",
				"department_category", "department_category_desc"} {
				got := tkGetList(t, env, admin, "/flicket-api/tickets/?per_page=100&sort="+key).ids()
				if want := tkNameOrder(all.Items, key); !slices.Equal(got, want) {
					t.Errorf("%s: sort=%s gives %v, want %v", step, key, got, want)
				}
			}
		}
		check("created")
		// The accents and letter case are ignored: "Eclair outage" and
		// "Éclair outage" tie (by id), after "eclair backup".
		got := tkGetList(t, env, admin, "/flicket-api/tickets/?per_page=100&sort=title").ids()
		if want := []int64{ids[3], ids[4], ids[1], ids[0], ids[5], ids[6], ids[2]}; !slices.Equal(got, want) {
			t.Errorf("sort=title gives %v, want %v", got, want)
		}

		env.call(http.MethodPatch, "/flicket-api/user/"+itoa(users[4].ID), map[string]any{"name": "Aaron First"}, admin).expect(t, http.StatusOK)
		check("user renamed")
		env.call(http.MethodPatch, "/flicket-api/department/3", map[string]any{"department": "Aardvark"}, admin).expect(t, http.StatusOK)
		check("department renamed")
		env.call(http.MethodPatch, "/flicket-api/category/5", map[string]any{"category": "Zz last"}, admin).expect(t, http.StatusOK)
		check("category renamed")
		env.call(http.MethodPatch, "/flicket-api/category/5", map[string]any{"department_id": 3}, admin).expect(t, http.StatusOK)
		check("category moved")
		// The moved category's tickets are found under their new department.
		inIT := tkGetList(t, env, admin, "/flicket-api/tickets/?per_page=100&department=3").ids()
		if !slices.Contains(inIT, ids[2]) {
			t.Errorf("department=3 after the move: %v lacks %d", inIT, ids[2])
		}
		env.call(http.MethodPatch, "/flicket-api/ticket/"+itoa(ids[2]), map[string]any{"title": "Aardvark first"}, env.as(users[2])).expect(t, http.StatusOK)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(ids[0])+"/category", map[string]any{"category_id": 9}, admin).expect(t, http.StatusOK)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(ids[2])+"/release", nil, admin).expect(t, http.StatusOK)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(ids[3])+"/claim", nil, env.as(users[1])).expect(t, http.StatusOK)
		check("tickets changed")
		env.call(http.MethodDelete, "/flicket-api/user/"+itoa(users[2].ID), nil, admin).expect(t, http.StatusNoContent)
		check("user deleted")
	})
}

package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// tkStats is Stats as a test reads it (model.Hours only marshals).
type tkStats struct {
	Departments      []DepartmentStats `json:"departments"`
	HighPriorityOpen []map[string]any  `json:"high_priority_open"`
	Statuses         []StatusRef       `json:"statuses"`
}

func TestStats(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil, testutil.WithName("James Smith"))
		as := env.as(james)

		t.Run("empty: every department and status, all zero", func(t *testing.T) {
			var s tkStats
			env.call(http.MethodGet, "/flicket-api/stats", nil, as).expect(t, http.StatusOK).decode(t, &s)
			if len(s.Departments) != 6 || len(s.Statuses) != 4 || len(s.HighPriorityOpen) != 0 {
				t.Fatalf("stats = %+v", s)
			}
			// Departments by name, statuses by id.
			if s.Departments[0].Department != "Commercial" || s.Departments[5].Department != "Quality" {
				t.Errorf("departments = %+v", s.Departments)
			}
			for _, d := range s.Departments {
				if len(d.Statuses) != 4 || d.Total != 0 || d.Statuses[0].Status != "Open" || d.Statuses[3].StatusID != 4 {
					t.Errorf("department = %+v", d)
				}
			}
		})

		// IT (3): Internet 9, Intranet 10; Design (1): Dataset 1.
		a := tkCreate(t, env, james, map[string]any{"category_id": 9, "ticket_priority_id": 3, "title": "High one"})
		env.clock.Advance(time.Minute)
		b := tkCreate(t, env, james, map[string]any{"category_id": 10, "ticket_priority_id": 3, "title": "High two"})
		c := tkCreate(t, env, james, map[string]any{"category_id": 10, "ticket_priority_id": 3})
		d := tkCreate(t, env, james, map[string]any{"category_id": 1, "ticket_priority_id": 1})
		tkCreate(t, env, james, map[string]any{"category_id": 1, "ticket_priority_id": 2})
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(c)+"/claim", nil, as).expect(t, http.StatusOK)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(d)+"/close", nil, as).expect(t, http.StatusOK)
		tkPost(t, env, b, james, "reply", 150)

		t.Run("counts by department and status, and open high-priority tickets", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/stats", nil, as).expect(t, http.StatusOK)
			var s tkStats
			r.decode(t, &s)
			byName := map[string]DepartmentStats{}
			for _, d := range s.Departments {
				byName[d.Department] = d
			}
			counts := func(name string) []int64 {
				var out []int64
				for _, sc := range byName[name].Statuses {
					out = append(out, sc.Count)
				}
				return out
			}
			if got := counts("IT"); len(got) != 4 || got[0] != 2 || got[1] != 0 || got[2] != 1 || got[3] != 0 || byName["IT"].Total != 3 {
				t.Errorf("IT = %+v", byName["IT"])
			}
			if got := counts("Design"); got[0] != 1 || got[1] != 1 || byName["Design"].Total != 2 {
				t.Errorf("Design = %+v", byName["Design"])
			}
			if byName["Quality"].Total != 0 || byName["IT"].DepartmentID != 3 {
				t.Errorf("departments = %+v", s.Departments)
			}
			var raw struct {
				HighPriorityOpen []map[string]any `json:"high_priority_open"`
			}
			r.decode(t, &raw)
			if len(raw.HighPriorityOpen) != 2 {
				t.Fatalf("high = %v", raw.HighPriorityOpen)
			}
			h := raw.HighPriorityOpen[0]
			if h["id"] != float64(a) || raw.HighPriorityOpen[1]["id"] != float64(b) {
				t.Errorf("high ids = %v, %v", h["id"], raw.HighPriorityOpen[1]["id"])
			}
			want := []string{"assigned_to", "category", "date_added", "department", "id", "last_updated", "links",
				"num_replies", "number", "priority", "started_by", "status", "title", "total_hours"}
			if got := tkKeys(h); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("summary keys %v, want %v", got, want)
			}
			if h["number"] != model.TicketNumber(a) || h["department"] != "IT" || h["category"] != "Internet" ||
				h["priority"] != "high" || h["status"] != "Open" || h["links"].(map[string]any)["self"] != testBase+"/ticket/"+itoa(a) {
				t.Errorf("summary = %v", h)
			}
			if s := raw.HighPriorityOpen[1]; s["num_replies"] != 1.0 || s["total_hours"] != 1.5 || s["started_by"].(map[string]any)["name"] != "James Smith" {
				t.Errorf("summary b = %v", s)
			}
		})

		t.Run("counts follow a deletion and a new department", func(t *testing.T) {
			env.call(http.MethodDelete, "/flicket-api/ticket/"+itoa(a), nil, env.as(env.admin)).expect(t, http.StatusNoContent)
			testutil.Must(t, env.db.Create(&model.Department{Department: "Legal"}).Error)
			var s tkStats
			env.call(http.MethodGet, "/flicket-api/stats", nil, as).expect(t, http.StatusOK).decode(t, &s)
			if len(s.Departments) != 7 || len(s.HighPriorityOpen) != 1 {
				t.Fatalf("stats = %+v", s)
			}
			for _, d := range s.Departments {
				if d.Department == "IT" && (d.Total != 2 || d.Statuses[0].Count != 1) {
					t.Errorf("IT after delete = %+v", d)
				}
				if d.Department == "Legal" && (d.Total != 0 || len(d.Statuses) != 4) {
					t.Errorf("Legal = %+v", d)
				}
			}
		})

		t.Run("401 without a token", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/stats", nil).expect(t, http.StatusUnauthorized)
		})
	})
}

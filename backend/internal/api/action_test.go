package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestActions(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil, testutil.WithName("James Smith"))
		mary := testutil.NewUser(t, env.db, "mary", nil, testutil.WithName("Mary Adams"))
		asJames := env.as(james)
		id := tkCreate(t, env, james, nil)
		tid := itoa(id)

		t.Run("a ticket without actions: the original's empty page", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/actions/"+tid, nil, asJames).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "_links": {"next": null, "prev": null, "self": "`+testBase+`/actions/`+tid+`?page=1&per_page=50"},
			 "_meta": {"page": 1, "per_page": 50, "total_items": 0, "total_pages": 0},
			 "items": []}`)
		})

		// assign (recipient), status (data), claim (no data), close.
		replyID := tkPost(t, env, id, mary, "a reply", 0)
		env.clock.Advance(time.Minute)
		env.call(http.MethodPost, "/flicket-api/ticket/"+tid+"/assign", map[string]any{"user_id": mary.ID}, asJames).expect(t, http.StatusOK)
		env.clock.Advance(time.Minute)
		env.call(http.MethodPost, "/flicket-api/ticket/"+tid+"/status", map[string]any{"status_id": 4}, asJames).expect(t, http.StatusOK)
		env.clock.Advance(time.Minute)
		env.call(http.MethodPost, "/flicket-api/ticket/"+tid+"/claim", nil, asJames).expect(t, http.StatusOK)
		env.clock.Advance(time.Minute)
		env.call(http.MethodPost, "/flicket-api/ticket/"+tid+"/close", nil, asJames).expect(t, http.StatusOK)
		// A row dated before the others (an import): listed first despite its id.
		early := &model.Action{TicketID: id, Action: "open", DateAdded: env.clock.Now().Add(-time.Hour)}
		testutil.Must(t, model.RecordAction(context.Background(), env.db, early, map[string]any{"note": "migrated"}))
		acts := tkActions(t, env, id)

		t.Run("one action in the original's shape plus users", func(t *testing.T) {
			assign := acts[0]
			r := env.call(http.MethodGet, "/flicket-api/action/"+itoa(assign.ID), nil, asJames).expect(t, http.StatusOK)
			date, _ := apiTime(assign.DateAdded).MarshalJSON()
			assertJSON(t, r.Body, `{
			 "action": "assign", "data": null, "date": `+string(date)+`, "id": `+itoa(assign.ID)+`,
			 "links": {"actions": "`+testBase+`/actions/`+tid+`", "self": "`+testBase+`/action/`+itoa(assign.ID)+`"},
			 "post_id": `+itoa(replyID)+`,
			 "recipient": {"id": `+itoa(mary.ID)+`, "name": "Mary Adams", "username": "mary"},
			 "recipient_id": `+itoa(mary.ID)+`, "ticket_id": `+tid+`,
			 "user": {"id": `+itoa(james.ID)+`, "name": "James Smith", "username": "james"},
			 "user_id": `+itoa(james.ID)+`}`)
			m := env.call(http.MethodGet, "/flicket-api/action/"+itoa(acts[1].ID), nil, asJames).expect(t, http.StatusOK).object(t)
			if d, _ := m["data"].(map[string]any); d["status"] != "Awaiting Information" || d["status_id"] != 4.0 {
				t.Errorf("status data = %v", m["data"])
			}
			if m["recipient"] != nil || m["recipient_id"] != nil {
				t.Errorf("status action recipient = %v", m["recipient"])
			}
		})

		t.Run("list: by date then id, paged by query", func(t *testing.T) {
			var e struct {
				Links Links            `json:"_links"`
				Meta  Meta             `json:"_meta"`
				Items []map[string]any `json:"items"`
			}
			env.call(http.MethodGet, "/flicket-api/actions/"+tid, nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			var kinds []string
			for _, it := range e.Items {
				kinds = append(kinds, it["action"].(string))
			}
			if strings.Join(kinds, ",") != "open,assign,status,claim,close" {
				t.Errorf("order = %v", kinds)
			}
			if d := e.Items[0]["data"].(map[string]any); d["note"] != "migrated" {
				t.Errorf("data = %v", e.Items[0]["data"])
			}
			env.call(http.MethodGet, "/flicket-api/actions/"+tid+"?page=2&per_page=2", nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta != (Meta{Page: 2, PerPage: 2, TotalItems: 5, TotalPages: 3}) || len(e.Items) != 2 || e.Items[0]["action"] != "status" {
				t.Errorf("page 2 = %+v %v", e.Meta, e.Items)
			}
			if e.Links.Self != testBase+"/actions/"+tid+"?page=2&per_page=2" ||
				*e.Links.Next != testBase+"/actions/"+tid+"?page=3&per_page=2" || *e.Links.Prev != testBase+"/actions/"+tid+"?page=1&per_page=2" {
				t.Errorf("links = %s %s %s", e.Links.Self, *e.Links.Next, *e.Links.Prev)
			}
			env.call(http.MethodGet, "/flicket-api/actions/"+tid+"?page=9", nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			if len(e.Items) != 0 || e.Meta.TotalItems != 5 {
				t.Errorf("past the end = %+v", e.Meta)
			}
		})

		t.Run("a deleted user is null", func(t *testing.T) {
			testutil.Must(t, env.db.Delete(&model.User{}, mary.ID).Error)
			m := env.call(http.MethodGet, "/flicket-api/action/"+itoa(acts[0].ID), nil, asJames).expect(t, http.StatusOK).object(t)
			if m["recipient"] != nil || m["recipient_id"] != nil {
				t.Errorf("recipient = %v / %v", m["recipient"], m["recipient_id"])
			}
		})

		t.Run("404 and 400", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/actions/999999", nil, asJames).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodGet, "/flicket-api/actions/abc", nil, asJames).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodGet, "/flicket-api/action/999999", nil, asJames).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodGet, "/flicket-api/actions/"+tid+"?page=x", nil, asJames).expectError(t, http.StatusBadRequest, "request.invalid_parameter")
			env.call(http.MethodGet, "/flicket-api/actions/"+tid, nil).expect(t, http.StatusUnauthorized)
		})
	})
}

package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/markdown"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestHistories(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		james := testutil.NewUser(t, env.db, "james", nil, testutil.WithName("James Smith"))
		asJames := env.as(james)

		t.Run("empty: the original's shape", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/histories/", nil, asJames).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "_links": {"next": null, "prev": null, "self": "`+testBase+`/histories/1/?per_page=50"},
			 "_meta": {"page": 1, "per_page": 50, "total_items": 0, "total_pages": 0},
			 "items": []}`)
			r = env.call(http.MethodGet, "/flicket-api/histories/?topic_id=1", nil, asJames).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "_links": {"next": null, "prev": null, "self": "`+testBase+`/histories/1/?per_page=50&topic_id=1"},
			 "_meta": {"page": 1, "per_page": 50, "total_items": 0, "total_pages": 0},
			 "items": []}`)
		})

		a := tkCreate(t, env, james, map[string]any{"content": "version *one*"})
		b := tkCreate(t, env, james, nil)
		for _, c := range []string{"version two", "version three"} {
			env.clock.Advance(time.Minute)
			env.call(http.MethodPatch, "/flicket-api/ticket/"+itoa(a), map[string]any{"content": c}, asJames).expect(t, http.StatusOK)
		}
		env.call(http.MethodPatch, "/flicket-api/ticket/"+itoa(b), map[string]any{"content": "b edited"}, asJames).expect(t, http.StatusOK)
		post := tkPost(t, env, a, james, "reply text", 0)
		testutil.Must(t, model.RecordHistory(context.Background(), env.db,
			&model.History{PostID: &post, OriginalContent: "old reply", UserID: &james.ID, DateModified: env.clock.Now()}))

		var hs []model.History
		testutil.Must(t, env.db.Order("id").Find(&hs).Error)

		t.Run("one row in the original's shape plus its author", func(t *testing.T) {
			h := hs[0]
			r := env.call(http.MethodGet, "/flicket-api/history/"+itoa(h.ID), nil, asJames).expect(t, http.StatusOK)
			date, _ := apiTime(h.DateModified).MarshalJSON()
			html := tkJSON(t, markdown.New().MustRender("version *one*"))
			assertJSON(t, r.Body, `{
			 "date_modified": `+string(date)+`, "id": `+itoa(h.ID)+`,
			 "links": {"histories": "`+testBase+`/histories/", "post": null, "self": "`+testBase+`/history/`+itoa(h.ID)+`",
			           "ticket": "`+testBase+`/ticket/`+itoa(a)+`", "user": "`+testBase+`/user/`+itoa(james.ID)+`"},
			 "original_content": "version *one*", "original_content_html": `+string(html)+`,
			 "post_id": null, "topic_id": `+itoa(a)+`,
			 "user": {"id": `+itoa(james.ID)+`, "name": "James Smith", "username": "james"},
			 "user_id": `+itoa(james.ID)+`}`)
			m := env.call(http.MethodGet, "/flicket-api/history/"+itoa(hs[3].ID), nil, asJames).expect(t, http.StatusOK).object(t)
			l := m["links"].(map[string]any)
			if m["post_id"] != float64(post) || m["topic_id"] != nil || l["post"] != testBase+"/post/"+itoa(post) || l["ticket"] != nil {
				t.Errorf("reply history = %v", m)
			}
		})

		t.Run("filters, kept in path-paged links", func(t *testing.T) {
			var e Envelope[History]
			env.call(http.MethodGet, "/flicket-api/histories/", nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta.TotalItems != 4 {
				t.Errorf("all = %+v", e.Meta)
			}
			env.call(http.MethodGet, "/flicket-api/histories/?topic_id="+itoa(a), nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta.TotalItems != 2 || e.Items[0].OriginalContent != "version *one*" || e.Items[1].OriginalContent != "version two" {
				t.Errorf("topic %d = %+v", a, e.Items)
			}
			env.call(http.MethodGet, "/flicket-api/histories/?post_id="+itoa(post), nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta.TotalItems != 1 || e.Items[0].OriginalContent != "old reply" {
				t.Errorf("post = %+v", e.Items)
			}
			env.call(http.MethodGet, "/flicket-api/histories/?post_id="+itoa(post)+"&topic_id="+itoa(a), nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta.TotalItems != 0 {
				t.Errorf("both filters = %+v", e.Items)
			}
			if e.Links.Self != testBase+"/histories/1/?per_page=50&post_id="+itoa(post)+"&topic_id="+itoa(a) {
				t.Errorf("self = %s", e.Links.Self)
			}
			env.call(http.MethodGet, "/flicket-api/histories/2/?per_page=1&topic_id="+itoa(a), nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta != (Meta{Page: 2, PerPage: 1, TotalItems: 2, TotalPages: 2}) || e.Items[0].OriginalContent != "version two" ||
				e.Links.Next != nil || *e.Links.Prev != testBase+"/histories/1/?per_page=1&topic_id="+itoa(a) {
				t.Errorf("page 2 = %+v %+v", e.Meta, e.Links)
			}
			env.call(http.MethodGet, "/flicket-api/histories/?topic_id=999999", nil, asJames).expect(t, http.StatusOK).decode(t, &e)
			if e.Meta.TotalItems != 0 {
				t.Errorf("unknown topic = %+v", e.Meta)
			}
		})

		t.Run("404 and 400", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/history/999999", nil, asJames).expectError(t, http.StatusNotFound, "not_found")
			for _, q := range []string{"topic_id=abc", "post_id=0", "topic_id=-2"} {
				env.call(http.MethodGet, "/flicket-api/histories/?"+q, nil, asJames).expectError(t, http.StatusBadRequest, "request.invalid_parameter")
			}
			env.call(http.MethodGet, "/flicket-api/histories/", nil).expect(t, http.StatusUnauthorized)
		})
	})
}

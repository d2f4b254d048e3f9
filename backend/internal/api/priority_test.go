package api

import (
	"net/http"
	"testing"

	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestPriorities(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(env.admin)

		t.Run("list with the page in the path, as documented", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/priorities/", nil, as).expect(t, http.StatusOK)
			want := `{
			 "_links": {"next": null, "prev": null, "self": "` + testBase + `/priorities/1/?per_page=50"},
			 "_meta": {"page": 1, "per_page": 50, "total_items": 3, "total_pages": 1},
			 "items": [
			  {"id": 1, "links": {"priorities": "` + testBase + `/priorities/", "self": "` + testBase + `/priority/1"}, "priority": "low"},
			  {"id": 2, "links": {"priorities": "` + testBase + `/priorities/", "self": "` + testBase + `/priority/2"}, "priority": "medium"},
			  {"id": 3, "links": {"priorities": "` + testBase + `/priorities/", "self": "` + testBase + `/priority/3"}, "priority": "high"}
			 ]}`
			assertJSON(t, r.Body, want)
		})

		t.Run("page from the path", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/priorities/2/?per_page=1", nil, as).expect(t, http.StatusOK)
			var e Envelope[Priority]
			r.decode(t, &e)
			if len(e.Items) != 1 || e.Items[0].Priority != "medium" {
				t.Fatalf("items = %+v", e.Items)
			}
			if e.Links.Self != testBase+"/priorities/2/?per_page=1" ||
				e.Links.Next == nil || *e.Links.Next != testBase+"/priorities/3/?per_page=1" ||
				e.Links.Prev == nil || *e.Links.Prev != testBase+"/priorities/1/?per_page=1" {
				t.Errorf("links = self %s next %v prev %v", e.Links.Self, e.Links.Next, e.Links.Prev)
			}
		})

		t.Run("one priority and a missing one", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/priority/3", nil, as).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{"id": 3, "links": {"priorities": "`+testBase+`/priorities/", "self": "`+testBase+`/priority/3"}, "priority": "high"}`)
			env.call(http.MethodGet, "/flicket-api/priority/4", nil, as).expectError(t, http.StatusNotFound, "not_found")
		})
	})
}

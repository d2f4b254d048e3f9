package api

import (
	"net/http"
	"testing"

	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestStatuses(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		as := env.as(env.admin)

		t.Run("list in the documented shape", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/statuses/", nil, as).expect(t, http.StatusOK)
			want := `{
			 "_links": {"next": null, "prev": null, "self": "` + testBase + `/statuses/?page=1&per_page=50"},
			 "_meta": {"page": 1, "per_page": 50, "total_items": 4, "total_pages": 1},
			 "items": [
			  {"id": 1, "links": {"self": "` + testBase + `/status/1", "statuses": "` + testBase + `/statuses/"}, "status": "Open"},
			  {"id": 2, "links": {"self": "` + testBase + `/status/2", "statuses": "` + testBase + `/statuses/"}, "status": "Closed"},
			  {"id": 3, "links": {"self": "` + testBase + `/status/3", "statuses": "` + testBase + `/statuses/"}, "status": "In Work"},
			  {"id": 4, "links": {"self": "` + testBase + `/status/4", "statuses": "` + testBase + `/statuses/"}, "status": "Awaiting Information"}
			 ]}`
			assertJSON(t, r.Body, want)
		})

		t.Run("one status", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/status/1", nil, as).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{"id": 1, "links": {"self": "`+testBase+`/status/1", "statuses": "`+testBase+`/statuses/"}, "status": "Open"}`)
		})

		t.Run("paging", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/statuses/?page=2&per_page=3", nil, as).expect(t, http.StatusOK)
			var env2 Envelope[Status]
			r.decode(t, &env2)
			if len(env2.Items) != 1 || env2.Items[0].ID != 4 {
				t.Fatalf("page 2 of 3 = %+v", env2.Items)
			}
			if env2.Links.Prev == nil || *env2.Links.Prev != testBase+"/statuses/?page=1&per_page=3" || env2.Links.Next != nil {
				t.Errorf("links = %+v", env2.Links)
			}
		})

		t.Run("not found and bad ids", func(t *testing.T) {
			for _, path := range []string{"/flicket-api/status/99", "/flicket-api/status/0", "/flicket-api/status/abc",
				"/flicket-api/status/99999999999999999999999", "/flicket-api/status/-1"} {
				env.call(http.MethodGet, path, nil, as).expectError(t, http.StatusNotFound, "not_found")
			}
		})

		t.Run("needs a token", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/statuses/", nil).expectError(t, http.StatusUnauthorized, "auth.token_missing")
			env.call(http.MethodGet, "/flicket-api/status/1", nil).expectError(t, http.StatusUnauthorized, "auth.token_missing")
		})
	})
}

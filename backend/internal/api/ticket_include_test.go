package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// rawObject decodes a JSON object keeping each member's bytes.
func rawObject(t *testing.T, r *response) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	r.decode(t, &m)
	return m
}

// sameJSON fails unless two JSON documents hold the same values.
func sameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	testutil.Must(t, json.Unmarshal(got, &g))
	testutil.Must(t, json.Unmarshal(want, &w))
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s differs from its endpoint's answer:\n got %s\nwant %s", what, got, want)
	}
}

func TestTicketInclude(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil)
		asAlice, asBob, asAdmin := env.as(alice), env.as(bob), env.as(env.admin)
		tk := tkCreate(t, env, alice, nil)
		other := tkCreate(t, env, alice, nil)
		otherReply := tkPost(t, env, other, alice, "A reply elsewhere.", 0)
		// Five replies, two of them in the same instant (ordered by id).
		var replies []int64
		for i, who := range []*model.User{alice, bob, alice, bob, alice} {
			if i != 3 {
				env.clock.Advance(time.Minute)
			}
			replies = append(replies, tkPost(t, env, tk, who, "Reply number "+itoa(int64(i+1)), 0))
		}
		env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk, "user_id": env.admin.ID}, asAlice).expect(t, http.StatusCreated)
		env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk)}, testFile{"file", "notes.txt", []byte("notes\n")}).expect(t, http.StatusCreated)
		path := "/flicket-api/ticket/" + itoa(tk)

		t.Run("without include, or an empty one, the answer is the ticket alone", func(t *testing.T) {
			plain := env.call(http.MethodGet, path, nil, asBob).expect(t, http.StatusOK)
			for _, q := range []string{"?include=", "?page=x&post=y&per_page=z"} {
				r := env.call(http.MethodGet, path+q, nil, asBob).expect(t, http.StatusOK)
				sameJSON(t, q, r.Body, plain.Body)
			}
		})

		t.Run("each part equals its own endpoint's answer, for each caller", func(t *testing.T) {
			for name, as := range map[string]reqOpt{"creator": asAlice, "other": asBob, "admin": asAdmin} {
				got := rawObject(t, env.call(http.MethodGet, path+"?include=posts,actions,subscribers,uploads,seen", nil, as).expect(t, http.StatusOK))
				ticket := rawObject(t, env.call(http.MethodGet, path, nil, as).expect(t, http.StatusOK))
				for k, v := range ticket {
					sameJSON(t, name+" field "+k, got[k], v)
				}
				if len(got) != len(ticket)+5 {
					t.Errorf("%s: %d members, want the ticket's %d and 5 parts", name, len(got), len(ticket))
				}
				for part, endpoint := range map[string]string{
					"posts":       "/flicket-api/posts/" + itoa(tk) + "/1/",
					"actions":     "/flicket-api/actions/" + itoa(tk) + "?per_page=100",
					"subscribers": "/flicket-api/subscriptions/" + itoa(tk) + "/?per_page=100",
					"uploads":     "/flicket-api/uploads/?ticket_id=" + itoa(tk) + "&per_page=100",
				} {
					want := env.call(http.MethodGet, endpoint, nil, as).expect(t, http.StatusOK)
					sameJSON(t, name+" "+part, got[part], want.Body)
				}
			}
		})

		t.Run("only the parts asked for; include may repeat", func(t *testing.T) {
			got := rawObject(t, env.call(http.MethodGet, path+"?include=actions&include=seen,actions", nil, asBob).expect(t, http.StatusOK))
			for part, want := range map[string]bool{"actions": true, "seen": true, "posts": false, "subscribers": false, "uploads": false} {
				if _, ok := got[part]; ok != want {
					t.Errorf("part %s present = %v, want %v", part, ok, want)
				}
			}
		})

		t.Run("unknown include values and bad paging are 400s naming the field", func(t *testing.T) {
			for q, field := range map[string]string{
				"?include=posts,comments":           "include",
				"?include=POSTS":                    "include",
				"?include=posts&post=abc":           "post",
				"?include=posts&post=0":             "post",
				"?include=posts&page=0":             "page",
				"?include=posts&per_page=x":         "per_page",
				"?include=actions&include=everyone": "include",
			} {
				body := env.call(http.MethodGet, path+q, nil, asBob).expectError(t, http.StatusBadRequest, "request.invalid_parameter")
				if len(body.Errors) != 1 || body.Errors[0].Field != field {
					t.Errorf("%s: errors = %+v, want one on %s", q, body.Errors, field)
				}
			}
			body := env.call(http.MethodGet, path+"?include=everything", nil, asBob).expectError(t, http.StatusBadRequest, "request.invalid_parameter")
			if body.Errors[0].Code != "oneof" || !reflect.DeepEqual(body.Errors[0].Params["values"], []any{"posts", "actions", "subscribers", "uploads", "seen"}) {
				t.Errorf("include error = %+v", body.Errors[0])
			}
		})

		t.Run("needs a token; an unknown ticket is a 404", func(t *testing.T) {
			env.call(http.MethodGet, path+"?include=posts", nil).expectError(t, http.StatusUnauthorized, "")
			env.call(http.MethodGet, "/flicket-api/ticket/99999999?include=posts,seen", nil, asBob).expectError(t, http.StatusNotFound, "not_found")
		})

		t.Run("post picks the page holding that reply; else page", func(t *testing.T) {
			for _, c := range []struct {
				name, query string
				page        int
			}{
				{"first reply", "&post=" + itoa(replies[0]), 1},
				{"fourth reply, same instant as the third", "&post=" + itoa(replies[3]), 2},
				{"fifth reply", "&post=" + itoa(replies[4]), 3},
				{"a reply of another ticket falls back to page", "&page=2&post=" + itoa(otherReply), 2},
				{"no post", "&page=3", 3},
				{"past the end", "&page=9", 9},
			} {
				got := rawObject(t, env.call(http.MethodGet, path+"?include=posts&per_page=2"+c.query, nil, asBob).expect(t, http.StatusOK))
				want := env.call(http.MethodGet, "/flicket-api/posts/"+itoa(tk)+"/"+itoa(int64(c.page))+"/?per_page=2", nil, asBob).expect(t, http.StatusOK)
				sameJSON(t, c.name, got["posts"], want.Body)
			}
		})

		t.Run("seen and post=unread read the mark without moving it", func(t *testing.T) {
			dave := testutil.NewUser(t, env.db, "dave", nil)
			asDave := env.as(dave)
			var seen TicketSeenState
			get := func(as reqOpt) (TicketSeenState, Envelope[Post]) {
				var out struct {
					Seen  TicketSeenState `json:"seen"`
					Posts Envelope[Post]  `json:"posts"`
				}
				env.call(http.MethodGet, path+"?include=seen,posts&post=unread&per_page=2", nil, as).expect(t, http.StatusOK).decode(t, &out)
				return out.Seen, out.Posts
			}
			// Never opened: nothing counted as new, the first page.
			seen, page := get(asDave)
			if seen.SeenAt != nil || seen.LastSeenPostID != nil || seen.NewReplies != 0 || seen.FirstUnreadPostID != nil || page.Meta.Page != 1 {
				t.Errorf("first visit: seen %+v, page %d", seen, page.Meta.Page)
			}
			// Dave reads up to the second reply; the three after are new.
			env.call(http.MethodPut, path+"/seen", map[string]any{"post_id": replies[1]}, asDave).expect(t, http.StatusOK)
			for range 2 { // twice: a GET does not move the mark
				seen, page = get(asDave)
				if seen.SeenAt == nil || seen.LastSeenPostID == nil || *seen.LastSeenPostID != replies[1] ||
					seen.NewReplies != 3 || seen.FirstUnreadPostID == nil || *seen.FirstUnreadPostID != replies[2] {
					t.Errorf("after a mark: seen %+v", seen)
				}
				if page.Meta.Page != 2 || page.Items[0].ID != replies[2] {
					t.Errorf("unread page = %d, first item %d; want 2 starting at %d", page.Meta.Page, page.Items[0].ID, replies[2])
				}
			}
			// What the PUT then answers is what the GET said.
			var put TicketSeen
			env.call(http.MethodPut, path+"/seen", nil, asDave).expect(t, http.StatusOK).decode(t, &put)
			if put.NewReplies != seen.NewReplies || !reflect.DeepEqual(put.FirstUnreadPostID, seen.FirstUnreadPostID) {
				t.Errorf("PUT said %+v, GET said %+v", put, seen)
			}
			// Nothing unread now: post=unread falls back to page (1).
			seen, page = get(asDave)
			if seen.NewReplies != 0 || seen.FirstUnreadPostID != nil || page.Meta.Page != 1 {
				t.Errorf("after reading all: seen %+v, page %d", seen, page.Meta.Page)
			}
		})

		t.Run("statements do not grow with replies, subscribers, actions or uploads", func(t *testing.T) {
			// Some replies unread, so that every statement runs both times.
			env.call(http.MethodPut, path+"/seen", map[string]any{"post_id": replies[1]}, asBob).expect(t, http.StatusOK)
			q := countQueries(t, env.db)
			all := path + "?include=posts,actions,subscribers,uploads,seen&post=unread"
			before := q.during(func() { env.call(http.MethodGet, all, nil, asBob).expect(t, http.StatusOK) })
			for i := range 4 {
				env.clock.Advance(time.Minute)
				tkPost(t, env, tk, alice, "More "+itoa(int64(i)), 0)
			}
			carol := testutil.NewUser(t, env.db, "carol", nil)
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": tk, "user_id": carol.ID}, asAlice).expect(t, http.StatusCreated)
			env.upload(t, asAlice, map[string]string{"ticket_id": itoa(tk)}, testFile{"file", "more.txt", []byte("more\n")}).expect(t, http.StatusCreated)
			after := q.during(func() { env.call(http.MethodGet, all, nil, asBob).expect(t, http.StatusOK) })
			if after != before {
				t.Errorf("%d statements before, %d after adding rows", before, after)
			}
			t.Logf("%s: GET with every part: %d statements (settings read each time, token check included)", tdb.Dialect, after)
		})
	})
}

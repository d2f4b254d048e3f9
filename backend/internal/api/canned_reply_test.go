package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestCannedReplies(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		ann := testutil.NewUser(t, env.db, "ann", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil)
		asAnn, asBob, asAdmin := env.as(ann), env.as(bob), env.as(env.admin)
		const base = "/flicket-api/me/canned-replies"
		create := func(as reqOpt, body map[string]any) CannedReply {
			t.Helper()
			var v CannedReply
			r := env.call(http.MethodPost, base, body, as).expect(t, http.StatusCreated)
			r.decode(t, &v)
			if r.Header.Get("Location") != testBase+"/me/canned-replies/"+itoa(v.ID) || v.Links.Self != r.Header.Get("Location") {
				t.Errorf("Location = %q, self = %q", r.Header.Get("Location"), v.Links.Self)
			}
			return v
		}
		list := func(as reqOpt) []CannedReply {
			t.Helper()
			var l CannedReplyList
			env.call(http.MethodGet, base, nil, as).expect(t, http.StatusOK).decode(t, &l)
			return l.Items
		}
		titles := func(rs []CannedReply) string {
			out := make([]string, len(rs))
			for i, r := range rs {
				out[i] = r.Title
			}
			return strings.Join(out, "|")
		}

		t.Run("needs a token", func(t *testing.T) {
			env.call(http.MethodGet, base, nil).expectError(t, http.StatusUnauthorized, "")
			env.call(http.MethodPost, base, map[string]any{"title": "x", "content": "y"}).expectError(t, http.StatusUnauthorized, "")
			env.call(http.MethodPatch, base+"/1", map[string]any{"title": "x"}).expectError(t, http.StatusUnauthorized, "")
			env.call(http.MethodDelete, base+"/1", nil).expectError(t, http.StatusUnauthorized, "")
		})

		var mine, shared CannedReply
		t.Run("a private reply: only its owner sees it", func(t *testing.T) {
			mine = create(asAnn, map[string]any{"title": "  Thanks ", "content": "Thanks,\n\nAnn\n"})
			if mine.Title != "Thanks" || mine.Content != "Thanks,\n\nAnn\n" || mine.Shared || !mine.Can.Edit {
				t.Errorf("reply = %+v", mine)
			}
			if got := list(asAnn); titles(got) != "Thanks" {
				t.Errorf("ann's replies = %+v", got)
			}
			if got := list(asBob); len(got) != 0 {
				t.Errorf("bob sees %+v", got)
			}
			env.call(http.MethodGet, base+"/"+itoa(mine.ID), nil, asBob).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodPatch, base+"/"+itoa(mine.ID), map[string]any{"title": "Mine now"}, asBob).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodDelete, base+"/"+itoa(mine.ID), nil, asBob).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodDelete, base+"/999999", nil, asAnn).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodGet, base+"/"+itoa(mine.ID), nil, asAnn).expect(t, http.StatusOK)
		})

		t.Run("only administrators share; everyone sees shared ones, by title; only administrators change them", func(t *testing.T) {
			env.call(http.MethodPost, base, map[string]any{"title": "Everyone", "content": "Hi all", "shared": true}, asAnn).
				expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodPatch, base+"/"+itoa(mine.ID), map[string]any{"shared": true}, asAnn).
				expectError(t, http.StatusForbidden, "forbidden")
			shared = create(asAdmin, map[string]any{"title": "Apologies", "content": "Sorry for the wait.", "shared": true})
			got := list(asBob)
			if len(got) != 1 || got[0].ID != shared.ID || !got[0].Shared || got[0].Can.Edit {
				t.Errorf("bob's replies = %+v", got)
			}
			create(asAnn, map[string]any{"title": "Zebra", "content": "z"})
			if got := list(asAnn); titles(got) != "Apologies|Thanks|Zebra" || got[0].Can.Edit || !got[1].Can.Edit {
				t.Errorf("ann's replies (by title) = %+v", got)
			}
			if got := list(asAdmin); titles(got) != "Apologies" || !got[0].Can.Edit {
				t.Errorf("admin's replies = %+v", got)
			}
			env.call(http.MethodPatch, base+"/"+itoa(shared.ID), map[string]any{"title": "Hijack"}, asBob).
				expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodDelete, base+"/"+itoa(shared.ID), nil, asBob).expectError(t, http.StatusForbidden, "forbidden")
			var v CannedReply
			env.call(http.MethodPatch, base+"/"+itoa(shared.ID), map[string]any{"content": "Sorry for the long wait."}, asAdmin).
				expect(t, http.StatusOK).decode(t, &v)
			if v.Content != "Sorry for the long wait." || v.Title != "Apologies" || !v.Shared {
				t.Errorf("updated shared = %+v", v)
			}
			env.call(http.MethodPatch, base+"/"+itoa(mine.ID), map[string]any{"title": "Thank you", "content": "Thank you!"}, asAnn).
				expect(t, http.StatusOK).decode(t, &v)
			if v.Title != "Thank you" || v.Content != "Thank you!" || v.Shared {
				t.Errorf("updated mine = %+v", v)
			}
		})

		t.Run("validation names the field", func(t *testing.T) {
			post := func(body map[string]any) *response {
				return env.call(http.MethodPost, base, body, asAnn)
			}
			post(map[string]any{"content": "x"}).expectField(t, "title", "required")
			post(map[string]any{"title": "   ", "content": "x"}).expectField(t, "title", "required")
			post(map[string]any{"title": strings.Repeat("t", 101), "content": "x"}).expectField(t, "title", "max")
			post(map[string]any{"title": "x"}).expectField(t, "content", "required")
			post(map[string]any{"title": "x", "content": " \n\t "}).expectField(t, "content", "nonblank")
			post(map[string]any{"title": "x", "content": strings.Repeat("é", 10001)}).expectField(t, "content", "max")
			post(map[string]any{"title": "x", "content": "y", "shared": "yes"}).expectField(t, "shared", "type")
			post(map[string]any{"title": 5, "content": "y"}).expectField(t, "title", "type")
			env.call(http.MethodPatch, base+"/"+itoa(mine.ID), map[string]any{"title": ""}, asAnn).expectField(t, "title", "nonblank")
			env.call(http.MethodPatch, base+"/"+itoa(mine.ID), map[string]any{"content": "  "}, asAnn).expectField(t, "content", "nonblank")
			env.call(http.MethodGet, base+"/abc", nil, asAnn).expectError(t, http.StatusNotFound, "not_found")
			// The limits hold at their edges (characters, not bytes).
			create(asAnn, map[string]any{"title": strings.Repeat("t", 100), "content": strings.Repeat("é", 10000)})
		})

		t.Run("duplicate titles", func(t *testing.T) {
			post := func(as reqOpt, body map[string]any) *response {
				return env.call(http.MethodPost, base, body, as)
			}
			post(asAnn, map[string]any{"title": "Zebra", "content": "again"}).expectError(t, http.StatusConflict, "canned_reply.duplicate")
			// A title a shared reply has is taken too (both show side by side).
			post(asAnn, map[string]any{"title": "Apologies", "content": "x"}).expectError(t, http.StatusConflict, "canned_reply.duplicate")
			post(asAdmin, map[string]any{"title": "Apologies", "content": "x", "shared": true}).expectError(t, http.StatusConflict, "canned_reply.duplicate")
			env.call(http.MethodPatch, base+"/"+itoa(mine.ID), map[string]any{"title": "Zebra"}, asAnn).expectError(t, http.StatusConflict, "canned_reply.duplicate")
			// Another user may use ann's private title.
			create(asBob, map[string]any{"title": "Zebra", "content": "bob's"})
		})

		t.Run("delete", func(t *testing.T) {
			env.call(http.MethodDelete, base+"/"+itoa(mine.ID), nil, asAnn).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, base+"/"+itoa(mine.ID), nil, asAnn).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodDelete, base+"/"+itoa(shared.ID), nil, asAdmin).expect(t, http.StatusNoContent)
			if got := list(asBob); titles(got) != "Zebra" {
				t.Errorf("bob's left = %+v", got)
			}
		})
	})
}

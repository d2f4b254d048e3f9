package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestMe(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		testutil.NewUser(t, env.db, "taken", nil)

		t.Run("GET /me shows my settings and no secrets", func(t *testing.T) {
			me := testutil.NewUser(t, env.db, "reader", []string{"helpdesk"}, testutil.WithLocale("fr"))
			r := env.call(http.MethodGet, "/flicket-api/me", nil, env.as(me)).expect(t, http.StatusOK)
			assertNoSecrets(t, r.Body)
			m := r.object(t)
			if m["id"] != float64(me.ID) || m["username"] != "reader" || m["locale"] != "fr" || m["disabled"] != false ||
				m["is_admin"] != false || m["email"] != "reader@example.com" {
				t.Errorf("me = %s", r.Body)
			}
			if groups, _ := m["groups"].([]any); len(groups) != 1 || groups[0] != "helpdesk" {
				t.Errorf("groups = %v", m["groups"])
			}
			links := m["links"].(map[string]any)
			if links["self"] != testBase+"/user/"+itoa(me.ID) {
				t.Errorf("links = %v", links)
			}
			env.call(http.MethodGet, "/flicket-api/me", nil).expectError(t, http.StatusUnauthorized, "auth.token_missing")
		})

		t.Run("change name, job title and locale; other fields are ignored", func(t *testing.T) {
			me := testutil.NewUser(t, env.db, "changer", nil)
			r := env.call(http.MethodPatch, "/flicket-api/me", map[string]any{
				"name": "  New Name ", "job_title": "Engineer", "locale": "fr",
				"username": "renamed", "groups": []string{model.AdminGroup}, "disabled": true,
				"id": 1, "total_posts": 500, "is_admin": true, "avatar": "x.png",
			}, env.as(me)).expect(t, http.StatusOK)
			assertNoSecrets(t, r.Body)
			var u User
			r.decode(t, &u)
			if u.ID != me.ID || u.Name != "New Name" || u.JobTitle != "Engineer" || *u.Locale != "fr" ||
				u.Username != "changer" || u.IsAdmin || *u.Disabled || len(u.Groups) != 0 || u.TotalPosts != 0 {
				t.Fatalf("after PATCH /me: %+v", u)
			}
			stored, err := model.FindUser(t.Context(), env.db, me.ID)
			testutil.Must(t, err)
			if stored.Name != "New Name" || stored.Username != "changer" || stored.IsAdmin || stored.Disabled || stored.Avatar != nil {
				t.Errorf("stored %+v", stored)
			}
			// A plain user stays out of admin routes.
			env.call(http.MethodGet, "/flicket-api/groups/", nil, env.as(me)).expectError(t, http.StatusForbidden, "forbidden")
		})

		t.Run("a new e-mail needs the current password", func(t *testing.T) {
			me := testutil.NewUser(t, env.db, "mover", nil)
			as := env.as(me)
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"email": "moved@example.com"}, as).
				expectField(t, "current_password", "required")
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"email": "moved@example.com", "current_password": "wrong-pass-1"}, as).
				expectField(t, "current_password", "mismatch")
			r := env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"email": "Moved@Example.COM", "current_password": testutil.Password}, as).
				expect(t, http.StatusOK)
			if r.object(t)["email"] != "moved@example.com" {
				t.Errorf("email = %s", r.Body)
			}
			// The same address in another letter case is no change.
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"email": "MOVED@example.com"}, as).expect(t, http.StatusOK)
		})

		t.Run("a taken e-mail is a 409, not a 500", func(t *testing.T) {
			me := testutil.NewUser(t, env.db, "copycat", nil)
			body := env.call(http.MethodPatch, "/flicket-api/me",
				map[string]any{"email": "TAKEN@example.com", "current_password": testutil.Password}, env.as(me)).
				expectError(t, http.StatusConflict, "user.email_taken")
			if body.Errors[0].Field != "email" {
				t.Errorf("errors = %+v", body.Errors)
			}
		})

		t.Run("a new password keeps this token and revokes the others", func(t *testing.T) {
			me := testutil.NewUser(t, env.db, "rotator", nil)
			current, other := env.tokenFor(me), env.tokenFor(me)
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"password": "fresh-passw0rd"}, withToken(current)).
				expectField(t, "current_password", "required")
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"password": "weakweakweak", "current_password": testutil.Password}, withToken(current)).
				expectField(t, "password", "weak")
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"password": "fresh-passw0rd", "current_password": "nope-nope-1"}, withToken(current)).
				expectField(t, "current_password", "mismatch")
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(other)).expect(t, http.StatusOK)

			r := env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"password": "fresh-passw0rd", "current_password": testutil.Password}, withToken(current)).
				expect(t, http.StatusOK)
			assertNoSecrets(t, r.Body)
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(current)).expect(t, http.StatusOK)
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(other)).expectError(t, http.StatusUnauthorized, "auth.token_revoked")
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("rotator", testutil.Password)).expect(t, http.StatusUnauthorized)
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("rotator", "fresh-passw0rd")).expect(t, http.StatusOK)
		})

		t.Run("422 per field", func(t *testing.T) {
			me := testutil.NewUser(t, env.db, "validator", nil)
			as := env.as(me)
			cases := []struct {
				field, code string
				body        map[string]any
			}{
				{"name", "min", map[string]any{"name": "Al"}},
				{"name", "max", map[string]any{"name": strings.Repeat("n", 61)}},
				{"email", "email", map[string]any{"email": "not-mail", "current_password": testutil.Password}},
				{"job_title", "max", map[string]any{"job_title": strings.Repeat("j", 65)}},
				{"locale", "oneof", map[string]any{"locale": "de"}},
				{"password", "min", map[string]any{"password": "a1", "current_password": testutil.Password}},
				{"password", "pwbytes", map[string]any{"password": strings.Repeat("é1", 25), "current_password": testutil.Password}},
				{"current_password", "type", map[string]any{"current_password": 5}},
			}
			for _, tc := range cases {
				env.call(http.MethodPatch, "/flicket-api/me", tc.body, as).expectField(t, tc.field, tc.code)
			}
			env.call(http.MethodPatch, "/flicket-api/me", `{"name":`, as).expectError(t, http.StatusBadRequest, "request.malformed_json")
		})

		t.Run("wrong current passwords are throttled", func(t *testing.T) {
			me := testutil.NewUser(t, env.db, "guesser", nil)
			as := env.as(me)
			for i := 0; i < 10; i++ {
				env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"password": "guess-passw0rd", "current_password": "guess-" + itoa(int64(i))}, as).
					expectField(t, "current_password", "mismatch")
			}
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"password": "guess-passw0rd", "current_password": testutil.Password}, as).
				expectError(t, http.StatusTooManyRequests, "request.rate_limited")
			env.clock.Advance(16 * time.Minute)
			// Tokens live 10 hours by default, so this one still works.
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"password": "guess-passw0rd", "current_password": testutil.Password}, as).
				expect(t, http.StatusOK)
		})
	})
}

package api

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// assertNoSecrets fails if a body shows a password or a hash.
func assertNoSecrets(t *testing.T, body []byte) {
	t.Helper()
	s := string(body)
	if strings.Contains(s, "$2a$") || strings.Contains(s, "$2b$") || strings.Contains(strings.ToLower(s), "password") {
		t.Fatalf("body leaks a password: %s", s)
	}
}

func validNewUser() map[string]any {
	return map[string]any{
		"username": "jane.doe", "name": "Jane Doe", "email": "Jane.Doe@Example.com",
		"password": "s3cret-passw0rd",
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func TestUserCreate(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		asAdmin := env.as(env.admin)
		testutil.NewUser(t, env.db, "helper", []string{"helpdesk"})

		t.Run("201 with Location, the admin's view, nothing mass-assigned", func(t *testing.T) {
			body := with(validNewUser(),
				"job_title", " Technician ", "locale", "fr", "groups", []string{model.SuperUserGroup, "helpdesk"},
				"id", 777, "total_posts", 99, "total_assigned", 5, "date_added", "Thu, 01 Jan 2015 00:00:00 GMT",
				"is_admin", true, "avatar", "x.png")
			r := env.call(http.MethodPost, "/flicket-api/users", body, asAdmin).expect(t, http.StatusCreated)
			assertNoSecrets(t, r.Body)
			var u User
			r.decode(t, &u)
			if u.ID == 777 || u.Username != "jane.doe" || u.Name != "Jane Doe" || u.Email != "jane.doe@example.com" ||
				u.JobTitle != "Technician" || u.TotalPosts != 0 || u.TotalAssigned != 0 || u.IsAdmin || !u.IsSuperUser {
				t.Fatalf("created %+v", u)
			}
			if u.Locale == nil || *u.Locale != "fr" || u.Disabled == nil || *u.Disabled ||
				strings.Join(groupsOf(t, u), ",") != "helpdesk,super_user" {
				t.Errorf("settings %+v", u)
			}
			if time.Since(u.DateAdded.Time) > time.Hour {
				t.Errorf("date_added was mass-assigned: %v", u.DateAdded)
			}
			if loc := r.Header.Get("Location"); loc != testBase+"/user/"+itoa(u.ID) {
				t.Errorf("Location = %q", loc)
			}
			stored, err := model.FindUser(t.Context(), env.db, u.ID)
			testutil.Must(t, err)
			if stored.Avatar != nil || !testutil.Hasher().Verify(stored.Password, "s3cret-passw0rd") {
				t.Errorf("stored %+v", stored)
			}
			// The new user can sign in, with the username in any case or the e-mail.
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("JANE.DOE", "s3cret-passw0rd")).expect(t, http.StatusOK)
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("jane.doe@example.com", "s3cret-passw0rd")).expect(t, http.StatusOK)
		})

		t.Run("defaults: locale en, no job title, no groups, enabled", func(t *testing.T) {
			r := env.call(http.MethodPost, "/flicket-api/users", with(validNewUser(), "username", "minimal", "email", "minimal@example.com"), asAdmin).
				expect(t, http.StatusCreated)
			m := r.object(t)
			if groups, ok := m["groups"].([]any); m["locale"] != "en" || m["job_title"] != "unknown" || m["disabled"] != false || !ok || len(groups) != 0 {
				t.Errorf("defaults: %s", r.Body)
			}
		})

		t.Run("a disabled account cannot sign in", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/users",
				with(validNewUser(), "username", "sleeper", "email", "sleeper@example.com", "disabled", true), asAdmin).expect(t, http.StatusCreated)
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("sleeper", "s3cret-passw0rd")).
				expectError(t, http.StatusUnauthorized, "auth.account_disabled")
		})

		t.Run("username and e-mail are unique in any letter case: 409 naming the field", func(t *testing.T) {
			body := env.call(http.MethodPost, "/flicket-api/users", with(validNewUser(), "username", "ADMIN", "email", "new@example.com"), asAdmin).
				expectError(t, http.StatusConflict, "user.username_taken")
			if body.Errors[0].Field != "username" {
				t.Errorf("errors = %+v", body.Errors)
			}
			body = env.call(http.MethodPost, "/flicket-api/users", with(validNewUser(), "username", "newcomer", "email", "ADMIN@example.COM"), asAdmin).
				expectError(t, http.StatusConflict, "user.email_taken")
			if body.Errors[0].Field != "email" {
				t.Errorf("errors = %+v", body.Errors)
			}
		})

		t.Run("422 per field", func(t *testing.T) {
			base := with(validNewUser(), "username", "valid_name", "email", "valid@example.com")
			cases := []struct {
				name, field, code string
				body              map[string]any
			}{
				{"username missing", "username", "required", with(base, "username", nil)},
				{"username short", "username", "min", with(base, "username", "abc")},
				{"username long", "username", "max", with(base, "username", strings.Repeat("u", 25))},
				{"username with a space", "username", "format", with(base, "username", "jane doe")},
				{"username with @", "username", "format", with(base, "username", "jane@doe")},
				{"name missing", "name", "required", with(base, "name", nil)},
				{"name short", "name", "min", with(base, "name", " Jo ")},
				{"name long", "name", "max", with(base, "name", strings.Repeat("n", 61))},
				{"email missing", "email", "required", with(base, "email", nil)},
				{"email invalid", "email", "email", with(base, "email", "not-an-email")},
				{"email long", "email", "max", with(base, "email", strings.Repeat("e", 50)+"@example.com")},
				{"password missing", "password", "required", with(base, "password", nil)},
				{"password short", "password", "min", with(base, "password", "abc123")},
				{"password without a digit", "password", "weak", with(base, "password", "no-digits-here")},
				{"password without a letter", "password", "weak", with(base, "password", "1234567890")},
				{"password over 72 bytes", "password", "pwbytes", with(base, "password", strings.Repeat("a1", 37))},
				{"job_title long", "job_title", "max", with(base, "job_title", strings.Repeat("j", 65))},
				{"locale unknown", "locale", "oneof", with(base, "locale", "de")},
				{"unknown group", "groups", "not_found", with(base, "groups", []string{"nonexistent"})},
				{"group name empty", "groups[0]", "required", with(base, "groups", []string{""})},
				{"groups not a list", "groups", "type", with(base, "groups", "super_user")},
				{"disabled not a bool", "disabled", "type", with(base, "disabled", "yes")},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					env.call(http.MethodPost, "/flicket-api/users", tc.body, asAdmin).expectField(t, tc.field, tc.code)
				})
			}
			var n int64
			testutil.Must(t, env.db.Model(&model.User{}).Where("username = ?", "valid_name").Count(&n).Error)
			if n != 0 {
				t.Errorf("an invalid request created the user")
			}
		})

		t.Run("administrators only", func(t *testing.T) {
			for _, groups := range [][]string{{model.SuperUserGroup}, nil} {
				u := testutil.NewUser(t, env.db, testutil.Unique("nonadmin"), groups)
				env.call(http.MethodPost, "/flicket-api/users", with(validNewUser(), "username", "intruder", "email", "intruder@example.com"), env.as(u)).
					expectError(t, http.StatusForbidden, "forbidden")
			}
		})
	})
}

func TestUserUpdate(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		asAdmin := env.as(env.admin)
		jane := testutil.NewUser(t, env.db, "jane", []string{"helpdesk"})
		testutil.NewUser(t, env.db, "other", nil)
		path := "/flicket-api/user/" + itoa(jane.ID)

		t.Run("change fields one by one; nothing else is assignable", func(t *testing.T) {
			r := env.call(http.MethodPatch, path, map[string]any{
				"name": " Jane Q. Doe ", "email": "JQD@Example.com", "job_title": "Lead", "locale": "fr",
				"groups": []string{model.SuperUserGroup}, "username": "jqdoe",
				"id": 999, "total_posts": 42, "total_assigned": 7, "date_added": "Thu, 01 Jan 2015 00:00:00 GMT", "is_admin": true,
			}, asAdmin).expect(t, http.StatusOK)
			assertNoSecrets(t, r.Body)
			var u User
			r.decode(t, &u)
			if u.ID != jane.ID || u.Username != "jqdoe" || u.Name != "Jane Q. Doe" || u.Email != "jqd@example.com" ||
				u.JobTitle != "Lead" || *u.Locale != "fr" || strings.Join(groupsOf(t, u), ",") != "super_user" ||
				!u.IsSuperUser || u.IsAdmin || u.TotalPosts != 0 || u.TotalAssigned != 0 {
				t.Fatalf("updated %+v", u)
			}
			stored, err := model.FindUser(t.Context(), env.db, jane.ID)
			testutil.Must(t, err)
			if stored.DateAdded.Year() == 2015 {
				t.Errorf("date_added changed: %v", stored.DateAdded)
			}
			if stored.DateModified == nil {
				t.Error("date_modified not set")
			}
			// An empty job title clears it; absent fields stay.
			r = env.call(http.MethodPatch, path, map[string]any{"job_title": ""}, asAdmin).expect(t, http.StatusOK)
			r.decode(t, &u)
			if u.JobTitle != "unknown" || u.Name != "Jane Q. Doe" || *u.Locale != "fr" || strings.Join(groupsOf(t, u), ",") != "super_user" {
				t.Errorf("after clearing the job title: %+v", u)
			}
			// groups: [] removes every membership.
			r = env.call(http.MethodPatch, path, map[string]any{"groups": []string{}}, asAdmin).expect(t, http.StatusOK)
			var cleared User
			r.decode(t, &cleared)
			if g := groupsOf(t, cleared); len(g) != 0 || cleared.IsSuperUser {
				t.Errorf("groups not cleared: %+v", g)
			}
		})

		t.Run("duplicates are 409, own values in another case are fine", func(t *testing.T) {
			env.call(http.MethodPatch, path, map[string]any{"username": "JQDOE", "email": "jqd@EXAMPLE.com"}, asAdmin).expect(t, http.StatusOK)
			body := env.call(http.MethodPatch, path, map[string]any{"username": "Other"}, asAdmin).expectError(t, http.StatusConflict, "user.username_taken")
			if body.Errors[0].Field != "username" {
				t.Errorf("errors = %+v", body.Errors)
			}
			body = env.call(http.MethodPatch, path, map[string]any{"email": "other@example.com"}, asAdmin).expectError(t, http.StatusConflict, "user.email_taken")
			if body.Errors[0].Field != "email" {
				t.Errorf("errors = %+v", body.Errors)
			}
		})

		t.Run("422 per field", func(t *testing.T) {
			cases := []struct {
				field, code string
				body        map[string]any
			}{
				{"username", "min", map[string]any{"username": "abc"}},
				{"username", "format", map[string]any{"username": "a/b/c/d"}},
				{"name", "min", map[string]any{"name": ""}},
				{"email", "email", map[string]any{"email": "nope"}},
				{"password", "min", map[string]any{"password": "a1"}},
				{"password", "weak", map[string]any{"password": "abcdefghij"}},
				{"job_title", "max", map[string]any{"job_title": strings.Repeat("j", 65)}},
				{"locale", "oneof", map[string]any{"locale": ""}},
				{"groups", "not_found", map[string]any{"groups": []string{model.SuperUserGroup, "ghosts"}}},
				{"disabled", "type", map[string]any{"disabled": 1}},
			}
			for _, tc := range cases {
				env.call(http.MethodPatch, path, tc.body, asAdmin).expectField(t, tc.field, tc.code)
			}
			u, err := model.FindUser(t.Context(), env.db, jane.ID)
			testutil.Must(t, err)
			if len(u.Groups) != 0 {
				t.Errorf("a refused change touched the groups: %v", u.Groups)
			}
		})

		t.Run("a new password revokes the user's tokens", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "rotating", nil)
			old := env.tokenFor(u)
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(old)).expect(t, http.StatusOK)
			env.call(http.MethodPatch, "/flicket-api/user/"+itoa(u.ID), map[string]any{"password": "brand-new-pass1"}, asAdmin).expect(t, http.StatusOK)
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(old)).expectError(t, http.StatusUnauthorized, "auth.token_revoked")
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("rotating", testutil.Password)).expect(t, http.StatusUnauthorized)
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("rotating", "brand-new-pass1")).expect(t, http.StatusOK)
		})

		t.Run("disabling revokes the tokens; enabling lets the user sign in again", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "leaving", nil)
			old := env.tokenFor(u)
			r := env.call(http.MethodPatch, "/flicket-api/user/"+itoa(u.ID), map[string]any{"disabled": true}, asAdmin).expect(t, http.StatusOK)
			if r.object(t)["disabled"] != true {
				t.Errorf("not disabled: %s", r.Body)
			}
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(old)).expect(t, http.StatusUnauthorized)
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("leaving", testutil.Password)).expect(t, http.StatusUnauthorized)
			env.call(http.MethodPatch, "/flicket-api/user/"+itoa(u.ID), map[string]any{"disabled": false}, asAdmin).expect(t, http.StatusOK)
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("leaving", testutil.Password)).expect(t, http.StatusOK)
			// Re-enabling does not bring the old token back.
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(old)).expect(t, http.StatusUnauthorized)
		})

		t.Run("other changes keep the tokens", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "staying", nil)
			tok := env.tokenFor(u)
			env.call(http.MethodPatch, "/flicket-api/user/"+itoa(u.ID), map[string]any{"name": "Still Here", "groups": []string{"helpdesk"}}, asAdmin).expect(t, http.StatusOK)
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(tok)).expect(t, http.StatusOK)
		})

		t.Run("user 1 cannot be disabled or leave flicket_admin", func(t *testing.T) {
			second := testutil.NewUser(t, env.db, "second_admin", []string{model.AdminGroup})
			for _, as := range []reqOpt{asAdmin, env.as(second)} {
				body := env.call(http.MethodPatch, "/flicket-api/user/1", map[string]any{"disabled": true}, as).expectError(t, http.StatusForbidden, "forbidden")
				if !strings.Contains(body.Message, "disabled") {
					t.Errorf("message = %q", body.Message)
				}
				body = env.call(http.MethodPatch, "/flicket-api/user/1", map[string]any{"groups": []string{model.SuperUserGroup}}, as).
					expectError(t, http.StatusForbidden, "forbidden")
				if !strings.Contains(body.Message, model.AdminGroup) {
					t.Errorf("message = %q", body.Message)
				}
			}
			admin, err := model.FindUser(t.Context(), env.db, 1)
			testutil.Must(t, err)
			if admin.Disabled || !admin.IsAdmin {
				t.Fatalf("user 1 changed: %+v", admin)
			}
			// Other changes to user 1 are fine, keeping flicket_admin.
			r := env.call(http.MethodPatch, "/flicket-api/user/1", map[string]any{"groups": []string{model.AdminGroup, model.SuperUserGroup}, "disabled": false}, asAdmin).
				expect(t, http.StatusOK)
			if m := r.object(t); m["is_admin"] != true || m["is_super_user"] != true {
				t.Errorf("user 1 = %s", r.Body)
			}
		})

		t.Run("an administrator changing their own password keeps the current token", func(t *testing.T) {
			boss := testutil.NewUser(t, env.db, "boss", []string{model.AdminGroup})
			current, other := env.tokenFor(boss), env.tokenFor(boss)
			env.call(http.MethodPatch, "/flicket-api/user/"+itoa(boss.ID), map[string]any{"password": "another-pass9"}, withToken(current)).expect(t, http.StatusOK)
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(current)).expect(t, http.StatusOK)
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(other)).expect(t, http.StatusUnauthorized)
		})

		t.Run("404 and 403", func(t *testing.T) {
			env.call(http.MethodPatch, "/flicket-api/user/424242", map[string]any{"name": "Nobody Home"}, asAdmin).expectError(t, http.StatusNotFound, "not_found")
			super := testutil.NewUser(t, env.db, "superuser", []string{model.SuperUserGroup})
			env.call(http.MethodPatch, path, map[string]any{"name": "Hijacked"}, env.as(super)).expectError(t, http.StatusForbidden, "forbidden")
			env.call(http.MethodPatch, "/flicket-api/user/"+itoa(super.ID), map[string]any{"groups": []string{model.AdminGroup}}, env.as(super)).
				expectError(t, http.StatusForbidden, "forbidden")
		})
	})
}

func TestUserDelete(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		asAdmin := env.as(env.admin)
		ctx := t.Context()

		t.Run("content stays without an author; subscriptions, tokens and memberships go; counters stay exact", func(t *testing.T) {
			leaver := testutil.NewUser(t, env.db, "leaver", []string{"helpdesk", model.SuperUserGroup})
			stayer := testutil.NewUser(t, env.db, "stayer", nil)
			leaverToken := env.tokenFor(leaver)
			// leaver started a ticket assigned to stayer; stayer replied to it
			// and leaver replied to stayer's ticket.
			// All through the model: subscriptions, the assign action and
			// the counters are what the API would have written.
			w := env.srv.writer
			t1 := testutil.NewTicket(t, w, leaver, testutil.InCategory(1))
			testutil.Write(t, w, func(tx *model.Tx) error { return model.Assign(ctx, tx, t1.ID, leaver, stayer.ID) })
			t2 := testutil.NewTicket(t, w, stayer, testutil.InCategory(2))
			stayerReply := testutil.NewPost(t, w, t1.ID, stayer, "from stayer", 0)
			leaverReply := testutil.NewPost(t, w, t2.ID, leaver, "from leaver", 0)
			// An avatar file that must go with the account.
			avatarDir := filepath.Join(env.srv.cfg.UploadDir, "avatars")
			testutil.Must(t, os.MkdirAll(avatarDir, 0o755))
			testutil.Must(t, os.WriteFile(filepath.Join(avatarDir, "leaver.png"), []byte("png"), 0o600))
			testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", leaver.ID).Update("avatar", "leaver.png").Error)

			env.call(http.MethodDelete, "/flicket-api/user/"+itoa(leaver.ID), nil, asAdmin).expect(t, http.StatusNoContent)

			env.call(http.MethodGet, "/flicket-api/user/"+itoa(leaver.ID), nil, asAdmin).expectError(t, http.StatusNotFound, "not_found")
			env.call(http.MethodGet, "/flicket-api/me", nil, withToken(leaverToken)).expect(t, http.StatusUnauthorized)
			got1, err := model.FindTicket(ctx, env.db, t1.ID)
			testutil.Must(t, err)
			if got1.StartedID != nil || got1.AssignedID == nil || *got1.AssignedID != stayer.ID {
				t.Errorf("ticket 1 = %+v", got1)
			}
			reply, err := model.FindPost(ctx, env.db, leaverReply.ID)
			testutil.Must(t, err)
			if reply.UserID != nil || reply.Content != "from leaver" {
				t.Errorf("leaver's reply = %+v", reply)
			}
			if _, err := model.FindPost(ctx, env.db, stayerReply.ID); err != nil {
				t.Errorf("stayer's reply: %v", err)
			}
			counts := map[string]int64{}
			for _, table := range []string{"subscriptions", "api_tokens", "group_members"} {
				var n int64
				testutil.Must(t, env.db.Table(table).Where("user_id = ?", leaver.ID).Count(&n).Error)
				counts[table] = n
			}
			if counts["subscriptions"] != 0 || counts["api_tokens"] != 0 || counts["group_members"] != 0 {
				t.Errorf("rows left behind: %v", counts)
			}
			var subs int64
			testutil.Must(t, env.db.Model(&model.Subscription{}).Where("user_id = ?", stayer.ID).Count(&subs).Error)
			if subs != 2 {
				t.Errorf("stayer has %d subscriptions", subs)
			}
			var action model.Action
			testutil.Must(t, env.db.Where("ticket_id = ?", t1.ID).First(&action).Error)
			if action.UserID != nil || action.RecipientID == nil || *action.RecipientID != stayer.ID {
				t.Errorf("action = %+v", action)
			}
			after, err := model.FindUser(ctx, env.db, stayer.ID)
			testutil.Must(t, err)
			testutil.Must(t, model.LoadUserTotals(ctx, env.db, after))
			if after.TotalPosts != 2 || after.TotalAssigned != 1 {
				t.Errorf("stayer's counters changed: posts %d assigned %d", after.TotalPosts, after.TotalAssigned)
			}
			if _, err := os.Stat(filepath.Join(avatarDir, "leaver.png")); !os.IsNotExist(err) {
				t.Errorf("the avatar file is still there: %v", err)
			}
			// The groups stay, one member fewer.
			hd, err := model.FindGroupByName(ctx, env.db, "helpdesk")
			testutil.Must(t, err)
			g, err := model.FindGroup(ctx, env.db, hd.ID)
			testutil.Must(t, err)
			if g.Members != 0 {
				t.Errorf("helpdesk has %d members", g.Members)
			}
		})

		t.Run("not user 1, not oneself, administrators only", func(t *testing.T) {
			second := testutil.NewUser(t, env.db, "second_admin", []string{model.AdminGroup})
			asSecond := env.as(second)
			body := env.call(http.MethodDelete, "/flicket-api/user/1", nil, asSecond).expectError(t, http.StatusForbidden, "forbidden")
			if !strings.Contains(body.Message, "cannot be deleted") {
				t.Errorf("message = %q", body.Message)
			}
			env.call(http.MethodDelete, "/flicket-api/user/1", nil, asAdmin).expectError(t, http.StatusForbidden, "forbidden")
			body = env.call(http.MethodDelete, "/flicket-api/user/"+itoa(second.ID), nil, asSecond).expectError(t, http.StatusForbidden, "forbidden")
			if !strings.Contains(body.Message, "own account") {
				t.Errorf("message = %q", body.Message)
			}
			super := testutil.NewUser(t, env.db, "superuser", []string{model.SuperUserGroup})
			victim := testutil.NewUser(t, env.db, "victim", nil)
			env.call(http.MethodDelete, "/flicket-api/user/"+itoa(victim.ID), nil, env.as(super)).expectError(t, http.StatusForbidden, "forbidden")
			for _, id := range []int64{1, second.ID, victim.ID} {
				if _, err := model.FindUser(ctx, env.db, id); err != nil {
					t.Errorf("user %d is gone: %v", id, err)
				}
			}
			env.call(http.MethodDelete, "/flicket-api/user/424242", nil, asAdmin).expectError(t, http.StatusNotFound, "not_found")
		})
	})
}

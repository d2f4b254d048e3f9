package api

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/mail/mailtest"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// fromIP sends the request from another client address.
func fromIP(ip string) reqOpt {
	return func(r *http.Request) { r.RemoteAddr = ip + ":40000" }
}

var resetLinkRe = regexp.MustCompile(`http://flicket\.test/reset-password\?token=([A-Za-z0-9_-]+)`)

func TestPasswordReset(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		smtp := mailtest.Start(t)
		smtp.Configure(t, env.db)
		const requestPath, confirmPath = "/flicket-api/password-reset", "/flicket-api/password-reset/confirm"

		// requestToken asks for a reset of u and returns the token mailed to u.
		requestToken := func(t *testing.T, u *model.User, ip string) string {
			t.Helper()
			before := len(smtp.Messages())
			env.call(http.MethodPost, requestPath, map[string]any{"email": strings.ToUpper(u.Email)}, fromIP(ip)).expect(t, http.StatusAccepted)
			env.deliver()
			var mine []mailtest.Message
			for _, m := range smtp.Messages()[before:] {
				if m.To[0] == u.Email {
					mine = append(mine, m)
				}
			}
			if len(mine) != 1 {
				t.Fatalf("%d new reset mails to %s, want 1", len(mine), u.Email)
			}
			m := mine[0]
			match := resetLinkRe.FindStringSubmatch(m.Text)
			if match == nil || !strings.Contains(m.HTML, match[0]) {
				t.Fatalf("no reset link in the mail:\n%s\n%s", m.Text, m.HTML)
			}
			return match[1]
		}
		canSignIn := func(u *model.User, password string) bool {
			return env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic(u.Username, password), fromIP("10.9.9.9")).Code == http.StatusOK
		}

		t.Run("202 and the same body whether or not the account exists", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "known", nil)
			off := testutil.NewUser(t, env.db, "switchedoff", nil, testutil.Disabled())
			var bodies []string
			for i, email := range []string{u.Email, "nobody@example.com", off.Email} {
				start := time.Now()
				r := env.call(http.MethodPost, requestPath, map[string]any{"email": email}, fromIP("10.1.0.1")).expect(t, http.StatusAccepted)
				if took := time.Since(start); took < env.srv.resetMinDuration {
					t.Errorf("request %d answered after %s, before the %s floor", i, took, env.srv.resetMinDuration)
				}
				bodies = append(bodies, string(r.Body))
			}
			if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
				t.Fatalf("answers differ: %q", bodies)
			}
			var resets []model.PasswordReset
			testutil.Must(t, env.db.Find(&resets).Error)
			if len(resets) != 1 || resets[0].UserID != u.ID || len(resets[0].TokenHash) != 64 ||
				!resets[0].ExpiresAt.Equal(resets[0].CreatedAt.Add(time.Hour)) || resets[0].UsedAt != nil {
				t.Fatalf("stored resets: %+v", resets)
			}
			var queued []model.OutboxMail
			testutil.Must(t, env.db.Where("kind = ?", model.MailKindPasswordReset).Find(&queued).Error)
			if len(queued) != 1 || queued[0].RecipientEmail != u.Email {
				t.Fatalf("queued reset mails: %+v", queued)
			}
			if strings.Contains(queued[0].BodyText, resets[0].TokenHash) {
				t.Error("the mail carries the hash, not the token")
			}
		})

		t.Run("the link works once, in the user's language, and revokes every token", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "frenchie", nil, testutil.WithLocale("fr"))
			oldToken := env.tokenFor(u)
			token := requestToken(t, u, "10.2.0.1")
			for _, m := range smtp.Messages() {
				if m.To[0] == u.Email && m.Subject != "Réinitialisation du mot de passe" {
					t.Errorf("subject %q", m.Subject)
				}
			}
			var stored model.PasswordReset
			testutil.Must(t, env.db.Where("user_id = ?", u.ID).First(&stored).Error)
			if stored.TokenHash == token || strings.Contains(stored.TokenHash, token) {
				t.Fatal("the token itself is stored")
			}

			env.call(http.MethodPost, confirmPath, map[string]any{"token": token, "password": "brand-new-42"}, fromIP("10.2.0.1")).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, "/flicket-api/statuses/", nil, withToken(oldToken)).expectError(t, http.StatusUnauthorized, "auth.token_revoked")
			if !canSignIn(u, "brand-new-42") || canSignIn(u, testutil.Password) {
				t.Fatal("the new password is not the one that works")
			}
			env.call(http.MethodPost, confirmPath, map[string]any{"token": token, "password": "another-one-7"}, fromIP("10.2.0.1")).
				expectField(t, "token", "invalid")
			if !canSignIn(u, "brand-new-42") {
				t.Fatal("a used token changed the password again")
			}
		})

		t.Run("expires after one hour", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "latecomer", nil)
			early := requestToken(t, u, "10.3.0.1")
			env.clock.Advance(59 * time.Minute)
			late := requestToken(t, u, "10.3.0.1")
			env.clock.Advance(2 * time.Minute) // the first is 61 minutes old, the second 2
			env.call(http.MethodPost, confirmPath, map[string]any{"token": early, "password": "too-late-1"}, fromIP("10.3.0.1")).
				expectField(t, "token", "invalid")
			if !canSignIn(u, testutil.Password) {
				t.Fatal("an expired link changed the password")
			}
			env.call(http.MethodPost, confirmPath, map[string]any{"token": late, "password": "in-time-22"}, fromIP("10.3.0.1")).expect(t, http.StatusNoContent)
			if !canSignIn(u, "in-time-22") {
				t.Fatal("the fresh link did not work")
			}
		})

		t.Run("using one link voids the others", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "twolinks", nil)
			first := requestToken(t, u, "10.4.0.1")
			second := requestToken(t, u, "10.4.0.1")
			env.call(http.MethodPost, confirmPath, map[string]any{"token": second, "password": "second-link-2"}, fromIP("10.4.0.1")).expect(t, http.StatusNoContent)
			env.call(http.MethodPost, confirmPath, map[string]any{"token": first, "password": "first-link-1"}, fromIP("10.4.0.1")).
				expectField(t, "token", "invalid")
		})

		t.Run("a disabled account cannot use its link", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "disabledlater", nil)
			token := requestToken(t, u, "10.5.0.1")
			testutil.Must(t, env.db.Model(u).Update("disabled", true).Error)
			env.call(http.MethodPost, confirmPath, map[string]any{"token": token, "password": "whatever-12"}, fromIP("10.5.0.1")).
				expectField(t, "token", "invalid")
		})

		t.Run("invalid input", func(t *testing.T) {
			ip := fromIP("10.6.0.1")
			env.call(http.MethodPost, requestPath, map[string]any{"email": "not an address"}, ip).expectField(t, "email", "email")
			env.call(http.MethodPost, requestPath, map[string]any{}, ip).expectField(t, "email", "required")
			env.call(http.MethodPost, requestPath, "{", ip).expectError(t, http.StatusBadRequest, "request.malformed_json")
			cases := []struct{ password, code string }{
				{"short1", "min"},
				{"onlyletters", "weak"},
				{"1234567890", "weak"},
				{strings.Repeat("a1", 37), "pwbytes"},
				{"", "required"},
			}
			for _, tc := range cases {
				env.call(http.MethodPost, confirmPath, map[string]any{"token": "whatever", "password": tc.password}, ip).expectField(t, "password", tc.code)
			}
			env.call(http.MethodPost, confirmPath, map[string]any{"password": "good-pass-1"}, ip).expectField(t, "token", "required")
			env.call(http.MethodPost, confirmPath, map[string]any{"token": "made-up", "password": "good-pass-1"}, ip).expectField(t, "token", "invalid")
		})

		t.Run("an unknown token is refused before any password is hashed", func(t *testing.T) {
			before := env.srv.passwords.Runs()
			env.call(http.MethodPost, confirmPath, map[string]any{"token": "made-up-token", "password": "good-pass-1"}, fromIP("10.3.0.1")).
				expectField(t, "token", "invalid")
			if n := env.srv.passwords.Runs() - before; n != 0 {
				t.Errorf("%d bcrypt jobs for a bad token, want 0", n)
			}
		})

		t.Run("a password or e-mail change voids the links already mailed", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "changer", nil)
			confirm := func(token string) *response {
				return env.call(http.MethodPost, confirmPath, map[string]any{"token": token, "password": "taken-over-1"}, fromIP("10.4.0.9"))
			}
			// The user changes their own password.
			asU := env.as(u)
			token := requestToken(t, u, "10.4.0.1")
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"current_password": testutil.Password, "password": "n3w-passw0rd"}, asU).
				expect(t, http.StatusOK)
			confirm(token).expectField(t, "token", "invalid")
			// The user changes their e-mail: a link sent to the old address dies.
			token = requestToken(t, u, "10.4.0.1")
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"current_password": "n3w-passw0rd", "email": "changer-new@example.com"}, asU).
				expect(t, http.StatusOK)
			confirm(token).expectField(t, "token", "invalid")
			// An administrator sets a new password.
			u.Email = "changer-new@example.com"
			token = requestToken(t, u, "10.4.0.1")
			env.call(http.MethodPatch, "/flicket-api/user/"+itoa(u.ID), map[string]any{"password": "adm1n-chosen"}, env.as(env.admin)).
				expect(t, http.StatusOK)
			confirm(token).expectField(t, "token", "invalid")
			// Other changes leave a link alone.
			var tr TokenResponse
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic(u.Username, "adm1n-chosen")).expect(t, http.StatusOK).decode(t, &tr)
			token = requestToken(t, u, "10.4.0.1")
			env.call(http.MethodPatch, "/flicket-api/me", map[string]any{"name": "Still Me"}, withToken(tr.Token)).expect(t, http.StatusOK)
			confirm(token).expect(t, http.StatusNoContent)
		})

		t.Run("requests are throttled per e-mail and per address", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "popular", nil)
			for i := 0; i < 3; i++ {
				env.call(http.MethodPost, requestPath, map[string]any{"email": u.Email}, fromIP("10.7.0.1")).expect(t, http.StatusAccepted)
			}
			// The fourth for the same e-mail, even from elsewhere, waits.
			r := env.call(http.MethodPost, requestPath, map[string]any{"email": u.Email}, fromIP("10.7.0.2"))
			r.expectError(t, http.StatusTooManyRequests, "request.rate_limited")
			if r.Header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			// Unknown addresses are throttled the same way (no difference to probe).
			for i := 0; i < 3; i++ {
				env.call(http.MethodPost, requestPath, map[string]any{"email": "ghost@example.com"}, fromIP("10.7.0.3")).expect(t, http.StatusAccepted)
			}
			env.call(http.MethodPost, requestPath, map[string]any{"email": "ghost@example.com"}, fromIP("10.7.0.3")).
				expectError(t, http.StatusTooManyRequests, "request.rate_limited")
			// One address asking for many e-mails.
			for i := 0; i < 10; i++ {
				env.call(http.MethodPost, requestPath, map[string]any{"email": testutil.Unique("x") + "@example.com"}, fromIP("10.7.0.9")).expect(t, http.StatusAccepted)
			}
			env.call(http.MethodPost, requestPath, map[string]any{"email": "fresh@example.com"}, fromIP("10.7.0.9")).
				expectError(t, http.StatusTooManyRequests, "request.rate_limited")
			// The window passes.
			env.clock.Advance(61 * time.Minute)
			env.call(http.MethodPost, requestPath, map[string]any{"email": u.Email}, fromIP("10.7.0.9")).expect(t, http.StatusAccepted)
		})

		t.Run("failed confirmations are throttled per address", func(t *testing.T) {
			u := testutil.NewUser(t, env.db, "guessed", nil)
			token := requestToken(t, u, "10.8.0.1")
			for i := 0; i < 10; i++ {
				env.call(http.MethodPost, confirmPath, map[string]any{"token": "guess", "password": "guess-pass-1"}, fromIP("10.8.0.2")).expectField(t, "token", "invalid")
			}
			r := env.call(http.MethodPost, confirmPath, map[string]any{"token": token, "password": "guess-pass-1"}, fromIP("10.8.0.2"))
			r.expectError(t, http.StatusTooManyRequests, "request.rate_limited")
			if r.Header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			// The right owner, from their own address, is not locked out.
			env.call(http.MethodPost, confirmPath, map[string]any{"token": token, "password": "owner-pass-1"}, fromIP("10.8.0.1")).expect(t, http.StatusNoContent)
		})
	})
}

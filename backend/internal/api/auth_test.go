package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestTokens(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "Alice_Smith", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil, testutil.Disabled())

		t.Run("basic auth gives a token that reads the API", func(t *testing.T) {
			r := env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("Alice_Smith", testutil.Password)).expect(t, http.StatusOK)
			var tr TokenResponse
			r.decode(t, &tr)
			if strings.Count(tr.Token, ".") != 2 {
				t.Fatalf("token %q is not a JWT", tr.Token)
			}
			if tr.ExpiresIn != 36000 {
				t.Errorf("expires_in = %d, want 36000 (10 h)", tr.ExpiresIn)
			}
			env.call(http.MethodGet, "/flicket-api/statuses/", nil, withToken(tr.Token)).expect(t, http.StatusOK)
		})

		t.Run("username in another letter case and e-mail both log in", func(t *testing.T) {
			for _, login := range []string{"alice_smith", "ALICE_SMITH", "alice_smith@example.com", "Alice_Smith@Example.COM"} {
				env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic(login, testutil.Password)).expect(t, http.StatusOK)
			}
		})

		t.Run("every token is new and independent", func(t *testing.T) {
			a, b := env.tokenFor(alice), env.tokenFor(alice)
			if a == b {
				t.Fatal("two logins returned the same token")
			}
			env.call(http.MethodDelete, "/flicket-api/tokens", nil, withToken(a)).expect(t, http.StatusNoContent)
			env.call(http.MethodGet, "/flicket-api/users/", nil, withToken(b)).expect(t, http.StatusOK)
		})

		t.Run("refusals are 401 JSON with a challenge", func(t *testing.T) {
			cases := []struct {
				name string
				opts []reqOpt
				code string
			}{
				{"no credentials", nil, "auth.credentials_missing"},
				{"wrong password", []reqOpt{withBasic("Alice_Smith", "nope")}, "auth.invalid_credentials"},
				{"unknown user", []reqOpt{withBasic("nobody", testutil.Password)}, "auth.invalid_credentials"},
				{"disabled user", []reqOpt{withBasic("bob", testutil.Password)}, "auth.account_disabled"},
				{"bearer instead of basic", []reqOpt{withToken("x")}, "auth.credentials_missing"},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					r := env.call(http.MethodPost, "/flicket-api/tokens", nil, tc.opts...)
					r.expectError(t, http.StatusUnauthorized, tc.code)
					if got := r.Header.Get("WWW-Authenticate"); got != `Basic realm="Authentication Required"` {
						t.Errorf("WWW-Authenticate = %q", got)
					}
				})
			}
		})

		t.Run("disabled user's password is still checked first", func(t *testing.T) {
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("bob", "wrong")).
				expectError(t, http.StatusUnauthorized, "auth.invalid_credentials")
		})

		t.Run("bad bearer tokens are 401, never 500", func(t *testing.T) {
			other := auth.NewTokens([]byte("another-secret-another-secret-another"), time.Hour, env.clock.Now)
			foreign, err := other.Issue(alice.ID)
			testutil.Must(t, err)
			// Signed with our key but never stored: an unknown token id.
			ours := auth.NewTokens(env.secret, time.Hour, env.clock.Now)
			unknown, err := ours.Issue(alice.ID)
			testutil.Must(t, err)
			none := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": "1", "jti": "x", "iss": "flicket", "exp": 9999999999})
			noneToken, err := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
			testutil.Must(t, err)
			cases := []struct {
				name   string
				header string
				code   string
			}{
				{"missing", "", "auth.token_missing"},
				{"no Bearer prefix", env.tokenFor(alice), "auth.token_missing"},
				{"garbled", "Bearer not.a.token", "auth.token_invalid"},
				{"random text", "Bearer " + strings.Repeat("A", 32), "auth.token_invalid"},
				{"other key", "Bearer " + foreign.Token, "auth.token_invalid"},
				{"alg none", "Bearer " + noneToken, "auth.token_invalid"},
				{"unknown id", "Bearer " + unknown.Token, "auth.token_invalid"},
				{"token in query only", "", "auth.token_missing"},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					var opts []reqOpt
					if tc.header != "" {
						opts = append(opts, withHeader("Authorization", tc.header))
					}
					r := env.call(http.MethodGet, "/flicket-api/users/?token=abc", nil, opts...)
					r.expectError(t, http.StatusUnauthorized, tc.code)
					if got := r.Header.Get("WWW-Authenticate"); got != `Bearer realm="Authentication Required"` {
						t.Errorf("WWW-Authenticate = %q", got)
					}
				})
			}
		})

		t.Run("revoked token is refused on every replica", func(t *testing.T) {
			token := env.tokenFor(alice)
			replica := env.newServer()
			env.do(replica, http.MethodGet, "/flicket-api/users/", nil, withToken(token)).expect(t, http.StatusOK)
			r := env.call(http.MethodDelete, "/flicket-api/tokens", nil, withToken(token)).expect(t, http.StatusNoContent)
			if len(r.Body) != 0 {
				t.Errorf("204 with a body: %q", r.Body)
			}
			env.call(http.MethodGet, "/flicket-api/users/", nil, withToken(token)).expectError(t, http.StatusUnauthorized, "auth.token_revoked")
			env.do(replica, http.MethodGet, "/flicket-api/users/", nil, withToken(token)).expectError(t, http.StatusUnauthorized, "auth.token_revoked")
			env.call(http.MethodDelete, "/flicket-api/tokens", nil, withToken(token)).expectError(t, http.StatusUnauthorized, "auth.token_revoked")
		})

		t.Run("expired token is refused", func(t *testing.T) {
			token := env.tokenFor(alice)
			env.clock.Advance(10*time.Hour + time.Second)
			defer env.clock.Advance(-(10*time.Hour + time.Second))
			env.call(http.MethodGet, "/flicket-api/users/", nil, withToken(token)).expectError(t, http.StatusUnauthorized, "auth.token_expired")
		})

		t.Run("disabling a user stops their live tokens", func(t *testing.T) {
			carol := testutil.NewUser(t, env.db, "carol", nil)
			token := env.tokenFor(carol)
			testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", carol.ID).Update("disabled", true).Error)
			env.call(http.MethodGet, "/flicket-api/users/", nil, withToken(token)).expectError(t, http.StatusUnauthorized, "auth.account_disabled")
		})

		t.Run("hashes made by the original Flicket verify", func(t *testing.T) {
			// The original stores hashes with Python bcrypt's "$2b$" prefix (this one is
			// for "flicket-original"; below 255 bytes $2b$ and $2a$ digests are equal).
			const pyHash = "$2b$04$SHz0.vAZdW.o84Ora9.PvuvDqqN9FL47PBu0pPpDqqXlLnIGecgOO"
			dave := testutil.NewUser(t, env.db, "dave", nil)
			testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", dave.ID).Update("password", pyHash).Error)
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("dave", "flicket-original")).expect(t, http.StatusOK)
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic("dave", "flicket-originaL")).expect(t, http.StatusUnauthorized)
		})

		t.Run("repeated failures are throttled", func(t *testing.T) {
			erin := testutil.NewUser(t, env.db, "erin", nil)
			for i := 0; i < 10; i++ {
				env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic(erin.Username, "wrong")).expect(t, http.StatusUnauthorized)
			}
			r := env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic(erin.Username, testutil.Password))
			r.expectError(t, http.StatusTooManyRequests, "request.rate_limited")
			if r.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			env.clock.Advance(16 * time.Minute)
			defer env.clock.Advance(-16 * time.Minute)
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic(erin.Username, testutil.Password)).expect(t, http.StatusOK)
		})
		_ = bob
	})
}

package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/logging"
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
			// Signed in from here before: only the per-address-and-account limit applies.
			env.call(http.MethodPost, "/flicket-api/tokens", nil, withBasic(erin.Username, testutil.Password)).expect(t, http.StatusOK)
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

// TestSignInLimits replays the ways round the sign-in limits found in the
// hardening review (issue 10): other spellings of one account, parallel
// guesses, made-up names, X-Forwarded-For, and locking a colleague out.
func TestSignInLimits(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		tokens := func(login, password string, opts ...reqOpt) *response {
			return env.call(http.MethodPost, "/flicket-api/tokens", nil, append([]reqOpt{withBasic(login, password)}, opts...)...)
		}
		session := func(login, password string, opts ...reqOpt) *response {
			return env.call(http.MethodPost, "/flicket-api/session", map[string]any{"username": login, "password": password},
				append([]reqOpt{withCSRF()}, opts...)...)
		}

		t.Run("every spelling of an account, and both endpoints, share one count", func(t *testing.T) {
			carol := testutil.NewUser(t, env.db, "carol", nil)
			from := fromIP("198.51.100.10")
			spellings := []string{" carol", "carol ", "\tcarol", "CAROL", "carol@example.com", " Carol@Example.com "}
			for i := 0; i < 10; i++ {
				// Spaced out, so the per-account delay does not answer first.
				env.clock.Advance(31 * time.Second)
				login := spellings[i%len(spellings)]
				var r *response
				if i%2 == 0 {
					r = tokens(login, "wrong", from)
				} else {
					r = session(login, "wrong", from)
				}
				r.expectError(t, http.StatusUnauthorized, "auth.invalid_credentials")
			}
			env.clock.Advance(31 * time.Second)
			for _, login := range []string{"carol", "\tcarol ", "carol@example.com"} {
				tokens(login, testutil.Password, from).expectError(t, http.StatusTooManyRequests, "request.rate_limited")
				session(login, testutil.Password, from).expectError(t, http.StatusTooManyRequests, "request.rate_limited")
			}
			_ = carol
		})

		t.Run("parallel guesses are counted before any password is checked", func(t *testing.T) {
			testutil.NewUser(t, env.db, "dave", nil)
			from := fromIP("198.51.100.20")
			before := env.srv.passwords.Runs()
			codes := make(chan int, 30)
			var wg sync.WaitGroup
			for i := 0; i < 30; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes <- tokens("dave", "wrong-"+strconv.Itoa(i), from).Code
				}()
			}
			wg.Wait()
			close(codes)
			count := map[int]int{}
			for c := range codes {
				count[c]++
			}
			checked := env.srv.passwords.Runs() - before
			if checked > 10 || count[http.StatusUnauthorized] > 10 || count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != 30 {
				t.Fatalf("30 parallel guesses: %d passwords checked, answers %v; want at most 10 checked, the rest 429", checked, count)
			}
		})

		t.Run("made-up names from one address are cut off without hashing", func(t *testing.T) {
			from := fromIP("198.51.100.30")
			limit := env.srv.logins.address.limit
			for i := 0; i < limit; i++ {
				tokens(testutil.Unique("nobody"), "x", from).expectError(t, http.StatusUnauthorized, "auth.invalid_credentials")
			}
			before := env.srv.passwords.Runs()
			for i := 0; i < 5; i++ {
				r := tokens(testutil.Unique("nobody"), "x", from)
				r.expectError(t, http.StatusTooManyRequests, "request.rate_limited")
				if r.Header.Get("Retry-After") == "" {
					t.Fatal("429 without Retry-After")
				}
			}
			if n := env.srv.passwords.Runs() - before; n != 0 {
				t.Errorf("%d bcrypt jobs after the address was cut off, want 0", n)
			}
			// Others are not affected.
			erin := testutil.NewUser(t, env.db, "erin2", nil)
			tokens(erin.Username, testutil.Password, fromIP("198.51.100.31")).expect(t, http.StatusOK)
		})

		t.Run("X-Forwarded-For from an untrusted peer picks no address", func(t *testing.T) {
			frank := testutil.NewUser(t, env.db, "frank", nil)
			// A client on the office network (private and loopback peers were
			// once believed) claims a new address with each guess.
			for _, peer := range []string{"10.20.30.40", "127.0.0.1"} {
				tokens(frank.Username, testutil.Password, fromIP(peer)).expect(t, http.StatusOK) // known address: no per-account delay
				for i := 0; i < 10; i++ {
					tokens(frank.Username, "wrong", fromIP(peer), withHeader("X-Forwarded-For", "203.0.113."+strconv.Itoa(i+1))).
						expectError(t, http.StatusUnauthorized, "auth.invalid_credentials")
				}
				// Every guess counted against the real peer, whatever it claimed.
				tokens(frank.Username, testutil.Password, fromIP(peer), withHeader("X-Forwarded-For", "203.0.113.200")).
					expectError(t, http.StatusTooManyRequests, "request.rate_limited")
			}

			// Behind a configured proxy the header names the client.
			proxied := env.newServerWith(map[string]string{"FLICKET_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1"})
			viaProxy := func(client string) reqOpt {
				return func(r *http.Request) {
					r.RemoteAddr = "10.1.2.3:5555"
					r.Header.Set("X-Forwarded-For", "198.51.100.99, "+client)
				}
			}
			gina := testutil.NewUser(t, env.db, "gina", nil)
			env.do(proxied, http.MethodPost, "/flicket-api/tokens", nil, withBasic(gina.Username, testutil.Password), viaProxy("203.0.113.7")).expect(t, http.StatusOK)
			for i := 0; i < 10; i++ {
				env.do(proxied, http.MethodPost, "/flicket-api/tokens", nil, withBasic(gina.Username, "wrong"), viaProxy("203.0.113.7")).
					expect(t, http.StatusUnauthorized)
			}
			env.do(proxied, http.MethodPost, "/flicket-api/tokens", nil, withBasic(gina.Username, testutil.Password), viaProxy("203.0.113.7")).
				expect(t, http.StatusTooManyRequests)
			// Another client behind the same proxy is not locked out.
			env.do(proxied, http.MethodPost, "/flicket-api/tokens", nil, withBasic(gina.Username, testutil.Password), viaProxy("203.0.113.8")).
				expect(t, http.StatusOK)
		})

		t.Run("many addresses slow an account down but never lock its owner out", func(t *testing.T) {
			hal := testutil.NewUser(t, env.db, "hal", nil)
			home := fromIP("203.0.113.50")
			tokens(hal.Username, testutil.Password, home).expect(t, http.StatusOK)
			refused, maxWait := 0, 0
			for i := 0; i < 200; i++ {
				env.clock.Advance(2 * time.Second)
				r := tokens(hal.Username, "guess", fromIP("198.18."+strconv.Itoa(i/200)+"."+strconv.Itoa(i%200+1)))
				switch r.Code {
				case http.StatusUnauthorized:
				case http.StatusTooManyRequests:
					refused++
					wait, err := strconv.Atoi(r.Header.Get("Retry-After"))
					testutil.Must(t, err)
					maxWait = max(maxWait, wait)
				default:
					t.Fatalf("guess %d: %d %s", i, r.Code, r.Body)
				}
			}
			if refused < 150 {
				t.Errorf("only %d of 200 guesses from 200 addresses were slowed down", refused)
			}
			if maxWait > 30 {
				t.Errorf("Retry-After reached %d s: the per-account delay must stay short", maxWait)
			}
			// The owner, from where they signed in before, gets in at once.
			tokens(hal.Username, testutil.Password, home).expect(t, http.StatusOK)
			// From a new address, after at most the longest delay.
			env.clock.Advance(30 * time.Second)
			tokens(hal.Username, testutil.Password, fromIP("203.0.113.51")).expect(t, http.StatusOK)
		})

		t.Run("overloaded password checks answer 503, uncounted", func(t *testing.T) {
			srv := env.newServer()
			srv.passwords = auth.NewPool(1, 0, time.Second)
			held, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
			go func() {
				defer close(done)
				_ = srv.passwords.Do(context.Background(), func() { close(held); <-release })
			}()
			<-held
			ivy := testutil.NewUser(t, env.db, "ivy", nil)
			for i := 0; i < 12; i++ {
				r := env.do(srv, http.MethodPost, "/flicket-api/tokens", nil, withBasic(ivy.Username, "wrong"))
				r.expectError(t, http.StatusServiceUnavailable, "server.busy")
				if r.Header.Get("Retry-After") == "" {
					t.Fatal("503 without Retry-After")
				}
			}
			close(release)
			<-done
			// None of the refused attempts was counted.
			env.do(srv, http.MethodPost, "/flicket-api/tokens", nil, withBasic(ivy.Username, testutil.Password)).expect(t, http.StatusOK)
		})
	})
}

func TestUntrustedForwardedWarnsOnce(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	var buf syncBuffer
	env.srv.log = logging.New(&buf, "json", slog.LevelInfo)
	for i := 0; i < 3; i++ {
		env.call(http.MethodGet, "/healthz", nil, withHeader("X-Forwarded-For", "203.0.113.9")).expect(t, http.StatusOK)
	}
	warnings := 0
	for _, l := range buf.lines() {
		if l["level"] == "WARN" && strings.Contains(l["msg"].(string), "FLICKET_TRUSTED_PROXIES") {
			warnings++
		}
		if l["msg"] == "request" && l["remote_ip"] != "192.0.2.1" {
			t.Errorf("access line names %v, not the peer", l["remote_ip"])
		}
	}
	if warnings != 1 {
		t.Errorf("%d warnings about X-Forwarded-For, want 1", warnings)
	}
}

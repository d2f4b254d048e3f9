package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/config"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// testClock is the test's one clock (testutil.Clock).
type testClock = testutil.Clock

// testEnv is a seeded database and a server over it.
type testEnv struct {
	t      testing.TB
	tdb    *testutil.TestDB
	db     *gorm.DB
	srv    *Server
	clock  *testClock
	admin  *model.User
	secret []byte
}

const testBase = "http://flicket.test/flicket-api"

// newTestEnv seeds tdb and builds a server on it.
func newTestEnv(t testing.TB, tdb *testutil.TestDB) *testEnv {
	t.Helper()
	seeded := testutil.Seed(t, tdb.DB)
	env := &testEnv{
		t: t, tdb: tdb, db: tdb.DB, admin: seeded.Admin,
		clock:  testutil.NewClock(),
		secret: []byte("test-secret-key-0123456789abcdef0123456789"),
	}
	env.srv = env.newServer()
	return env
}

// newServer builds another server on the same database, like a replica.
func (e *testEnv) newServer() *Server {
	return e.newServerWith(nil)
}

// newServerWith builds a server with these FLICKET_* variables set.
func (e *testEnv) newServerWith(vars map[string]string) *Server {
	return e.newServerOn(e.db, slog.New(slog.NewTextHandler(io.Discard, nil)), vars)
}

// newServerOn builds a server on another handle to the env's database (one
// through a proxy, say) that logs to log.
func (e *testEnv) newServerOn(db *gorm.DB, log *slog.Logger, vars map[string]string) *Server {
	environ := map[string]string{"FLICKET_UPLOAD_DIR": e.t.TempDir()}
	for k, v := range vars {
		environ[k] = v
	}
	cfg, err := config.LoadFrom(environ)
	testutil.Must(e.t, err)
	return New(Deps{
		DB: db, Config: cfg,
		Logger:   log,
		Hasher:   testutil.Hasher(),
		Tokens:   auth.NewTokens(e.secret, cfg.TokenTTL, e.clock.Now),
		Settings: model.NewSettingsCache(db, 0),
		Now:      e.clock.Now,
	})
}

// response is a recorded answer.
type response struct {
	Code   int
	Header http.Header
	Body   []byte
}

// reqOpt changes a request before it is sent.
type reqOpt func(*http.Request)

func withToken(token string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func withBasic(user, pass string) reqOpt {
	return func(r *http.Request) { r.SetBasicAuth(user, pass) }
}

func withHeader(k, v string) reqOpt {
	return func(r *http.Request) { r.Header.Set(k, v) }
}

// as authenticates the request as the user with a freshly issued token.
func (e *testEnv) as(u *model.User) reqOpt {
	return withToken(e.tokenFor(u))
}

// tokenFor issues a token the way POST /tokens does.
func (e *testEnv) tokenFor(u *model.User) string {
	e.t.Helper()
	r := e.do(e.srv, http.MethodPost, "/flicket-api/tokens", nil, withBasic(u.Username, testutil.Password))
	if r.Code != http.StatusOK {
		e.t.Fatalf("token for %s: %d %s", u.Username, r.Code, r.Body)
	}
	var tr struct{ Token string }
	r.decode(e.t, &tr)
	return tr.Token
}

// call sends a request to the env's main server.
func (e *testEnv) call(method, path string, body any, opts ...reqOpt) *response {
	e.t.Helper()
	return e.do(e.srv, method, path, body, opts...)
}

// do sends a request to the given server. A string or []byte body is sent
// as is; anything else is encoded as JSON.
func (e *testEnv) do(srv *Server, method, path string, body any, opts ...reqOpt) *response {
	e.t.Helper()
	var rd io.Reader
	isJSON := false
	switch b := body.(type) {
	case nil:
	case string:
		rd, isJSON = strings.NewReader(b), true
	case []byte:
		rd, isJSON = bytes.NewReader(b), true
	default:
		raw, err := json.Marshal(b)
		testutil.Must(e.t, err)
		rd, isJSON = bytes.NewReader(raw), true
	}
	req := httptest.NewRequestWithContext(context.Background(), method, path, rd)
	req.Host = "flicket.test"
	if isJSON {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	return &response{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// object decodes the body as a generic JSON object.
func (r *response) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

// expect fails unless the status matches.
func (r *response) expect(t testing.TB, code int) *response {
	t.Helper()
	if r.Code != code {
		t.Fatalf("status %d, want %d; body: %s", r.Code, code, r.Body)
	}
	return r
}

// expectError checks the status, the error body's shape and its code.
func (r *response) expectError(t testing.TB, status int, code string) ErrorBody {
	t.Helper()
	r.expect(t, status)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error Content-Type %q, want JSON", ct)
	}
	var raw map[string]json.RawMessage
	r.decode(t, &raw)
	for _, k := range []string{"error", "message", "code", "errors"} {
		if _, ok := raw[k]; !ok {
			t.Fatalf("error body %s lacks %q", r.Body, k)
		}
	}
	var body ErrorBody
	r.decode(t, &body)
	if body.Error != http.StatusText(status) {
		t.Errorf("error = %q, want %q", body.Error, http.StatusText(status))
	}
	if body.Message == "" {
		t.Errorf("error body has no message: %s", r.Body)
	}
	if code != "" && body.Code != code {
		t.Errorf("code = %q, want %q (message %q)", body.Code, code, body.Message)
	}
	return body
}

// expectField checks a 422 names the field with the code.
func (r *response) expectField(t testing.TB, field, code string) ErrorBody {
	t.Helper()
	body := r.expectError(t, http.StatusUnprocessableEntity, "validation.failed")
	for _, f := range body.Errors {
		if f.Field == field && (code == "" || f.Code == code) {
			return body
		}
	}
	t.Fatalf("422 does not name field %q (code %q): %s", field, code, r.Body)
	return body
}

// assertJSON compares two JSON documents for equality, ignoring layout.
func assertJSON(t testing.TB, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("expected value is not JSON: %v", err)
	}
	gb, _ := json.MarshalIndent(g, "", " ")
	wb, _ := json.MarshalIndent(w, "", " ")
	if string(gb) != string(wb) {
		t.Fatalf("JSON differs\n got: %s\nwant: %s", gb, wb)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

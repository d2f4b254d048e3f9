package api

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// probe is a request body used to exercise the one binding and error path.
type probe struct {
	Title   string  `json:"title" validate:"required,min=3,max=10"`
	Count   int64   `json:"count" validate:"gte=0"`
	Email   string  `json:"email" validate:"omitempty,email"`
	Nested  *nested `json:"nested"`
	Numbers []int   `json:"numbers"`
}

type nested struct {
	Name string `json:"name" validate:"max=3"`
}

func TestErrorShapes(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	env.srv.echo.POST("/test/probe", func(c echo.Context) error {
		var p probe
		if err := env.srv.bind(c, &p); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, p)
	})
	env.srv.echo.GET("/test/boom", func(echo.Context) error {
		return errors.New("pq: relation secret_table does not exist at 10.0.0.7")
	})
	env.srv.echo.GET("/test/panic", func(echo.Context) error { panic("secret panic detail") })

	t.Run("valid body binds, unknown fields ignored", func(t *testing.T) {
		env.call(http.MethodPost, "/test/probe", `{"title":"hello","count":2,"id":99,"whatever":[1]}`).expect(t, http.StatusOK)
	})

	badRequests := []struct {
		name, body, code string
	}{
		{"malformed", `{"title": `, "request.malformed_json"},
		{"not an object", `[1,2]`, "request.malformed_json"},
		{"garbage", `hello`, "request.malformed_json"},
		{"trailing data", `{"title":"abc"} {"x":1}`, "request.malformed_json"},
		{"empty", ``, "request.empty_body"},
		{"deep nesting", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), "request.malformed_json"},
	}
	for _, tc := range badRequests {
		t.Run(tc.name+" is 400", func(t *testing.T) {
			env.call(http.MethodPost, "/test/probe", tc.body).expectError(t, http.StatusBadRequest, tc.code)
		})
	}

	t.Run("deep object nesting is 400", func(t *testing.T) {
		body := `{"nested":` + strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20001)
		env.call(http.MethodPost, "/test/probe", body).expectError(t, http.StatusBadRequest, "request.malformed_json")
	})

	fieldCases := []struct {
		name, body, field, code string
	}{
		{"missing required", `{"count":1}`, "title", "required"},
		{"too short", `{"title":"ab"}`, "title", "min"},
		{"too long in runes", `{"title":"ééééééééééé"}`, "title", "max"},
		{"negative", `{"title":"abc","count":-1}`, "count", "gte"},
		{"bad e-mail", `{"title":"abc","email":"nope"}`, "email", "email"},
		{"nested rule", `{"title":"abc","nested":{"name":"toolong"}}`, "nested.name", "max"},
		{"string for int", `{"title":"abc","count":"1"}`, "count", "type"},
		{"int beyond int64", `{"title":"abc","count":99999999999999999999}`, "count", "type"},
		{"float for int", `{"title":"abc","count":1.5}`, "count", "type"},
		{"NUL byte", `{"title":"ab\u0000c"}`, "title", "nul_byte"},
		{"NUL in nested", `{"title":"abc","nested":{"name":"\u0000"}}`, "nested.name", "nul_byte"},
	}
	for _, tc := range fieldCases {
		t.Run(tc.name+" is 422 naming the field", func(t *testing.T) {
			env.call(http.MethodPost, "/test/probe", tc.body).expectField(t, tc.field, tc.code)
		})
	}

	t.Run("every failing field is listed", func(t *testing.T) {
		body := env.call(http.MethodPost, "/test/probe", `{"title":"a","count":-5,"email":"x"}`).expectField(t, "title", "min")
		if len(body.Errors) != 3 {
			t.Errorf("errors = %+v, want 3", body.Errors)
		}
	})

	t.Run("lone surrogates and bad UTF-8 are not a 500", func(t *testing.T) {
		r := env.call(http.MethodPost, "/test/probe", `{"title":"a\ud800bc"}`)
		if r.Code >= 500 {
			t.Fatalf("lone surrogate: %d %s", r.Code, r.Body)
		}
		r = env.call(http.MethodPost, "/test/probe", []byte("{\"title\":\"ab\xff\xfec\"}"))
		if r.Code >= 500 {
			t.Fatalf("invalid UTF-8: %d %s", r.Code, r.Body)
		}
	})

	t.Run("wrong content type is 415", func(t *testing.T) {
		env.call(http.MethodPost, "/test/probe", `title=x`, withHeader("Content-Type", "text/plain")).
			expectError(t, http.StatusUnsupportedMediaType, "request.unsupported_media_type")
	})

	t.Run("oversized body is 413", func(t *testing.T) {
		big := `{"title":"` + strings.Repeat("a", maxJSONBody) + `"}`
		env.call(http.MethodPost, "/test/probe", big).expectError(t, http.StatusRequestEntityTooLarge, "request.too_large")
	})

	t.Run("unknown path is a JSON 404", func(t *testing.T) {
		env.call(http.MethodGet, "/flicket-api/nope", nil).expectError(t, http.StatusNotFound, "route.not_found")
		env.call(http.MethodGet, "/flicket-api/nope", nil, env.as(env.admin)).expectError(t, http.StatusNotFound, "route.not_found")
	})

	t.Run("wrong method is a JSON 405", func(t *testing.T) {
		env.call(http.MethodPut, "/flicket-api/statuses/", nil, env.as(env.admin)).expectError(t, http.StatusMethodNotAllowed, "route.method_not_allowed")
		env.call(http.MethodPatch, "/flicket-api/tokens", nil).expectError(t, http.StatusMethodNotAllowed, "route.method_not_allowed")
	})

	t.Run("trailing slashes do not matter", func(t *testing.T) {
		for _, p := range []string{"/flicket-api/statuses", "/flicket-api/statuses/", "/flicket-api/status/1/", "/flicket-api/priorities/1"} {
			env.call(http.MethodGet, p, nil, env.as(env.admin)).expect(t, http.StatusOK)
		}
	})

	for _, path := range []string{"/test/boom", "/test/panic"} {
		t.Run("500 leaks nothing: "+path, func(t *testing.T) {
			r := env.call(http.MethodGet, path, nil)
			body := r.expectError(t, http.StatusInternalServerError, "internal")
			if strings.Contains(string(r.Body), "secret") || strings.Contains(string(r.Body), "10.0.0.7") {
				t.Errorf("500 body leaks internals: %s", r.Body)
			}
			if id := r.Header.Get("X-Request-Id"); id == "" || !strings.Contains(body.Message, id) {
				t.Errorf("500 message %q does not quote the request id %q", body.Message, id)
			}
		})
	}

	t.Run("a client request id is echoed", func(t *testing.T) {
		r := env.call(http.MethodGet, "/healthz", nil, withHeader("X-Request-ID", "abc-123"))
		if r.Header.Get("X-Request-Id") != "abc-123" {
			t.Errorf("X-Request-Id = %q", r.Header.Get("X-Request-Id"))
		}
		r = env.call(http.MethodGet, "/healthz", nil, withHeader("X-Request-ID", "bad id\n<script>"))
		if got := r.Header.Get("X-Request-Id"); got == "" || strings.Contains(got, "script") {
			t.Errorf("unsafe request id kept: %q", got)
		}
	})
}

package api

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// probe is a request body used to exercise the one binding and error path.
type probe struct {
	Title   string   `json:"title" validate:"required,min=3,max=10"`
	Count   int64    `json:"count" validate:"gte=0"`
	Email   string   `json:"email" validate:"omitempty,email"`
	Nested  *nested  `json:"nested"`
	Numbers []int    `json:"numbers"`
	Tags    []string `json:"tags"`
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

	// Text that is not valid Unicode is refused, never stored as U+FFFD.
	utf8Cases := []struct {
		name, body, field string
	}{
		{"raw invalid bytes", "{\"title\":\"ab\xff\xfec\"}", "title"},
		{"a lone continuation byte", "{\"title\":\"ab\x80c\"}", "title"},
		{"a truncated sequence", "{\"title\":\"abc\xc3\"}", "title"},
		{"an overlong slash", "{\"title\":\"a\xc0\xafbc\"}", "title"},
		{"an overlong three-byte NUL", "{\"title\":\"a\xe0\x80\x80bc\"}", "title"},
		{"a raw encoded surrogate", "{\"title\":\"a\xed\xa0\x80bc\"}", "title"},
		{"a lone high surrogate escape", `{"title":"a\ud800bc"}`, "title"},
		{"a lone high surrogate escape at the end", `{"title":"abc\uD83D"}`, "title"},
		{"a lone low surrogate escape", `{"title":"a\udc00bc"}`, "title"},
		{"two high surrogate escapes", `{"title":"a\ud800\ud800bc"}`, "title"},
		{"a high escape before a non-surrogate escape", `{"title":"a\ud800\u0041bc"}`, "title"},
		{"in a nested field", "{\"title\":\"abc\",\"nested\":{\"name\":\"\xff\"}}", "nested.name"},
		{"in an array", `{"title":"abc","numbers":[1,2],"tags":["ok","x\udfff"]}`, "tags[1]"},
		{"in a field the server ignores", "{\"title\":\"abc\",\"whatever\":\"\xfe\"}", "whatever"},
		{"in a field name", "{\"title\":\"abc\",\"nested\":{\"n\xffame\":\"x\"}}", "nested"},
		{"in a top-level field name", "{\"ti\xfftle\":\"abc\"}", ""},
	}
	for _, tc := range utf8Cases {
		t.Run(tc.name+" is 400", func(t *testing.T) {
			r := env.call(http.MethodPost, "/test/probe", tc.body)
			body := r.expectError(t, http.StatusBadRequest, "request.invalid_utf8")
			if tc.field == "" {
				if len(body.Errors) != 0 {
					t.Errorf("errors = %+v, want none", body.Errors)
				}
				return
			}
			if len(body.Errors) != 1 || body.Errors[0].Field != tc.field || !strings.HasPrefix(body.Message, tc.field+" ") && !strings.Contains(body.Message, " in "+tc.field+" ") {
				t.Errorf("message %q, errors %+v; want field %s named", body.Message, body.Errors, tc.field)
			}
		})
	}

	t.Run("a real route refuses bad text and stores nothing", func(t *testing.T) {
		var before int64
		testutil.Must(t, env.db.Model(&model.Ticket{}).Count(&before).Error)
		for field, body := range map[string]string{
			"title":   "{\"title\":\"Printer \xc0\xae\",\"content\":\"It is broken.\",\"category_id\":1,\"ticket_priority_id\":1}",
			"content": `{"title":"Printer","content":"It is \udead broken.","category_id":1,"ticket_priority_id":1}`,
		} {
			r := env.call(http.MethodPost, "/flicket-api/tickets", body, env.as(env.admin))
			if e := r.expectError(t, http.StatusBadRequest, "request.invalid_utf8"); len(e.Errors) != 1 || e.Errors[0].Field != field {
				t.Errorf("errors %+v, want %s", e.Errors, field)
			}
		}
		var after int64
		testutil.Must(t, env.db.Model(&model.Ticket{}).Count(&after).Error)
		if after != before {
			t.Errorf("%d tickets stored from bad text", after-before)
		}
	})

	validText := []struct{ name, body, title string }{
		{"a surrogate pair escape", `{"title":"ok \ud83d\ude00"}`, "ok 😀"},
		{"raw four-byte UTF-8", `{"title":"ok 😀"}`, "ok 😀"},
		{"an escaped backslash before u", `{"title":"a\\ud800"}`, `a\ud800`},
		{"an escaped quote", `{"title":"a\"\ud83d\ude00"}`, "a\"😀"},
		{"U+FFFD itself", `{"title":"a\ufffdb"}`, "a\ufffdb"},
	}
	for _, tc := range validText {
		t.Run(tc.name+" is accepted as is", func(t *testing.T) {
			var got probe
			env.call(http.MethodPost, "/test/probe", tc.body).expect(t, http.StatusOK).decode(t, &got)
			if got.Title != tc.title {
				t.Errorf("title %q, want %q", got.Title, tc.title)
			}
		})
	}

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

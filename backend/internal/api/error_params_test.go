package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// Error bodies carry the values their message was made with, beside the
// fields they always had, so that a client can word them in its language.
func TestErrorParams(t *testing.T) {
	env := newTestEnv(t, testutil.NewDB(t, database.SQLite))
	env.srv.echo.POST("/test/probe", func(c echo.Context) error {
		var p probe
		if err := env.srv.bind(c, &p); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, p)
	})
	asAdmin := env.as(env.admin)

	cases := []struct {
		name, method, path string
		body               any
		status             int
		want               string // the body, params and all
	}{
		{
			"a length rule", http.MethodPost, "/test/probe", `{"title":"ab"}`, http.StatusUnprocessableEntity,
			`{"error": "Unprocessable Entity", "code": "validation.failed", "message": "title must be at least 3 characters long.",
			  "errors": [{"field": "title", "code": "min", "message": "title must be at least 3 characters long.",
			              "params": {"min": 3, "unit": "characters"}}],
			  "params": {}}`,
		},
		{
			"a number rule", http.MethodPost, "/test/probe", `{"title":"abc","count":-1}`, http.StatusUnprocessableEntity,
			`{"error": "Unprocessable Entity", "code": "validation.failed", "message": "count must be 0 or more.",
			  "errors": [{"field": "count", "code": "gte", "message": "count must be 0 or more.", "params": {"min": 0}}],
			  "params": {}}`,
		},
		{
			"a rule without values", http.MethodPost, "/test/probe", `{"count":1}`, http.StatusUnprocessableEntity,
			`{"error": "Unprocessable Entity", "code": "validation.failed", "message": "title is required.",
			  "errors": [{"field": "title", "code": "required", "message": "title is required."}],
			  "params": {}}`,
		},
		{
			"a query parameter's choices", http.MethodGet, "/flicket-api/tickets/?state=maybe", nil, http.StatusBadRequest,
			`{"error": "Bad Request", "code": "request.invalid_parameter", "message": "state must be one of: open, closed.",
			  "errors": [{"field": "state", "code": "oneof", "message": "state must be one of: open, closed.",
			              "params": {"values": ["open", "closed"]}}],
			  "params": {"values": ["open", "closed"]}}`,
		},
		{
			"a duplicate name", http.MethodPost, "/flicket-api/groups", map[string]any{"group_name": "flicket_admin"}, http.StatusConflict,
			`{"error": "Conflict", "code": "group.duplicate", "message": "A group named \"flicket_admin\" already exists.",
			  "errors": [{"field": "group_name", "code": "group.duplicate", "message": "A group named \"flicket_admin\" already exists.",
			              "params": {"name": "flicket_admin"}}],
			  "params": {"name": "flicket_admin"}}`,
		},
		{
			"no mail server", http.MethodPost, "/flicket-api/config/test-email", map[string]any{"email_address": "a@example.com"}, http.StatusConflict,
			`{"error": "Conflict", "code": "mail.not_configured",
			  "message": "No mail server is configured: set mail_server in the configuration first.",
			  "errors": [], "params": {}}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := env.call(tc.method, tc.path, tc.body, asAdmin).expect(t, tc.status)
			assertJSON(t, r.Body, tc.want)
		})
	}

	t.Run("a 500 carries no params", func(t *testing.T) {
		env.srv.echo.GET("/test/boom-params", func(echo.Context) error {
			return &APIError{Status: http.StatusInternalServerError, Code: "internal", Params: map[string]any{"secret": "x"}}
		})
		var body map[string]any
		r := env.call(http.MethodGet, "/test/boom-params", nil).expect(t, http.StatusInternalServerError)
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if p, ok := body["params"].(map[string]any); !ok || len(p) != 0 {
			t.Errorf("params = %v, want {}", body["params"])
		}
	})
}

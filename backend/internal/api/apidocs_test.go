package api

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/apidocs"
	"github.com/flicket/flicket/backend/internal/model"
)

// swaggerDoc is the part of the generated Swagger document these tests read.
type swaggerDoc struct {
	Paths map[string]map[string]struct {
		Parameters []struct {
			Name string   `json:"name"`
			In   string   `json:"in"`
			Enum []string `json:"enum"`
		} `json:"parameters"`
	} `json:"paths"`
	Definitions map[string]struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
	} `json:"definitions"`
}

func loadSwagger(t *testing.T) swaggerDoc {
	t.Helper()
	var doc swaggerDoc
	if err := json.Unmarshal([]byte(apidocs.SwaggerInfo.ReadDoc()), &doc); err != nil {
		t.Fatalf("generated swagger document: %v", err)
	}
	return doc
}

var pathParam = regexp.MustCompile(`:(\w+)`)

// The SPA's types come from the generated document, so a path-paged variant
// (/tickets/{page}/) needs its own entry there, not only its list's
// (TestSwaggerDocumentsEveryRoute accepts either).
func TestAPIDocsDescribePathPagedVariants(t *testing.T) {
	doc := loadSwagger(t)
	for _, r := range (&Server{}).apiRoutes() {
		if !strings.HasSuffix(r.path, "/:page") {
			continue
		}
		p := "/flicket-api" + pathParam.ReplaceAllString(r.path, "{$1}")
		m := strings.ToLower(r.method)
		_, bare := doc.Paths[p][m]
		_, slash := doc.Paths[p+"/"][m]
		if !bare && !slash {
			t.Errorf("%s %s is not in api-docs (run make api-docs after annotating it)", r.method, p)
		}
	}
}

// The enums the SPA builds its sort menu and filters from must be the ones
// the server accepts.
func TestAPIDocsEnums(t *testing.T) {
	doc := loadSwagger(t)
	enum := func(path, param string) []string {
		for _, p := range doc.Paths[path]["get"].Parameters {
			if p.Name == param {
				return p.Enum
			}
		}
		t.Fatalf("%s has no parameter %s", path, param)
		return nil
	}
	for _, path := range []string{"/flicket-api/tickets/", "/flicket-api/tickets/{page}/", "/flicket-api/tickets/export.csv"} {
		if got, want := enum(path, "sort"), model.TicketSortKeys(); !slices.Equal(got, want) {
			t.Errorf("%s sort enum = %v, want %v", path, got, want)
		}
		if got := enum(path, "state"); !slices.Equal(got, []string{model.StateOpen, model.StateClosed}) {
			t.Errorf("%s state enum = %v", path, got)
		}
	}
	if got := enum("/flicket-api/mail/outbox", "status"); !slices.Equal(got, []string{"pending", "sent", "suppressed", "failed"}) {
		t.Errorf("outbox status enum = %v", got)
	}
}

// Response fields the API always sends are required in the document, so the
// generated TypeScript types do not make them optional.
func TestAPIDocsRequiredFields(t *testing.T) {
	doc := loadSwagger(t)
	for name, want := range map[string][]string{
		"Ticket":              {"assigned_id", "assigned_to", "id", "links", "status_id", "title"},
		"Post":                {"date_modified", "uploads", "user", "user_id"},
		"api.Envelope-Ticket": {"_links", "_meta", "items"},
		"User":                {"id", "username", "is_admin"},
	} {
		def, ok := doc.Definitions[name]
		if !ok {
			t.Fatalf("no definition %s", name)
		}
		for _, f := range want {
			if !slices.Contains(def.Required, f) {
				t.Errorf("%s.%s is not required", name, f)
			}
		}
	}
	// Present only for an admin or oneself: optional.
	if slices.Contains(doc.Definitions["User"].Required, "groups") {
		t.Error("User.groups is required, but only admins and the user see it")
	}
	// A PATCH body is all optional.
	for _, name := range []string{"TicketUpdate", "UpdatePostRequest", "UserUpdateRequest", "MeUpdateRequest", "ConfigUpdateRequest", "CategoryUpdateRequest"} {
		if req := doc.Definitions[name].Required; len(req) > 0 {
			t.Errorf("%s requires %v", name, req)
		}
	}
	var assigned struct {
		Nullable bool `json:"x-nullable"`
	}
	if err := json.Unmarshal(doc.Definitions["Ticket"].Properties["assigned_id"], &assigned); err != nil || !assigned.Nullable {
		t.Errorf("Ticket.assigned_id is not nullable (%v)", err)
	}
}

// Schema names and their fields are public: clients generated from the spec
// refer to them by name. testdata/published-schemas.json lists every schema
// and field published so far; a new one may be added (and appended to the
// file), none may vanish or be renamed.
func TestAPIDocsKeepPublishedSchemas(t *testing.T) {
	raw, err := os.ReadFile("testdata/published-schemas.json")
	if err != nil {
		t.Fatal(err)
	}
	var published map[string][]string
	if err := json.Unmarshal(raw, &published); err != nil {
		t.Fatal(err)
	}
	doc := loadSwagger(t)
	for name, fields := range published {
		def, ok := doc.Definitions[name]
		if !ok {
			t.Errorf("schema %s was published and is gone from api-docs (renamed? keep its @name)", name)
			continue
		}
		for _, f := range fields {
			if _, ok := def.Properties[f]; !ok {
				t.Errorf("schema %s lost its published field %q", name, f)
			}
		}
	}
}

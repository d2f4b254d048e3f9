package errcodes

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// The list the web app's translations are checked against is the one the
// source gives: a new code without `make api-docs` fails here.
func TestListIsCurrent(t *testing.T) {
	got, err := Collect("../..")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../../api-docs/error-codes.json")
	if err != nil {
		t.Fatal(err)
	}
	var listed Codes
	if err := json.Unmarshal(raw, &listed); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Codes, listed.Codes) || !slices.Equal(got.FieldCodes, listed.FieldCodes) {
		t.Fatalf("api-docs/error-codes.json is stale: run make api-docs\nsource: %v\n%v\nlisted: %v\n%v",
			got.Codes, got.FieldCodes, listed.Codes, listed.FieldCodes)
	}
}

// The collector finds codes of every kind of source it reads.
func TestCollectFindsEachKind(t *testing.T) {
	got, err := Collect("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{
		"group.duplicate",           // model.Conflict
		"mail.not_configured",       // errConflict
		"auth.invalid_credentials",  // errUnauthorized
		"request.invalid_header",    // APIError literal
		"route.not_found",           // e.Code, e.Message = ...
		"validation.failed",         // implied by errField
		"request.invalid_parameter", // implied by errQuery
		"not_found",                 // newError in errNotFound
	} {
		if !slices.Contains(got.Codes, c) {
			t.Errorf("code %q not found", c)
		}
	}
	for _, c := range []string{
		"min", "oneof", "email", // validate tags
		"dimensions",      // errField
		"no_words",        // errQuery
		"group.duplicate", // model.Conflict with a field
		"invalid_utf8",    // FieldError literal
		"host_unknown",    // mail.Fail* constants
	} {
		if !slices.Contains(got.FieldCodes, c) {
			t.Errorf("field code %q not found", c)
		}
	}
}

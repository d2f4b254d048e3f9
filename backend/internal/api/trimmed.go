package api

import (
	"encoding/json"
	"strings"
)

// trimmed is a JSON string with surrounding white space removed as it is
// decoded, so that length rules (validate tags) apply to what is stored:
// "  IT  " is the two-letter name "IT".
type trimmed string

// UnmarshalJSON decodes a string and trims it.
func (t *trimmed) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		// Returned as is: the decoder adds the field name only to a bare
		// *json.UnmarshalTypeError, and bind reports that name in the 422.
		return err //nolint:wrapcheck
	}
	*t = trimmed(strings.TrimSpace(s))
	return nil
}

// ptr converts an optional trimmed field to an optional string.
func (t *trimmed) ptr() *string {
	if t == nil {
		return nil
	}
	s := string(*t)
	return &s
}

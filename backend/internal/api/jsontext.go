package api

import (
	"fmt"
	"net/http"

	"github.com/flicket/flicket/backend/internal/jsontext"
	"github.com/flicket/flicket/backend/internal/model"
)

// checkText refuses a JSON body that is not valid Unicode text (see
// jsontext): a 400 naming the field when it can.
func checkText(body []byte) error {
	p := jsontext.Check(body)
	if p == nil {
		return nil
	}
	var msg string
	switch {
	case p.InKey && p.Path != "":
		msg = fmt.Sprintf("A field name in %s holds %s (at byte %d).", p.Path, p.What, p.Offset)
	case p.InKey || p.Path == "":
		msg = fmt.Sprintf("The body holds %s (at byte %d).", p.What, p.Offset)
	default:
		msg = fmt.Sprintf("%s holds %s (at byte %d).", p.Path, p.What, p.Offset)
	}
	msg += " Send text as UTF-8."
	e := &APIError{Status: http.StatusBadRequest, Code: "request.invalid_utf8", Message: msg}
	if p.Path != "" {
		e.Fields = []model.FieldError{{Field: p.Path, Code: "invalid_utf8", Message: msg}}
	}
	return e
}

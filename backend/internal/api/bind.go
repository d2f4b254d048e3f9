package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// maxJSONBody caps every JSON request body.
const maxJSONBody = 1 << 20

// newValidator builds the validator used for every request body; fields are
// named by their JSON names in errors.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	// notblank-like check that also refuses strings of only spaces.
	_ = v.RegisterValidation("nonblank", func(fl validator.FieldLevel) bool {
		return strings.TrimSpace(fl.Field().String()) != ""
	})
	// bcrypt reads at most 72 bytes; refuse longer passwords instead of
	// silently ignoring the rest.
	_ = v.RegisterValidation("pwbytes", func(fl validator.FieldLevel) bool {
		return len(fl.Field().String()) <= 72
	})
	return v
}

// bind decodes a JSON body into dst and validates it. Unknown fields are
// ignored; malformed JSON is a 400, a wrong type or a failed rule is a 422
// naming the field.
func (s *Server) bind(c echo.Context, dst any) error {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
			return newError(http.StatusUnsupportedMediaType, "request.unsupported_media_type",
				"Send the body as application/json (got %q).", ct)
		}
	}
	if err := decodeJSON(http.MaxBytesReader(c.Response(), req.Body, maxJSONBody), dst); err != nil {
		return err
	}
	if field := findNUL(reflect.ValueOf(dst), ""); field != "" {
		return errField(field, "nul_byte", "%s must not contain NUL characters.", field)
	}
	return s.validate(dst)
}

// decodeJSON reads one JSON value of valid UTF-8 text from r into dst;
// its errors are API errors.
func decodeJSON(r io.Reader, dst any) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return decodeError(err)
		}
		// The client hung up or sent a broken body: its fault, not a 500.
		e := errBadRequest("request.unreadable_body", "The request body could not be read to its end.")
		e.Cause = err
		return e
	}
	if err := checkText(raw); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errBadRequest("request.malformed_json", "The body must hold exactly one JSON object.")
	}
	return nil
}

// validate runs the struct's validate tags.
func (s *Server) validate(dst any) error {
	err := s.validator.Struct(dst)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return fmt.Errorf("validate: %w", err)
	}
	fields := make([]model.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		name := fieldPath(fe)
		fields = append(fields, model.FieldError{Field: name, Code: fe.Tag(), Message: ruleMessage(name, fe), Params: ruleParams(fe)})
	}
	return &APIError{
		Status: http.StatusUnprocessableEntity, Code: "validation.failed",
		Message: fields[0].Message, Fields: fields,
	}
}

// fieldPath drops the struct name from the namespace: "body.user.name" → "user.name".
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

// ruleMessage writes one sentence for a failed rule.
func ruleMessage(field string, fe validator.FieldError) string {
	p := fe.Param()
	isString := fe.Kind() == reflect.String
	switch fe.Tag() {
	case "required", "nonblank":
		return field + " is required."
	case "min":
		if isString {
			return fmt.Sprintf("%s must be at least %s characters long.", field, p)
		}
		return fmt.Sprintf("%s must be at least %s.", field, p)
	case "max":
		if isString {
			return fmt.Sprintf("%s must be at most %s characters long.", field, p)
		}
		return fmt.Sprintf("%s must be at most %s.", field, p)
	case "gte":
		return fmt.Sprintf("%s must be %s or more.", field, p)
	case "lte":
		return fmt.Sprintf("%s must be %s or less.", field, p)
	case "gt":
		return fmt.Sprintf("%s must be more than %s.", field, p)
	case "email":
		return field + " must be a valid e-mail address."
	case "oneof":
		return fmt.Sprintf("%s must be one of: %s.", field, strings.ReplaceAll(p, " ", ", "))
	case "url", "http_url":
		return field + " must be an absolute http(s) URL."
	case "pwbytes":
		return field + " must be at most 72 bytes long."
	default:
		return fmt.Sprintf("%s is invalid (%s).", field, fe.Tag())
	}
}

// ruleParams are the values of a failed rule, for clients that word the
// message themselves: {"min": 3, "unit": "characters"}, {"values": [...]}.
func ruleParams(fe validator.FieldError) map[string]any {
	var n any = fe.Param()
	if i, err := strconv.ParseInt(fe.Param(), 10, 64); err == nil {
		n = i
	}
	p := map[string]any{}
	if fe.Kind() == reflect.String {
		p["unit"] = "characters" // a length, not a value
	}
	switch fe.Tag() {
	case "min", "gte":
		p["min"] = n
	case "max", "lte":
		p["max"] = n
	case "gt":
		p["than"] = n
	case "oneof":
		return map[string]any{"values": strings.Fields(fe.Param())}
	case "pwbytes":
		return map[string]any{"max": 72, "unit": "bytes"}
	default:
		return nil
	}
	return p
}

// decodeError turns a json decoding failure into a 400 or a 422.
func decodeError(err error) error {
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var maxErr *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return errBadRequest("request.empty_body", "The request body is empty; send a JSON object.")
	case errors.As(err, &maxErr):
		return newError(http.StatusRequestEntityTooLarge, "request.too_large", "The request body is larger than %d bytes.", maxErr.Limit).
			with(map[string]any{"max_bytes": maxErr.Limit})
	case errors.As(err, &syntaxErr):
		return errBadRequest("request.malformed_json", "The body is not valid JSON (error at byte %d).", syntaxErr.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errBadRequest("request.malformed_json", "The body is not valid JSON (it ends too early).")
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return errBadRequest("request.malformed_json", "The body must be a JSON object.")
		}
		return errField(typeErr.Field, "type", "%s must be %s.", typeErr.Field, describeType(typeErr))
	default:
		// Nesting deeper than the decoder allows, invalid escapes, etc.
		return errBadRequest("request.malformed_json", "The body is not valid JSON.")
	}
}

func describeType(e *json.UnmarshalTypeError) string {
	t := e.Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if e.Value == "number" || strings.HasPrefix(e.Value, "number ") {
			return "a whole number within range"
		}
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "an object"
	}
}

// findNUL returns the JSON name of the first string field holding a NUL byte:
// PostgreSQL refuses them in text, and they are never legitimate input.
func findNUL(v reflect.Value, prefix string) string {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		if strings.IndexByte(v.String(), 0) >= 0 {
			return prefix
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			if prefix != "" {
				name = prefix + "." + name
			}
			if got := findNUL(v.Field(i), name); got != "" {
				return got
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if got := findNUL(v.Index(i), prefix+"["+strconv.Itoa(i)+"]"); got != "" {
				return got
			}
		}
	}
	return ""
}

// pathID reads a positive int64 path parameter. Anything else (letters,
// overflow, zero) names no resource, so it is a 404.
func pathID(c echo.Context, name, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id < 1 {
		return 0, errNotFound(what)
	}
	return id, nil
}

// queryIDInto reads an optional positive int64 query parameter into *dst
// (left nil when the parameter is absent).
func queryIDInto(c echo.Context, name string, dst **int64) error {
	id, ok, err := queryID(c, name)
	if ok {
		*dst = &id
	}
	return err
}

// queryID reads an optional positive int64 query parameter.
func queryID(c echo.Context, name string) (int64, bool, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return 0, false, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return 0, false, errQuery(name, "integer", "%s must be a positive whole number.", name)
	}
	return id, true, nil
}

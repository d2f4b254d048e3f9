package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
)

// ErrorBody is every error response. "error" is the HTTP reason phrase, as the
// original Flicket sends it; the rest is ours: a sentence, a stable code and
// the fields at fault.
type ErrorBody struct {
	Error   string             `json:"error" example:"Unprocessable Entity"`
	Message string             `json:"message" example:"title must be at least 3 characters long."`
	Code    string             `json:"code" example:"validation.failed"`
	Errors  []model.FieldError `json:"errors"`
	// Params are the values message was made with, by name (e.g. {"name":
	// "IT"} for group.duplicate), so that a client can word the error in
	// its own language from code and params; {} when it needs none. Each
	// field error carries its own.
	Params map[string]any `json:"params"`
} // @name Error

// APIError is an error that knows its HTTP response.
type APIError struct {
	Status  int
	Code    string
	Message string
	Fields  []model.FieldError
	// Params are the values Message was made with (see ErrorBody.Params).
	Params map[string]any
	// Header is added to the response (e.g. WWW-Authenticate).
	Header map[string]string
	// Cause is logged, never sent.
	Cause error
}

func (e *APIError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%d %s: %s: %v", e.Status, e.Code, e.Message, e.Cause)
	}
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

func (e *APIError) Unwrap() error { return e.Cause }

// with sets the values the message was made with, on the error and on its
// one field error, if it has one.
func (e *APIError) with(params map[string]any) *APIError {
	e.Params = params
	if len(e.Fields) == 1 {
		e.Fields[0].Params = params
	}
	return e
}

func newError(status int, code, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func errBadRequest(code, format string, args ...any) *APIError {
	return newError(http.StatusBadRequest, code, format, args...)
}

func errNotFound(what string) *APIError {
	return newError(http.StatusNotFound, "not_found", "%s was not found.", what)
}

func errForbidden(format string, args ...any) *APIError {
	return newError(http.StatusForbidden, "forbidden", format, args...)
}

func errConflict(code, format string, args ...any) *APIError {
	return newError(http.StatusConflict, code, format, args...)
}

// errField is a 422 naming one field.
func errField(field, code, format string, args ...any) *APIError {
	msg := fmt.Sprintf(format, args...)
	return &APIError{
		Status: http.StatusUnprocessableEntity, Code: "validation.failed", Message: msg,
		Fields: []model.FieldError{{Field: field, Code: code, Message: msg}},
	}
}

// errQuery is a 400 naming one bad query or path parameter.
func errQuery(field, code, format string, args ...any) *APIError {
	msg := fmt.Sprintf(format, args...)
	return &APIError{
		Status: http.StatusBadRequest, Code: "request.invalid_parameter", Message: msg,
		Fields: []model.FieldError{{Field: field, Code: code, Message: msg}},
	}
}

// toAPIError maps any error a handler returns to its response.
func toAPIError(err error) *APIError {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return fromEchoError(he)
	}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return &APIError{Status: http.StatusUnprocessableEntity, Code: "validation.failed", Message: ve.Error(), Fields: ve.Fields}
	}
	var fe *model.ForbiddenError
	if errors.As(err, &fe) {
		return errForbidden("%s", fe.Reason)
	}
	var ce *model.ConflictError
	if errors.As(err, &ce) {
		e := errConflict(ce.Code, "%s", ce.Reason)
		if ce.Field != "" {
			e.Fields = []model.FieldError{{Field: ce.Field, Code: ce.Code, Message: ce.Reason}}
		}
		return e.with(ce.Params)
	}
	if errors.Is(err, model.ErrSearchNotReady) {
		e := newError(http.StatusServiceUnavailable, "search.not_ready",
			"The search index is being built; search is unavailable until `flicket search reindex` has finished. Lists without q work.")
		e.Header = map[string]string{"Retry-After": "60"}
		return e
	}
	if errors.Is(err, model.ErrNotFound) || errors.Is(err, gorm.ErrRecordNotFound) {
		return errNotFound("The requested resource")
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return errConflict("conflict.duplicate", "This would duplicate an existing record.")
	}
	if model.IsForeignKeyViolation(err) {
		return errConflict("conflict.in_use", "The record is referenced by others, or refers to one that does not exist.")
	}
	if model.IsUnavailable(err) {
		return errUnavailable(err)
	}
	return &APIError{Status: http.StatusInternalServerError, Code: "internal", Cause: err}
}

// retryAfterSeconds is what a client is told to wait while the database is
// unreachable: about what a restart takes.
const retryAfterSeconds = "5"

// errUnavailable is the 503 for a database that cannot be reached.
func errUnavailable(cause error) *APIError {
	return &APIError{
		Status: http.StatusServiceUnavailable, Code: "database.unavailable",
		Message: "The database cannot be reached at the moment; try again in a few seconds.",
		Header:  map[string]string{"Retry-After": retryAfterSeconds}, Cause: cause,
	}
}

// statusClientClosed is logged for a request whose client hung up before the
// answer (nginx's 499); nobody is left to read it.
const statusClientClosed = 499

func fromEchoError(he *echo.HTTPError) *APIError {
	e := &APIError{Status: he.Code, Cause: he.Internal}
	switch he.Code {
	case http.StatusNotFound:
		e.Code, e.Message = "route.not_found", "No API endpoint matches this path."
	case http.StatusMethodNotAllowed:
		e.Code, e.Message = "route.method_not_allowed", "This endpoint does not accept that HTTP method."
	case http.StatusRequestEntityTooLarge:
		e.Code, e.Message = "request.too_large", "The request body is too large."
	case http.StatusUnsupportedMediaType:
		e.Code, e.Message = "request.unsupported_media_type", "Send the body as application/json."
	case http.StatusUnauthorized:
		e.Code, e.Message = "auth.unauthorized", "Authentication is required."
	case http.StatusForbidden:
		e.Code, e.Message = "forbidden", "You may not do this."
	case http.StatusTooManyRequests:
		e.Code, e.Message = "request.rate_limited", "Too many requests; try again later."
	case http.StatusServiceUnavailable:
		e.Code, e.Message = "unavailable", "The service is unavailable."
	default:
		e.Code = strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), " ", "_"))
		e.Message = fmt.Sprint(he.Message)
	}
	return e
}

// handleError is Echo's HTTPErrorHandler: the only place error responses are
// written.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	log := requestLogger(c, s.log)
	ctx := c.Request().Context()
	var deliberate *APIError
	if !errors.As(err, &deliberate) && ctx.Err() != nil &&
		(model.IsCanceled(err) || model.IsUnavailable(err)) {
		// The client hung up: the work stopped because of it, not because
		// anything failed. Whatever the driver made of the cancellation, it
		// is neither an error to log nor a 500.
		log.DebugContext(ctx, "client went away", "err", err)
		c.Response().WriteHeader(statusClientClosed)
		return
	}
	e := toAPIError(err)
	// A 500 hides its message; a deliberate other 5xx (502 mail.send_failed)
	// tells the client what went wrong.
	if e.Status == http.StatusInternalServerError {
		log.ErrorContext(ctx, "request failed", "status", e.Status, "err", err)
		e.Message = fmt.Sprintf("An unexpected error occurred. Quote request id %s when reporting it.", requestID(c))
		e.Fields = nil
	} else if e.Status > 500 {
		log.WarnContext(ctx, "request failed", "status", e.Status, "code", e.Code, "err", err)
	} else if e.Cause != nil {
		log.DebugContext(ctx, "request refused", "status", e.Status, "code", e.Code, "err", e.Cause)
	}
	for k, v := range e.Header {
		c.Response().Header().Set(k, v)
	}
	fields := e.Fields
	if fields == nil {
		fields = []model.FieldError{}
	}
	params := e.Params
	if params == nil || e.Status == http.StatusInternalServerError {
		params = map[string]any{}
	}
	body := ErrorBody{Error: http.StatusText(e.Status), Message: e.Message, Code: e.Code, Errors: fields, Params: params}
	if c.Request().Method == http.MethodHead {
		err = c.NoContent(e.Status)
	} else {
		err = c.JSON(e.Status, body)
	}
	if err != nil {
		log.ErrorContext(ctx, "write error response", "err", err)
	}
}

// notFoundAs names the missing resource in a 404, and passes other errors on.
func notFoundAs(err error, what string) error {
	if errors.Is(err, model.ErrNotFound) {
		return errNotFound(what)
	}
	return err
}

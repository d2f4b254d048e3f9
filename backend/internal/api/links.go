package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// apiPrefix is where the API lives, as in the original.
const apiPrefix = "/flicket-api"

// baseURL is the absolute root every link starts with: FLICKET_BASE_URL, else
// the config row's base_url, else the scheme and host of the request.
func (s *Server) baseURL(c echo.Context) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL
	}
	if st, err := s.settings.Get(c.Request().Context()); err == nil && st.BaseURL != "" {
		return strings.TrimRight(st.BaseURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// linker builds absolute API links for one request.
type linker struct{ base string }

func (s *Server) links(c echo.Context) linker {
	return linker{base: s.baseURL(c) + apiPrefix}
}

// to formats a path under /flicket-api. The common case, one %d and an
// int64, skips fmt: lists build ten links per row.
func (l linker) to(format string, args ...any) string {
	switch len(args) {
	case 0:
		return l.base + format
	case 1:
		if id, ok := args[0].(int64); ok {
			if i := strings.Index(format, "%d"); i >= 0 && !strings.Contains(format[i+2:], "%") {
				return l.base + format[:i] + strconv.FormatInt(id, 10) + format[i+2:]
			}
		}
	}
	return l.base + fmt.Sprintf(format, args...)
}

// opt formats a link to an optional id: null when there is none.
func (l linker) opt(format string, id *int64) *string {
	if id == nil {
		return nil
	}
	s := l.to(format, *id)
	return &s
}

// list describes a list endpoint for its envelope links.
func (l linker) list(path string, style pageStyle, c echo.Context, keep ...string) lister {
	return lister{base: l.base, path: path, style: style, keep: keepQuery(c, keep...)}
}

// Time is a timestamp in the original's RFC 1123 form, always true UTC:
// "Tue, 26 Nov 2024 18:13:01 GMT".
type Time struct{ time.Time }

// MarshalJSON writes the RFC 1123 string, in one allocation (three per row
// of a list before).
func (t Time) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, len(http.TimeFormat)+2)
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, http.TimeFormat)
	return append(b, '"'), nil
}

// apiTime converts a non-null timestamp.
func apiTime(t time.Time) Time { return Time{t} }

// apiTimePtr converts a nullable timestamp.
func apiTimePtr(t *time.Time) *Time {
	if t == nil {
		return nil
	}
	return &Time{*t}
}

// UnmarshalJSON reads the RFC 1123 string back.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	parsed, err := time.Parse(http.TimeFormat, s)
	if err != nil {
		return fmt.Errorf("time %q: %w", s, err)
	}
	t.Time = parsed
	return nil
}

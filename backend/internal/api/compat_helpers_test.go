package api

import (
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Helpers for compat_test.go: reading the original Flicket's captured HTTP
// exchanges (testdata/oracle) and comparing our answers with them.

// oracleDir holds the captures, copied from the shared docs so the
// repository is self-contained.
const oracleDir = "testdata/oracle"

// capture is one exchange with the original Flicket.
type capture struct {
	Name      string      // file name without .txt, e.g. "06_get_users"
	Method    string      // request method
	Target    string      // request path and query
	ReqHeader http.Header // request headers, credentials shown as "<redacted>"
	ReqBody   *string     // request body, nil when none was sent
	Notes     []string    // the recorder's remarks
	Status    int         // response status
	Header    http.Header // response headers
	Body      string      // response body (HTML bodies are cut short)
	JSON      any         // the body decoded, nil unless it is JSON
}

// loadCaptures reads every capture, in file-name (recording) order.
func loadCaptures(t *testing.T) []*capture {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(oracleDir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no captures in %s: %v", oracleDir, err)
	}
	sort.Strings(paths)
	out := make([]*capture, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c, err := parseCapture(strings.TrimSuffix(filepath.Base(p), ".txt"), string(data))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, c)
	}
	return out
}

// parseCapture reads the recorder's format: "# request: METHOD TARGET",
// "# request-header: K: V", "# request-body: ...", "# note: ...",
// "# raw body: ...", then the status line, the response headers, a blank
// line and the body.
func parseCapture(name, text string) (*capture, error) {
	c := &capture{Name: name, ReqHeader: http.Header{}, Header: http.Header{}}
	lines := strings.Split(text, "\n")
	i := 0
	for ; i < len(lines) && strings.HasPrefix(lines[i], "# "); i++ {
		key, val, ok := strings.Cut(strings.TrimPrefix(lines[i], "# "), ": ")
		if !ok {
			return nil, fmt.Errorf("line %d: %q", i+1, lines[i])
		}
		switch key {
		case "request":
			c.Method, c.Target, _ = strings.Cut(val, " ")
		case "request-header":
			k, v, _ := strings.Cut(val, ": ")
			c.ReqHeader.Add(k, v)
		case "request-body":
			body := val
			c.ReqBody = &body
		case "note":
			c.Notes = append(c.Notes, val)
		case "raw body":
		default:
			return nil, fmt.Errorf("line %d: unknown directive %q", i+1, key)
		}
	}
	if c.Method == "" || !strings.HasPrefix(c.Target, "/flicket-api/") {
		return nil, fmt.Errorf("no '# request: METHOD /flicket-api/...' line")
	}
	if i >= len(lines) {
		return nil, fmt.Errorf("no status line")
	}
	fields := strings.Fields(lines[i])
	if len(fields) < 2 || !strings.HasPrefix(fields[0], "HTTP/") {
		return nil, fmt.Errorf("bad status line %q", lines[i])
	}
	status, err := strconv.Atoi(fields[1])
	if err != nil {
		return nil, fmt.Errorf("bad status line %q", lines[i])
	}
	c.Status = status
	for i++; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
		k, v, ok := strings.Cut(lines[i], ": ")
		if !ok {
			return nil, fmt.Errorf("bad header line %q", lines[i])
		}
		c.Header.Add(k, v)
	}
	if i < len(lines) {
		c.Body = strings.TrimSpace(strings.Join(lines[i+1:], "\n"))
	}
	if mt, _, _ := mime.ParseMediaType(c.Header.Get("Content-Type")); mt == "application/json" && c.Body != "" {
		if err := json.Unmarshal([]byte(c.Body), &c.JSON); err != nil {
			return nil, fmt.Errorf("JSON body: %w", err)
		}
	}
	return c, nil
}

// isEnvelope says whether a decoded body is an items/_meta/_links list.
func isEnvelope(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, items := m["items"]
	_, meta := m["_meta"]
	_, links := m["_links"]
	return items && meta && links
}

// trimMarker matches the recorder's stand-in for the items it left out.
var trimMarker = regexp.MustCompile(`^\.\.\.\[\d+ more items trimmed\]$`)

func isTrimMarker(v any) bool {
	s, ok := v.(string)
	return ok && trimMarker.MatchString(s)
}

// explicitItems are the items a capture shows, without the trim marker.
func explicitItems(v any) []any {
	m, _ := v.(map[string]any)
	items, _ := m["items"].([]any)
	out := make([]any, 0, len(items))
	for _, it := range items {
		if !isTrimMarker(it) {
			out = append(out, it)
		}
	}
	return out
}

// jsonType names a decoded JSON value's type.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// shapeChecker compares our JSON with the original's. Every key of the
// original must be in ours at the same place with the same JSON type (where
// the original has null, anything goes; an integer must stay an integer);
// our objects may have more keys. Strings under "links"/"_links" are links
// and must be built the same way (see compareLink). Arrays are compared item
// by item as far as both go: how many items there are is the envelope
// check's business.
type shapeChecker struct {
	// filters are the query parameters of the request we sent: our links
	// keep them where the original dropped them.
	filters url.Values
	errs    []string
	checked int // values compared, so that a vacuous comparison shows
}

func (sc *shapeChecker) failf(format string, args ...any) {
	sc.errs = append(sc.errs, fmt.Sprintf(format, args...))
}

// compare walks the original's value at the path at; inLinks says it is a
// "links" object or one of its members.
func (sc *shapeChecker) compare(at string, orig, ours any, inLinks bool) {
	sc.checked++
	switch o := orig.(type) {
	case nil:
		return
	case map[string]any:
		m, ok := ours.(map[string]any)
		if !ok {
			sc.failf("%s: %s, the original has an object", at, jsonType(ours))
			return
		}
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v, present := m[k]
			if !present {
				sc.failf("%s.%s: missing (the original has %s)", at, k, jsonType(o[k]))
				continue
			}
			if at == "$" && k == "_links" {
				// A list's links: whether there is a next or previous page depends
				// on how many rows each side has, so checkEnvelope decides it from
				// our _meta and compares each of our links with the original's self.
				continue
			}
			sc.compare(at+"."+k, o[k], v, inLinks || k == "links" || k == "_links")
		}
	case []any:
		a, ok := ours.([]any)
		if !ok {
			sc.failf("%s: %s, the original has an array", at, jsonType(ours))
			return
		}
		j := 0
		for _, el := range o {
			if isTrimMarker(el) {
				continue
			}
			if j >= len(a) {
				break
			}
			sc.compare(fmt.Sprintf("%s[%d]", at, j), el, a[j], false)
			j++
		}
	case string:
		s, ok := ours.(string)
		if !ok {
			sc.failf("%s: %s, the original has a string", at, jsonType(ours))
			return
		}
		switch {
		case inLinks:
			sc.compareLink(at, o, s)
		case isHTTPDate(o) && !isHTTPDate(s):
			// Clients parse the original's RFC 1123 dates.
			sc.failf("%s: %q is not a date like the original's %q", at, s, o)
		case isAbsURL(o) && !isAbsURL(s):
			sc.failf("%s: %q is not an absolute URL like the original's %q", at, s, o)
		}
	case float64:
		n, ok := ours.(float64)
		if !ok {
			sc.failf("%s: %s, the original has a number", at, jsonType(ours))
			return
		}
		if o == math.Trunc(o) && n != math.Trunc(n) {
			sc.failf("%s: %v is not an integer like the original's %v", at, n, o)
		}
	case bool:
		if _, ok := ours.(bool); !ok {
			sc.failf("%s: %s, the original has a boolean", at, jsonType(ours))
		}
	default:
		sc.failf("%s: unexpected %T in the capture", at, orig)
	}
}

func isHTTPDate(s string) bool {
	_, err := time.Parse(http.TimeFormat, s)
	return err == nil
}

func isAbsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

var numericSegment = regexp.MustCompile(`^[0-9]+$`)

// pathPattern replaces the numbers in a path by {n}: links are compared by
// shape since our ids and page numbers differ from the capture's.
func pathPattern(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if numericSegment.MatchString(s) {
			segs[i] = "{n}"
		}
	}
	return strings.Join(segs, "/")
}

// compareLink checks that our link is absolute, under our API base, and has
// the original's path pattern (numbers aside, trailing slash included) and
// query parameter names. Ours may add a parameter only if it is a filter of
// the request: we keep filters in links where the original dropped some.
func (sc *shapeChecker) compareLink(at, orig, ours string) {
	ou, err := url.Parse(orig)
	if err != nil {
		sc.failf("%s: capture link %q: %v", at, orig, err)
		return
	}
	uu, err := url.Parse(ours)
	if err != nil || !uu.IsAbs() || uu.Host == "" || !strings.HasPrefix(ours, testBase+"/") {
		sc.failf("%s: %q is not an absolute link under %s", at, ours, testBase)
		return
	}
	if pathPattern(uu.Path) != pathPattern(ou.Path) {
		sc.failf("%s: path %s, the original's is %s (%q vs %q)", at, pathPattern(uu.Path), pathPattern(ou.Path), ours, orig)
	}
	oq, uq := ou.Query(), uu.Query()
	for k := range oq {
		if _, ok := uq[k]; !ok {
			sc.failf("%s: %q lacks the original's query parameter %q (%q)", at, ours, k, orig)
		}
	}
	for k := range uq {
		if _, ok := oq[k]; !ok && sc.filters.Get(k) == "" {
			sc.failf("%s: %q has query parameter %q that the original (%q) and the request lack", at, ours, k, orig)
		}
	}
}

// collectLinks gathers every string under a "links" or "_links" key.
func collectLinks(v any, inLinks bool, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			collectLinks(e, inLinks || k == "links" || k == "_links", out)
		}
	case []any:
		for _, e := range x {
			collectLinks(e, false, out)
		}
	case string:
		if inLinks {
			out[x] = true
		}
	}
}

// ourEnvelope is our list answer, decoded for the arithmetic.
type ourEnvelope struct {
	Links struct {
		Next *string `json:"next"`
		Prev *string `json:"prev"`
		Self string  `json:"self"`
	} `json:"_links"`
	Meta struct {
		Page       int   `json:"page"`
		PerPage    int   `json:"per_page"`
		TotalItems int64 `json:"total_items"`
		TotalPages int64 `json:"total_pages"`
	} `json:"_meta"`
	Items []json.RawMessage `json:"items"`
}

// linkPage reads the page and per_page a list link asks for: ?page= on
// query-paged lists, the last number of the path on path-paged ones.
func linkPage(link string) (page, perPage int, err error) {
	u, err := url.Parse(link)
	if err != nil {
		return 0, 0, err
	}
	q := u.Query()
	if perPage, err = strconv.Atoi(q.Get("per_page")); err != nil {
		return 0, 0, fmt.Errorf("per_page in %q: %w", link, err)
	}
	if raw := q.Get("page"); raw != "" {
		page, err = strconv.Atoi(raw)
		return page, perPage, err
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	page, err = strconv.Atoi(segs[len(segs)-1])
	if err != nil {
		return 0, 0, fmt.Errorf("no page in %q", link)
	}
	return page, perPage, nil
}

// checkEnvelope checks our list's arithmetic: total_pages from total_items,
// the number of items on the page, self/next/prev pointing to this page and
// its neighbours (null exactly at the ends), and every one of these links
// built like the original's self link.
func checkEnvelope(sc *shapeChecker, body []byte, origSelf string) ourEnvelope {
	var env ourEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		sc.failf("envelope: %v", err)
		return env
	}
	m := env.Meta
	if m.PerPage < 1 || m.Page < 1 {
		sc.failf("_meta: page %d, per_page %d", m.Page, m.PerPage)
		return env
	}
	if want := (m.TotalItems + int64(m.PerPage) - 1) / int64(m.PerPage); m.TotalPages != want {
		sc.failf("_meta.total_pages = %d, want ceil(%d/%d) = %d", m.TotalPages, m.TotalItems, m.PerPage, want)
	}
	want := m.TotalItems - int64(m.Page-1)*int64(m.PerPage)
	want = max(0, min(want, int64(m.PerPage)))
	if int64(len(env.Items)) != want {
		sc.failf("%d items on page %d (per_page %d, total_items %d), want %d", len(env.Items), m.Page, m.PerPage, m.TotalItems, want)
	}
	check := func(name string, link *string, wantPage int, exists bool) {
		if (link != nil) != exists {
			sc.failf("_links.%s = %v, want a link: %v (page %d of %d)", name, deref(link), exists, m.Page, m.TotalPages)
			return
		}
		if link == nil {
			return
		}
		sc.compareLink("$._links."+name, origSelf, *link)
		page, perPage, err := linkPage(*link)
		if err != nil {
			sc.failf("_links.%s: %v", name, err)
			return
		}
		if page != wantPage || perPage != m.PerPage {
			sc.failf("_links.%s = %q: page %d per_page %d, want page %d per_page %d", name, *link, page, perPage, wantPage, m.PerPage)
		}
	}
	self := env.Links.Self
	check("self", &self, m.Page, true)
	check("next", env.Links.Next, m.Page+1, int64(m.Page) < m.TotalPages)
	prevPage := m.Page - 1
	if int64(prevPage) > m.TotalPages && m.TotalPages > 0 {
		// Past the end, "prev" leads back to the last page.
		prevPage = int(m.TotalPages)
	}
	check("prev", env.Links.Prev, prevPage, m.Page > 1)
	return env
}

func deref(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

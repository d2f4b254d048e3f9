package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// Fuzz targets: the seeds (and the failures found, under testdata/fuzz) run
// with every `go test`; `make fuzz` explores further. The rule is the
// product's: whatever a client sends, the answer is a JSON 4xx or a success,
// never a 500 or a panic.

// fuzzEnv is a seeded SQLite server with two tickets, a reply and a plain
// user, and an administrator's token.
func fuzzEnv(f *testing.F) (*testEnv, string) {
	env := newTestEnv(f, testutil.NewDB(f, database.SQLite))
	token := env.tokenFor(env.admin)
	testutil.NewUser(f, env.db, "plainuser", nil)
	for _, title := range []string{"=1+1 printer", "Écran; -2+3 @SUM(A1)\tbroken"} {
		env.call(http.MethodPost, "/flicket-api/tickets",
			map[string]any{"title": title, "content": "Body\r\n=cmd|' /C calc'!A0", "category_id": 1, "ticket_priority_id": 1},
			withToken(token)).expect(f, http.StatusCreated)
	}
	env.call(http.MethodPost, "/flicket-api/posts", `{"ticket_id":1,"content":"A first reply."}`, withToken(token)).expect(f, http.StatusCreated)
	return env, token
}

// inT is the env with t for fuzz iterations (F's methods may not be called
// from the fuzz function).
func (e *testEnv) inT(t *testing.T) *testEnv {
	c := *e
	c.t = t
	return &c
}

// fuzzBodyRoutes are the endpoints that read a JSON body, called as an
// administrator (password reset is left out: it waits on purpose).
var fuzzBodyRoutes = []struct{ method, path, seed string }{
	{http.MethodPost, "/flicket-api/tickets", `{"title":"Printer","content":"It is broken.","category_id":1,"ticket_priority_id":1,"hours":0.5}`},
	{http.MethodPatch, "/flicket-api/ticket/1", `{"title":"Printer jam","hours":1,"category_id":2}`},
	{http.MethodPost, "/flicket-api/ticket/2/assign", `{"user_id":1}`},
	{http.MethodPost, "/flicket-api/ticket/2/status", `{"status_id":3}`},
	{http.MethodPost, "/flicket-api/ticket/2/priority", `{"ticket_priority_id":3}`},
	{http.MethodPost, "/flicket-api/ticket/2/category", `{"category_id":3}`},
	{http.MethodPost, "/flicket-api/posts", `{"ticket_id":1,"content":"Restarted it.","status_id":3,"hours":0.25}`},
	{http.MethodPatch, "/flicket-api/post/1", `{"content":"Restarted it twice."}`},
	{http.MethodPost, "/flicket-api/subscriptions", `{"ticket_id":1,"user_id":2}`},
	{http.MethodPost, "/flicket-api/markdown", `{"content":"# Hi\n<script>x</script> [a](javascript:alert(1))"}`},
	{http.MethodPost, "/flicket-api/departments", `{"department":"Logistics"}`},
	{http.MethodPatch, "/flicket-api/department/1", `{"department":"Renamed"}`},
	{http.MethodPost, "/flicket-api/categories", `{"category":"Shipping","department_id":1}`},
	{http.MethodPatch, "/flicket-api/category/1", `{"category":"Moved","department_id":2}`},
	{http.MethodPost, "/flicket-api/users", `{"username":"jdoe","name":"Jane Doe","email":"jane@example.com","password":"s3cret-passw0rd","groups":["super_user"]}`},
	{http.MethodPatch, "/flicket-api/user/2", `{"name":"Plain User","locale":"fr","job_title":"","disabled":false}`},
	{http.MethodPost, "/flicket-api/groups", `{"group_name":"helpdesk"}`},
	{http.MethodPatch, "/flicket-api/config", `{"posts_per_page":20,"csv_dump_limit":5,"application_title":"Help desk"}`},
	{http.MethodPost, "/flicket-api/session", `{"username":"admin","password":"wrong"}`},
	{http.MethodPost, "/flicket-api/tickets/bulk", `{"ids":[1,2,99],"action":"status","value":3}`},
}

// FuzzRequestBody sends any body to every endpoint that binds one: binding,
// validation and the handlers behind them answer a JSON 4xx or succeed.
func FuzzRequestBody(f *testing.F) {
	env, token := fuzzEnv(f)
	for i, r := range fuzzBodyRoutes {
		f.Add(uint8(i), []byte(r.seed))
		f.Add(uint8(i), []byte(strings.Replace(r.seed, `"`, `"\ud800`, 3)))
	}
	for _, s := range []string{``, `null`, `[]`, `{"title":null}`, `{"content":"\u0000"}`, "{\"title\":\"\xc0\xaf\"}",
		`{"hours":1e400}`, `{"category_id":-1}`, `{"user_id":9223372036854775807}`, `{"groups":[""]}`} {
		f.Add(uint8(len(s)), []byte(s))
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		r := fuzzBodyRoutes[int(route)%len(fuzzBodyRoutes)]
		res := env.inT(t).do(env.srv, r.method, r.path, body, withToken(token))
		checkAnswer(t, r.method+" "+r.path, res)
	})
}

// FuzzTicketListQuery sends any query (filters, sort, paging) and any page
// in the path to the ticket list and the CSV export.
func FuzzTicketListQuery(f *testing.F) {
	env, token := fuzzEnv(f)
	for _, s := range []struct{ page, query string }{
		{"", "sort=priority_desc&status=Open&department=1&per_page=1&page=2"},
		{"2", "q=printer&state=open&view=mine&user=admin"},
		{"export.csv", "sort=title&category=Other&priority=high&assigned_id=1&created_id=1"},
		{"", "sort=nope&per_page=-1&page=0"},
		{"99999999999999999999", "per_page=100000000000000000000"},
		{"", "q=%00&department=%FF"},
		{"export.csv", "q=%25_%5C&sort=time_desc&view=subscribed"},
	} {
		f.Add(s.page, s.query)
	}
	f.Fuzz(func(t *testing.T, page, query string) {
		path := "/flicket-api/tickets"
		if page != "" {
			path += "/" + url.PathEscape(page)
		}
		if _, err := url.ParseRequestURI(path + "?" + query); err != nil || strings.ContainsAny(query, "# ") {
			return // not a request line a client can send
		}
		res := env.inT(t).do(env.srv, http.MethodGet, path+"?"+query, nil, withToken(token))
		checkAnswer(t, path+"?"+query, res)
		if res.Code == http.StatusOK && page == "export.csv" {
			rows, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
			if err != nil || len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
				t.Fatalf("export is not the CSV expected: %v %q", err, res.Body)
			}
		}
	})
}

// FuzzCSVExport stores any title and submitter name (as an import or an
// older version could have) and exports them: no reader, whatever separator
// it splits on, sees a cell that starts a formula, and the "," reader gets
// the text back with only the neutralising quotes added.
func FuzzCSVExport(f *testing.F) {
	env, token := fuzzEnv(f)
	author := testutil.NewUser(f, env.db, "csvauthor", nil)
	r := env.call(http.MethodPost, "/flicket-api/tickets",
		`{"title":"Exported","content":"Its title is replaced.","category_id":1,"ticket_priority_id":1}`, env.as(author))
	r.expect(f, http.StatusCreated)
	var tk struct{ ID int64 }
	r.decode(f, &tk)
	for _, s := range []struct{ title, name string }{
		{"Printer", "Jane Doe"},
		{";=1+1", "Eve;@SUM(1+1)*cmd|' /C calc'!A0"},
		{"a\r\n-b\t=c|+d", " \"=HYPERLINK(\"http://x\")"},
		{`say ";=1"`, "x,\"-2"},
		{"\"\"\"", "é;=ü"},
	} {
		f.Add(s.title, s.name)
	}
	query := "/flicket-api/tickets/export.csv?created_id=" + itoa(author.ID)
	crlf := strings.NewReplacer("\r\n", "\n")
	f.Fuzz(func(t *testing.T, title, name string) {
		if !utf8.ValidString(title) || !utf8.ValidString(name) || strings.ContainsRune(title+name, 0) {
			return // the API refuses these, so nothing stores them
		}
		testutil.Must(t, env.db.Model(&model.Ticket{}).Where("id = ?", tk.ID).Update("title", title).Error)
		testutil.Must(t, env.db.Model(&model.User{}).Where("id = ?", author.ID).Update("name", name).Error)
		res := env.inT(t).do(env.srv, http.MethodGet, query, nil, withToken(token))
		checkAnswer(t, "export", res)
		res.expect(t, http.StatusOK)
		for _, b := range formulaCells(t, res.Body) {
			t.Fatalf("title %q, name %q: formula cell %s", title, name, b)
		}
		rows, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
		if err != nil || len(rows) != 2 || len(rows[1]) != len(csvHeader) {
			t.Fatalf("the , reader: %v %q", err, rows)
		}
		for _, c := range []struct{ got, want string }{{rows[1][2], title}, {rows[1][3], name}} {
			if strings.ReplaceAll(c.got, "'", "") != strings.ReplaceAll(crlf.Replace(c.want), "'", "") {
				t.Fatalf("%q came back as %q", c.want, c.got)
			}
		}
	})
}

// checkAnswer fails on a 5xx, or an answer that is neither a success nor
// the JSON error body.
func checkAnswer(t *testing.T, what string, res *response) {
	t.Helper()
	if res.Code >= 500 {
		t.Fatalf("%s: %d %s", what, res.Code, res.Body)
	}
	if res.Code >= 400 {
		var e ErrorBody
		if err := json.Unmarshal(res.Body, &e); err != nil || e.Code == "" || e.Message == "" {
			t.Fatalf("%s: %d without the JSON error: %q", what, res.Code, res.Body)
		}
	}
}

// Package bench holds `make bench` (run.sh and its wrk script); these tests
// check the script's options and plan and that the wrk script sends every
// request to a new URL, without running the benchmark itself.
package bench

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// script runs run.sh with the given environment additions and arguments.
func script(t *testing.T, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("bash", append([]string{"run.sh"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("run.sh %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return string(out), code
}

func TestRunScriptSyntaxAndHelp(t *testing.T) {
	if out, err := exec.Command("bash", "-n", "run.sh").CombinedOutput(); err != nil {
		t.Fatalf("bash -n run.sh: %v\n%s", err, out)
	}
	src, err := os.ReadFile("run.sh")
	if err != nil {
		t.Fatal(err)
	}
	help, code := script(t, nil, "--help")
	if code != 0 {
		t.Fatalf("--help exited %d:\n%s", code, help)
	}
	// Every variable the script reads is documented in its help.
	for _, v := range regexp.MustCompile(`\bBENCH_[A-Z_]+\b`).FindAllString(string(src), -1) {
		if v == "BENCH_DB" {
			continue // the name of the database it creates, not a setting
		}
		if !strings.Contains(help, v) {
			t.Errorf("--help does not document %s", v)
		}
	}
	if out, code := script(t, nil, "--frobnicate"); code != 2 || !strings.Contains(out, "unknown option --frobnicate") {
		t.Errorf("unknown option: exit %d\n%s", code, out)
	}
}

func TestRunScriptPlan(t *testing.T) {
	out, code := script(t, []string{"BENCH_DATABASES=", "BENCH_TICKETS=1000"}, "--dry-run")
	if code != 0 {
		t.Fatalf("dry run exited %d:\n%s", code, out)
	}
	// The default runs the three databases, each with every request kind.
	for _, want := range []string{"bench plan: sqlite mysql postgres; 1000 tickets", "\nsqlite: ", "\nmysql: ", "\npostgres: "} {
		if !strings.Contains(out, want) {
			t.Errorf("default plan lacks %q:\n%s", want, out)
		}
	}
	for _, kind := range []string{
		"one ticket:", "list:", "list ?department&status:", "list ?priority:", "list ?sort=title:",
		"list ?sort=assigned_desc:", "deep page:", "create POST /tickets:", "reply POST /posts:",
	} {
		if n := strings.Count(out, "  "+kind+" wrk "); n != 3 {
			t.Errorf("%q planned %d times, want once per database:\n%s", kind, n, out)
		}
	}
	if !strings.Contains(out, "GET '/flicket-api/ticket/{1-1000}'") || !strings.Contains(out, "page={15-20}") {
		t.Errorf("ids and deep pages do not follow BENCH_TICKETS:\n%s", out)
	}

	// mariadb is mysql; the server URLs keep their credentials and options.
	out, code = script(t, []string{
		"BENCH_DATABASES=mariadb postgres",
		"BENCH_MYSQL_URL=mysql://u:secret@db.example:3307/test?parseTime=true",
		"BENCH_POSTGRES_URL=postgres://pg@127.0.0.1:5432/test?sslmode=disable",
	}, "--dry-run")
	if code != 0 {
		t.Fatalf("dry run exited %d:\n%s", code, out)
	}
	for _, want := range []string{
		`bench plan: mysql postgres;`,
		`\nmysql: mysql://u:secret@db\.example:3307/flicket_bench_[0-9]+\?parseTime=true\n`,
		`\npostgres: postgres://pg@127\.0\.0\.1:5432/flicket_bench_[0-9]+\?sslmode=disable\n`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("plan does not match %q:\n%s", want, out)
		}
	}

	for _, bad := range [][2]string{
		{"BENCH_DATABASES=sqlite oracle", "unknown database 'oracle'"},
		{"BENCH_TICKETS=lots", "BENCH_TICKETS must be a positive integer"},
		{"BENCH_CONNECTIONS=0", "BENCH_CONNECTIONS must be a positive integer"},
		{"BENCH_TICKETS=10", "at least 1000"},
	} {
		if out, code := script(t, []string{bad[0]}, "--dry-run"); code != 2 || !strings.Contains(out, bad[1]) {
			t.Errorf("%s: exit %d, want 2 and %q:\n%s", bad[0], code, bad[1], out)
		}
	}
}

// TestRequestsScriptSendsNewURLs runs wrk with requests.lua against a
// recording server: every GET is a distinct URL, {a-b} stays in range, and
// POST bodies are JSON with their placeholders filled.
func TestRequestsScriptSendsNewURLs(t *testing.T) {
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk is not installed (apt-get install wrk); .ci/run installs it")
	}
	// Each run gets its own server, closed (which waits for the handlers
	// still running after wrk exits) before the recording is read.
	type recording struct {
		urls, bodies []string
		headers      []http.Header
	}
	wrk := func(args ...string) recording {
		t.Helper()
		var mu sync.Mutex
		var rec recording
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			rec.urls = append(rec.urls, r.Method+" "+r.URL.RequestURI())
			rec.bodies = append(rec.bodies, string(body))
			rec.headers = append(rec.headers, r.Header.Clone())
			mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
		}))
		cmd := exec.Command("wrk", append([]string{"-t2", "-c4", "-d1s", "-s", "requests.lua", srv.URL, "--"}, args...)...)
		out, err := cmd.CombinedOutput()
		srv.Close()
		if err != nil {
			t.Fatalf("wrk %v: %v\n%s", args, err, out)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(rec.urls) < 20 {
			t.Fatalf("wrk sent only %d requests", len(rec.urls))
		}
		return rec
	}

	gets := wrk("GET", "/flicket-api/tickets/?department={1-3}&status={2-2}")
	seen := map[string]bool{}
	re := regexp.MustCompile(`^GET /flicket-api/tickets/\?department=([0-9]+)&status=2&_r=[0-9]+x[0-9]+$`)
	for _, u := range gets.urls {
		if seen[u] {
			t.Fatalf("URL %s sent twice", u)
		}
		seen[u] = true
		m := re.FindStringSubmatch(u)
		if m == nil {
			t.Fatalf("unexpected request %q", u)
		}
		if d, _ := strconv.Atoi(m[1]); d < 1 || d > 3 {
			t.Fatalf("department %d out of {1-3}", d)
		}
	}

	posts := wrk("POST", "/flicket-api/posts", `{"ticket_id":{1-9},"content":"Bench reply {n}."}`)
	contents := map[string]bool{}
	for i, b := range posts.bodies {
		if posts.urls[i] != "POST /flicket-api/posts" || posts.headers[i].Get("Content-Type") != "application/json" {
			t.Fatalf("request %d: %s, Content-Type %q", i, posts.urls[i], posts.headers[i].Get("Content-Type"))
		}
		var body struct {
			TicketID int    `json:"ticket_id"`
			Content  string `json:"content"`
		}
		if err := json.Unmarshal([]byte(b), &body); err != nil {
			t.Fatalf("body %q: %v", b, err)
		}
		if body.TicketID < 1 || body.TicketID > 9 || contents[body.Content] {
			t.Fatalf("body %q: ticket out of range or content repeated", b)
		}
		contents[body.Content] = true
	}
}

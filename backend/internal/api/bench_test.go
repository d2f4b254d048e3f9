package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/demo"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// Benchmarks of the hot read paths through the whole server (routing, token
// check, queries, JSON), on SQLite, MariaDB/MySQL and PostgreSQL (those
// configured), 5,000 tickets. Each reports allocations, the server's CPU
// time per request (cpu-ns/op, the database's not included) and the
// statements it ran (stmts/op). The load benchmark with real connections and
// 100,000 tickets is `make bench`.
//
//	go test ./internal/api -run '^$' -bench . -benchmem

func benchEnv(b *testing.B, d database.Dialect) (*testEnv, string, *testutil.Statements) {
	b.Helper()
	env := newTestEnv(b, testutil.NewDB(b, d))
	if _, err := demo.Seed(context.Background(), env.db, testutil.Hasher(), demo.Options{Tickets: 5000, PostsPerTicket: 2, Users: 20}, nil); err != nil {
		b.Fatal(err)
	}
	rec, stmts := testutil.CountStatements(env.db)
	env.srv.db = rec
	// As in production: the config row is read at most every few seconds.
	env.srv.settings = model.NewSettingsCache(rec, 3*time.Second)
	return env, env.tokenFor(env.admin), stmts
}

// benchGet requests the paths, one after the other, b.N times.
func benchGet(b *testing.B, env *testEnv, token string, stmts *testutil.Statements, paths ...string) {
	b.Helper()
	h := env.srv.Handler()
	b.ReportAllocs()
	stmts.Count()
	b.ResetTimer()
	start := cpuTime()
	n := 0
	for i := 0; i < b.N; i++ {
		for _, path := range paths {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Host = "flicket.test"
			req.Header.Set("Authorization", "Bearer "+token)
			w := &benchWriter{header: http.Header{}}
			h.ServeHTTP(w, req)
			if w.code != http.StatusOK {
				b.Fatalf("%s: %d %s", path, w.code, w.body)
			}
		}
		n += stmts.Count()
	}
	// CPU time of this process per request: the server's own cost, which
	// wall time hides on a busy machine (the database's is not included:
	// for SQLite it runs in this process, so it is).
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(n)/float64(b.N), "stmts/op")
}

// benchWriter is the response writer of the read benchmarks: it keeps the
// first 512 bytes of the body (for a failure's message) and counts the rest,
// as a server's connection writes it out. httptest.ResponseRecorder grows a
// buffer to the whole body, ~80 KB of allocations per list request that no
// server makes.
type benchWriter struct {
	header http.Header
	code   int
	body   []byte
	size   int
}

func (w *benchWriter) Header() http.Header { return w.header }

func (w *benchWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *benchWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if room := 512 - len(w.body); room > 0 {
		w.body = append(w.body, p[:min(room, len(p))]...)
	}
	w.size += len(p)
	return len(p), nil
}

// cpuTime is the process's user plus system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func BenchmarkTicketReads(b *testing.B) {
	for _, d := range testutil.Dialects() {
		env, token, stmts := benchEnv(b, d)
		for _, c := range []struct{ name, path string }{
			{"list", "/flicket-api/tickets/"},
			{"list_open_by_priority", "/flicket-api/tickets/?state=open&sort=priority_desc"},
			{"list_department_status", "/flicket-api/tickets/?department=1&status=1"},
			{"list_priority", "/flicket-api/tickets/?priority=3"},
			{"list_user", "/flicket-api/tickets/?user=3"},
			{"list_by_title", "/flicket-api/tickets/?sort=title"},
			{"list_by_assignee_desc", "/flicket-api/tickets/?sort=assigned_desc"},
			{"deep_page", "/flicket-api/tickets/75/"},
			{"one_ticket", "/flicket-api/ticket/2500"},
			{"replies", "/flicket-api/posts/2500/"},
		} {
			b.Run(string(d)+"/"+c.name, func(b *testing.B) { benchGet(b, env, token, stmts, c.path) })
		}
	}
}

// BenchmarkTicketPage compares what the web app's ticket page asks for
// first: one GET with include (what it does) against the five GETs it made
// before (ticket, replies, actions, subscribers, attachments).
func BenchmarkTicketPage(b *testing.B) {
	for _, d := range testutil.Dialects() {
		env, token, stmts := benchEnv(b, d)
		b.Run(string(d)+"/one_request", func(b *testing.B) {
			benchGet(b, env, token, stmts, "/flicket-api/ticket/2500?include=posts,actions,subscribers,uploads,seen&post=unread")
		})
		b.Run(string(d)+"/five_requests", func(b *testing.B) {
			benchGet(b, env, token, stmts,
				"/flicket-api/ticket/2500",
				"/flicket-api/posts/2500/1/",
				"/flicket-api/actions/2500?per_page=100",
				"/flicket-api/subscriptions/2500/?per_page=100",
				"/flicket-api/uploads/?ticket_id=2500&per_page=100")
		})
	}
}

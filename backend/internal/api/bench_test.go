package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/demo"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// Benchmarks of the hot read paths through the whole server (routing, token
// check, queries, JSON), on SQLite and, when configured, PostgreSQL. The
// load benchmark with real connections is `make bench`.
//
//	go test ./internal/api -run '^$' -bench . -benchmem

func benchEnv(b *testing.B, d database.Dialect) (*testEnv, string) {
	b.Helper()
	env := newTestEnv(b, testutil.NewDB(b, d))
	// As in production: the config row is read at most every few seconds.
	env.srv.settings = model.NewSettingsCache(env.db, 3*time.Second)
	if _, err := demo.Seed(context.Background(), env.db, testutil.Hasher(), demo.Options{Tickets: 5000, PostsPerTicket: 2, Users: 20}, nil); err != nil {
		b.Fatal(err)
	}
	return env, env.tokenFor(env.admin)
}

// benchGet requests path b.N times. With uncached set every request gets its
// own URL (an ignored parameter), so the page cache never answers.
func benchGet(b *testing.B, env *testEnv, token, path string, uncached bool) {
	b.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		p := path
		if uncached {
			p += sep + "uncached=" + strconv.Itoa(i)
		}
		req := httptest.NewRequest(http.MethodGet, p, nil)
		req.Host = "flicket.test"
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		env.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	// CPU time of this process per request: the server's own cost, which
	// wall time hides on a busy machine (the database's is not included).
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
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
		if d == database.MySQL {
			continue // the targets are set on PostgreSQL and SQLite
		}
		env, token := benchEnv(b, d)
		for _, c := range []struct {
			name, path string
			uncached   bool
		}{
			{"list", "/flicket-api/tickets/", false},
			{"list_uncached", "/flicket-api/tickets/", true},
			{"list_department_status", "/flicket-api/tickets/?department=1&status=1", false},
			{"list_department_status_uncached", "/flicket-api/tickets/?department=1&status=1", true},
			{"list_open_by_priority_uncached", "/flicket-api/tickets/?state=open&sort=priority_desc", true},
			{"deep_page_uncached", "/flicket-api/tickets/75/", true},
			{"one_ticket", "/flicket-api/ticket/2500", false},
			{"replies", "/flicket-api/posts/2500/", false},
		} {
			b.Run(string(d)+"/"+c.name, func(b *testing.B) { benchGet(b, env, token, c.path, c.uncached) })
		}
	}
}

package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/config"
	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// BenchmarkTicketWritesConcurrent files tickets and replies from 16
// goroutines at once, all as one user (as an integration filing tickets
// through the API does), and reports the latency percentiles: writes that
// queue on a shared row show up in p99, not in the mean.
//
//	go test ./internal/api -run '^$' -bench TicketWritesConcurrent
func BenchmarkTicketWritesConcurrent(b *testing.B) {
	for _, d := range testutil.Dialects() {
		env, token, _ := benchEnv(b, d)
		for _, kind := range []string{"create", "reply"} {
			b.Run(fmt.Sprintf("%s/%s", d, kind), func(b *testing.B) {
				var n atomic.Int64
				body := func() string {
					i := n.Add(1)
					if kind == "create" {
						return fmt.Sprintf(`{"title":"Bench ticket %d","content":"Filed by the write benchmark.","category_id":%d,"ticket_priority_id":%d}`, i, 1+i%19, 1+i%3)
					}
					return fmt.Sprintf(`{"ticket_id":%d,"content":"Bench reply %d: restarting fixed it."}`, 1+(i*7919)%5000, i)
				}
				path := map[string]string{"create": "/flicket-api/tickets", "reply": "/flicket-api/posts"}[kind]
				var mu sync.Mutex
				var lat []time.Duration
				b.ResetTimer()
				var wg sync.WaitGroup
				work := make(chan struct{})
				go func() {
					for range b.N {
						work <- struct{}{}
					}
					close(work)
				}()
				for range 16 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						var mine []time.Duration
						for range work {
							req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body()))
							req.Host = "flicket.test"
							req.Header.Set("Authorization", "Bearer "+token)
							req.Header.Set("Content-Type", "application/json")
							rec := httptest.NewRecorder()
							start := time.Now()
							env.srv.Handler().ServeHTTP(rec, req)
							mine = append(mine, time.Since(start))
							if rec.Code != http.StatusCreated {
								b.Errorf("%s: %d %s", path, rec.Code, rec.Body)
								return
							}
						}
						mu.Lock()
						lat = append(lat, mine...)
						mu.Unlock()
					}()
				}
				wg.Wait()
				b.StopTimer()
				if len(lat) == 0 {
					return
				}
				slices.Sort(lat)
				pct := func(p float64) float64 {
					return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
				}
				b.ReportMetric(pct(0.50), "p50-ms")
				b.ReportMetric(pct(0.99), "p99-ms")
			})
		}
	}
}

// BenchmarkReply posts replies one after the other, as the admin to the
// seeded tickets (whose starters are subscribed, so each reply queues a
// mail), through a server wired as `serve` wires it: the mail outbox as
// the event sink and the config row cached for 3 s. It reports the server's
// CPU time per reply (cpu-ns/op: the database's is not included, except
// SQLite's, which runs in this process) and the statements per reply; with
// -v it logs the statements of one reply.
//
//	go test ./internal/api -run '^$' -bench '^BenchmarkReply$' -benchmem
func BenchmarkReply(b *testing.B) {
	for _, d := range testutil.Dialects() {
		env, _, _ := benchEnv(b, d)
		rec, stmts := testutil.RecordStatements(env.db)
		cfg, err := config.LoadFrom(map[string]string{"FLICKET_UPLOAD_DIR": b.TempDir()})
		testutil.Must(b, err)
		outbox := mail.NewOutbox(rec, mail.Options{BaseURL: "http://flicket.test", Now: env.clock.Now})
		srv := New(Deps{
			DB: rec, Config: cfg, Logger: slog.New(slog.DiscardHandler), Hasher: testutil.Hasher(),
			Tokens:   auth.NewTokens(env.secret, cfg.TokenTTL, env.clock.Now),
			Settings: model.NewSettingsCache(rec, 3*time.Second), Events: outbox, Mail: outbox, Now: env.clock.Now,
		})
		env.srv = srv
		token := env.tokenFor(env.admin)
		h := srv.Handler()
		var n int
		reply := func(b *testing.B) {
			n++
			body := fmt.Sprintf(`{"ticket_id":%d,"content":"Bench reply %d: restarting the service fixed it."}`, 1+(n*7919)%5000, n)
			req := httptest.NewRequest(http.MethodPost, "/flicket-api/posts", strings.NewReader(body))
			req.Host = "flicket.test"
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			w := &benchWriter{header: http.Header{}}
			h.ServeHTTP(w, req)
			if w.code != http.StatusCreated {
				b.Fatalf("reply: %d %s", w.code, w.body)
			}
		}
		b.Run(string(d), func(b *testing.B) {
			stmts.Take()
			reply(b)
			if list := stmts.Take(); testing.Verbose() {
				b.Logf("%d statements per reply:\n%s", len(list), strings.Join(list, "\n"))
			}
			var mails0 int64
			testutil.Must(b, env.db.Model(&model.OutboxMail{}).Count(&mails0).Error)
			stmts.CountOnly(true)
			defer stmts.CountOnly(false)
			stmts.Count()
			b.ReportAllocs()
			b.ResetTimer()
			start := cpuTime()
			for range b.N {
				reply(b)
			}
			count := stmts.Count()
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(count)/float64(b.N), "stmts/op")
			b.StopTimer()
			var mails1 int64
			testutil.Must(b, env.db.Model(&model.OutboxMail{}).Count(&mails1).Error)
			b.ReportMetric(float64(mails1-mails0)/float64(b.N), "mails/op")
		})
	}
}

package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

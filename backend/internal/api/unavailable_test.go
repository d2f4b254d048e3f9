package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// TestDatabaseCut writes tickets from 12 clients while a TCP proxy between
// the server and the shared database server cuts every connection and
// restores it, twice: each request is a 201 or a 503 with Retry-After (never
// a 500), /readyz fails while cut, service resumes by itself (tickets are
// acknowledged again, /readyz is ok), and every ticket acknowledged with a
// 201 is in the database afterwards.
func TestDatabaseCut(t *testing.T) {
	for _, d := range []database.Dialect{database.MySQL, database.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewDB(t, d) // skips when the server is not configured
			env := newTestEnv(t, tdb)
			proxy, proxied := testutil.NewProxy(t, tdb.URL)
			pdb, _, err := database.Open(context.Background(), proxied, database.Options{MaxOpenConns: 8})
			testutil.Must(t, err)
			t.Cleanup(func() { _ = database.Close(pdb) })
			logs := &syncBuffer{}
			srv := env.newServerOn(pdb, slog.New(slog.NewJSONHandler(logs, nil)), nil)
			token := env.tokenFor(env.admin)
			run := cutRun{t: t, env: env, srv: srv, token: token, prefix: testutil.Unique("cut-")}
			run.start(12)

			// Each phase lasts at least min, and until what it must show has
			// been seen (a loaded machine is slow, not wrong), at most a minute.
			phase := func(name string, act func(), up bool, min time.Duration) {
				run.phase(name)
				act()
				start := time.Now()
				for {
					run.checkReady(name)
					if time.Since(start) >= min && run.seen(name, up) {
						return
					}
					if time.Since(start) > time.Minute {
						t.Errorf("%s: not seen within a minute", name)
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
			phase("up", func() {}, true, time.Second)
			phase("cut 1", proxy.Cut, false, 2*time.Second)
			phase("restored 1", proxy.Restore, true, 2*time.Second)
			phase("cut 2", proxy.Cut, false, 2*time.Second)
			phase("restored 2", proxy.Restore, true, 2*time.Second)
			run.stop()

			run.report()
			run.verifyStored(tdb.DB)
			for _, l := range logs.lines() {
				if l["level"] == "ERROR" {
					t.Errorf("error logged: %v", l)
				}
			}
		})
	}
}

// cutRun is the load of TestDatabaseCut and what it saw.
type cutRun struct {
	t      *testing.T
	env    *testEnv
	srv    *Server
	token  string
	prefix string

	mu       sync.Mutex
	current  string
	counts   map[string]map[int]int // phase → status → requests
	readyOK  map[string]int
	readyBad map[string]int
	acked    map[int64]string // id → title of every 201
	next     atomic.Int64
	stopc    chan struct{}
	wg       sync.WaitGroup
}

func (r *cutRun) start(writers int) {
	r.counts, r.readyOK, r.readyBad = map[string]map[int]int{}, map[string]int{}, map[string]int{}
	r.acked = map[int64]string{}
	r.stopc = make(chan struct{})
	for range writers {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for {
				select {
				case <-r.stopc:
					return
				default:
				}
				r.write()
			}
		}()
	}
}

func (r *cutRun) phase(name string) {
	r.mu.Lock()
	r.current = name
	r.mu.Unlock()
}

func (r *cutRun) stop() {
	close(r.stopc)
	r.wg.Wait()
}

// write creates one ticket and records the answer.
func (r *cutRun) write() {
	title := fmt.Sprintf("%s%d", r.prefix, r.next.Add(1))
	body := fmt.Sprintf(`{"title":%q,"content":"Written during a database cut.","category_id":1,"ticket_priority_id":1}`, title)
	res := r.env.do(r.srv, http.MethodPost, "/flicket-api/tickets", body, withToken(r.token))
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.counts[r.current] == nil {
		r.counts[r.current] = map[int]int{}
	}
	r.counts[r.current][res.Code]++
	switch res.Code {
	case http.StatusCreated:
		var tk struct{ ID int64 }
		if err := json.Unmarshal(res.Body, &tk); err != nil || tk.ID == 0 {
			r.t.Errorf("201 without an id: %s", res.Body)
			return
		}
		r.acked[tk.ID] = title
	case http.StatusServiceUnavailable:
		var e ErrorBody
		if err := json.Unmarshal(res.Body, &e); err != nil || e.Code != "database.unavailable" || res.Header.Get("Retry-After") == "" {
			r.t.Errorf("503 without its JSON error or Retry-After: %v %s", res.Header, res.Body)
		}
	default:
		r.t.Errorf("%s: %d %s", r.current, res.Code, res.Body)
	}
}

// checkReady asks /readyz; report checks each phase saw the right answers.
func (r *cutRun) checkReady(phase string) {
	res := r.env.do(r.srv, http.MethodGet, "/readyz", nil)
	r.mu.Lock()
	defer r.mu.Unlock()
	if res.Code == http.StatusOK {
		r.readyOK[phase]++
	} else {
		r.readyBad[phase]++
		if res.Code != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
			r.t.Errorf("/readyz: %d %v %s", res.Code, res.Header, res.Body)
		}
	}
}

// seen says whether a phase showed what it must: while up, writes
// acknowledged and /readyz ok; while cut, 503s and /readyz failing.
func (r *cutRun) seen(phase string, up bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.counts[phase]
	if up {
		return c[http.StatusCreated] >= 5 && r.readyOK[phase] > 0
	}
	return c[http.StatusServiceUnavailable] >= 5 && r.readyBad[phase] > 0
}

// report logs the figures of each phase.
func (r *cutRun) report() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range []string{"up", "cut 1", "restored 1", "cut 2", "restored 2"} {
		c := r.counts[p]
		r.t.Logf("%-10s writes: %d × 201, %d × 503; /readyz: %d ok, %d unavailable",
			p, c[http.StatusCreated], c[http.StatusServiceUnavailable], r.readyOK[p], r.readyBad[p])
	}
}

// verifyStored checks, on a direct connection, that every acknowledged
// ticket was kept.
func (r *cutRun) verifyStored(db *gorm.DB) {
	var rows []model.Ticket
	testutil.Must(r.t, db.Select("id", "title").Where("title LIKE ?", r.prefix+"%").Find(&rows).Error)
	stored := map[int64]string{}
	for _, tk := range rows {
		stored[tk.ID] = tk.Title
	}
	lost := 0
	for id, title := range r.acked {
		if stored[id] != title {
			lost++
			if lost <= 5 {
				r.t.Errorf("ticket %d %q was acknowledged but is not stored", id, title)
			}
		}
	}
	r.t.Logf("%d tickets acknowledged, %d stored (%d written but not acknowledged), %d lost",
		len(r.acked), len(stored), len(stored)-len(r.acked)+lost, lost)
}

// TestClientHangUp cancels requests that wait on a locked row: the answer is
// no 500 and nothing is logged as an error.
func TestClientHangUp(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		logs := &syncBuffer{}
		srv := env.newServerOn(env.db, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), nil)
		token := env.tokenFor(env.admin)
		created := env.call(http.MethodPost, "/flicket-api/tickets",
			`{"title":"Locked","content":"A row held by another transaction.","category_id":1,"ticket_priority_id":1}`, withToken(token))
		created.expect(t, http.StatusCreated)
		var tk struct{ ID int64 }
		created.decode(t, &tk)

		// Another session holds the ticket's row (SQLite: the whole database).
		tx := env.db.Begin()
		testutil.Must(t, tx.Error)
		defer tx.Rollback()
		testutil.Must(t, tx.Exec("UPDATE tickets SET title = ? WHERE id = ?", "Locked!", tk.ID).Error)

		ctx, cancel := context.WithCancel(context.Background())
		req := httptest.NewRequestWithContext(ctx, http.MethodPatch, fmt.Sprintf("/flicket-api/ticket/%d", tk.ID), strings.NewReader(`{"title":"Changed"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() {
			defer close(done)
			srv.Handler().ServeHTTP(rec, req)
		}()
		time.Sleep(300 * time.Millisecond)
		select {
		case <-done:
			t.Fatalf("the request did not wait for the lock: %d %s", rec.Code, rec.Body)
		default:
		}
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Fatal("the request did not stop when its client hung up")
		}
		if rec.Code >= 500 && rec.Code != statusClientClosed {
			t.Errorf("hang-up answered %d %s", rec.Code, rec.Body)
		}
		sawAccess := false
		for _, l := range logs.lines() {
			if l["level"] == "ERROR" {
				t.Errorf("hang-up logged as an error: %v", l)
			}
			if l["msg"] == "request" && l["method"] == http.MethodPatch {
				sawAccess = true
				if l["status"] != float64(statusClientClosed) {
					t.Errorf("access line status %v, want %d", l["status"], statusClientClosed)
				}
			}
		}
		if !sawAccess {
			t.Error("no access line for the request")
		}
	})
}

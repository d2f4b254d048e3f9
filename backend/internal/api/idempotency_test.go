package api

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func countRows(t *testing.T, env *testEnv, m any, where ...any) int64 {
	t.Helper()
	var n int64
	q := env.db.Model(m)
	if len(where) > 0 {
		q = q.Where(where[0], where[1:]...)
	}
	testutil.Must(t, q.Count(&n).Error)
	return n
}

func TestIdempotencyKey(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		alice := testutil.NewUser(t, env.db, "alice", nil)
		bob := testutil.NewUser(t, env.db, "bob", nil)
		asAlice, asBob := env.as(alice), env.as(bob)
		ticket := map[string]any{"title": "Printer jams", "content": "Every page jams.", "category_id": 1, "ticket_priority_id": 1}
		key := func(k string) reqOpt { return withHeader("Idempotency-Key", k) }
		tickets := func() int64 { return countRows(t, env, &model.Ticket{}) }

		t.Run("ticket: the same key and body answers the first answer, once created", func(t *testing.T) {
			before := tickets()
			first := env.call(http.MethodPost, "/flicket-api/tickets", ticket, asAlice, key("tk-1")).expect(t, http.StatusCreated)
			// Another key order and spacing is the same request.
			again := env.call(http.MethodPost, "/flicket-api/tickets",
				`{"ticket_priority_id":1, "category_id":1, "content":"Every page jams.", "title":"Printer jams"}`,
				asAlice, key("tk-1")).expect(t, http.StatusCreated)
			if string(again.Body) != string(first.Body) {
				t.Errorf("replayed body differs:\n%s\n%s", again.Body, first.Body)
			}
			if again.Header.Get("Idempotent-Replayed") != "true" || first.Header.Get("Idempotent-Replayed") != "" {
				t.Errorf("Idempotent-Replayed: first %q, again %q", first.Header.Get("Idempotent-Replayed"), again.Header.Get("Idempotent-Replayed"))
			}
			if ct := again.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("replayed Content-Type %q", ct)
			}
			if got := tickets() - before; got != 1 {
				t.Errorf("%d tickets created, want 1", got)
			}
		})

		t.Run("the same key with another body is a 409", func(t *testing.T) {
			other := map[string]any{"title": "Printer jams badly", "content": "Every page jams.", "category_id": 1, "ticket_priority_id": 1}
			before := tickets()
			env.call(http.MethodPost, "/flicket-api/tickets", other, asAlice, key("tk-1")).expectError(t, http.StatusConflict, "idempotency.key_reused")
			// The same key on another create route is another request too.
			env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": 1, "user_id": alice.ID}, asAlice, key("tk-1")).
				expectError(t, http.StatusConflict, "idempotency.key_reused")
			if tickets() != before {
				t.Error("a ticket was created")
			}
		})

		t.Run("keys belong to their user", func(t *testing.T) {
			before := tickets()
			r := env.call(http.MethodPost, "/flicket-api/tickets", ticket, asBob, key("tk-1")).expect(t, http.StatusCreated)
			if r.Header.Get("Idempotent-Replayed") != "" || tickets() != before+1 {
				t.Error("bob got alice's answer")
			}
		})

		t.Run("without a key every request creates", func(t *testing.T) {
			before := tickets()
			env.call(http.MethodPost, "/flicket-api/tickets", ticket, asAlice).expect(t, http.StatusCreated)
			env.call(http.MethodPost, "/flicket-api/tickets", ticket, asAlice).expect(t, http.StatusCreated)
			if tickets() != before+2 {
				t.Errorf("%d tickets, want 2 more", tickets()-before)
			}
		})

		t.Run("a client error is the first answer too", func(t *testing.T) {
			bad := map[string]any{"title": "", "content": "Every page jams.", "category_id": 1, "ticket_priority_id": 1}
			first := env.call(http.MethodPost, "/flicket-api/tickets", bad, asAlice, key("tk-bad"))
			first.expectField(t, "title", "")
			again := env.call(http.MethodPost, "/flicket-api/tickets", bad, asAlice, key("tk-bad"))
			again.expectField(t, "title", "")
			if string(first.Body) != string(again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("422 not replayed: %s / %s", first.Body, again.Body)
			}
		})

		t.Run("reply: a double submit makes one reply", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			body := map[string]any{"ticket_id": tk.ID, "content": "Have you tried turning it off and on?"}
			var wg sync.WaitGroup
			codes := make([]int, 4)
			for i := range codes {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					codes[i] = env.call(http.MethodPost, "/flicket-api/posts", body, asBob, key("reply-1")).Code
				}(i)
			}
			wg.Wait()
			// Concurrent duplicates are the first answer or "still in progress".
			for _, c := range codes {
				if c != http.StatusCreated && c != http.StatusConflict {
					t.Errorf("status %d among %v", c, codes)
				}
			}
			if n := countRows(t, env, &model.Post{}, "ticket_id = ?", tk.ID); n != 1 {
				t.Errorf("%d replies, want 1", n)
			}
			r := env.call(http.MethodPost, "/flicket-api/posts", body, asBob, key("reply-1")).expect(t, http.StatusCreated)
			if r.Header.Get("Idempotent-Replayed") != "true" || r.Header.Get("Location") == "" {
				t.Errorf("replay headers %v", r.Header)
			}
		})

		t.Run("upload: the same files again, in a new multipart envelope, attach once", func(t *testing.T) {
			tk := seedPostTicket(t, env, alice)
			fields := map[string]string{"ticket_id": itoa(tk.ID)}
			f := testFile{"file", "log.txt", []byte("paper jam at tray 2")}
			send := func(files ...testFile) *response {
				body, ct := multipartBody(t, fields, files...)
				return env.call(http.MethodPost, "/flicket-api/uploads", body, asAlice, withHeader("Content-Type", ct), key("up-1"))
			}
			first := send(f).expect(t, http.StatusCreated)
			again := send(f).expect(t, http.StatusCreated)
			if string(first.Body) != string(again.Body) {
				t.Errorf("replayed body differs")
			}
			if n := countRows(t, env, &model.Upload{}, "ticket_id = ?", tk.ID); n != 1 {
				t.Errorf("%d uploads, want 1", n)
			}
			send(testFile{"file", "log.txt", []byte("another content")}).expectError(t, http.StatusConflict, "idempotency.key_reused")
		})

		t.Run("a key is kept 24 hours, then pruned", func(t *testing.T) {
			before := tickets()
			env.call(http.MethodPost, "/flicket-api/tickets", ticket, asAlice, key("tk-day")).expect(t, http.StatusCreated)
			env.clock.Advance(23 * time.Hour)
			asAlice := env.as(alice) // the first token has expired
			env.call(http.MethodPost, "/flicket-api/tickets", ticket, asAlice, key("tk-day")).expect(t, http.StatusCreated)
			if tickets() != before+1 {
				t.Fatalf("replay within the day created a ticket")
			}
			env.clock.Advance(2 * time.Hour)
			asAlice = env.as(alice)
			env.call(http.MethodPost, "/flicket-api/tickets", ticket, asAlice, key("tk-day")).expect(t, http.StatusCreated)
			if tickets() != before+2 {
				t.Errorf("a day-old key still answered")
			}
			// That request pruned every expired key (the first prune ran long ago).
			if n := countRows(t, env, &model.IdempotencyKey{}, "created_at < ?", env.clock.Now().Add(-model.IdempotencyTTL)); n != 0 {
				t.Errorf("%d expired keys left", n)
			}
			if n := countRows(t, env, &model.IdempotencyKey{}); n == 0 {
				t.Error("the fresh key was pruned too")
			}
		})

		t.Run("a key left pending by a dead request is taken over", func(t *testing.T) {
			asAlice := env.as(alice)
			testutil.Must(t, env.db.Create(&model.IdempotencyKey{
				UserID: alice.ID, KeyHash: sha256Hex([]byte("tk-dead")), RequestHash: "x", CreatedAt: env.clock.Now(),
			}).Error)
			env.call(http.MethodPost, "/flicket-api/tickets", ticket, asAlice, key("tk-dead")).expectError(t, http.StatusConflict, "")
			env.clock.Advance(2 * time.Minute)
			env.call(http.MethodPost, "/flicket-api/tickets", ticket, asAlice, key("tk-dead")).expect(t, http.StatusCreated)
		})

		t.Run("a bad key names the header", func(t *testing.T) {
			asAlice := env.as(alice)
			for _, k := range []string{strings.Repeat("k", 256), "two words", "é"} {
				body := env.call(http.MethodPost, "/flicket-api/tickets", ticket, asAlice, key(k)).expectError(t, http.StatusBadRequest, "request.invalid_header")
				if len(body.Errors) != 1 || body.Errors[0].Field != "Idempotency-Key" {
					t.Errorf("key %q: errors %+v", k, body.Errors)
				}
			}
		})
	})
}

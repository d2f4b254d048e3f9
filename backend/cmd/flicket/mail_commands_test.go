package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/api"
	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/config"
	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/mail/mailtest"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/sortkey"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// seededDB is a migrated, seeded database and the env to point flicket at it.
func seededDB(t *testing.T, tdb *testutil.TestDB) []string {
	t.Helper()
	testutil.Seed(t, tdb.DB)
	return []string{"FLICKET_DATABASE_URL=" + tdb.URL}
}

// signIn asks an in-process API server on db for a token, as a client would.
func signIn(t *testing.T, db *gorm.DB, login, password string) int {
	t.Helper()
	cfg, err := config.LoadFrom(map[string]string{"FLICKET_UPLOAD_DIR": t.TempDir()})
	testutil.Must(t, err)
	srv := api.New(api.Deps{
		DB: db, Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Hasher: testutil.Hasher(),
		Tokens:   auth.NewTokens([]byte("cli-test-secret-0123456789abcdef0123"), cfg.TokenTTL, nil),
		Settings: model.NewSettingsCache(db, 0),
	})
	req := httptest.NewRequest(http.MethodPost, "/flicket-api/tokens", nil)
	req.SetBasicAuth(login, password)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	return rec.Code
}

func bcryptHash(t *testing.T, password string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	testutil.Must(t, err)
	return string(h)
}

func writeJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	testutil.Must(t, err)
	path := filepath.Join(t.TempDir(), "users.json")
	testutil.Must(t, os.WriteFile(path, b, 0o600))
	return path
}

func TestUsersExportImportRoundTrip(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			src := testutil.NewDB(t, d)
			srcEnv := seededDB(t, src)
			alice := testutil.NewUser(t, src.DB, "alice", nil, testutil.WithName("Alice Liddell"))
			testutil.NewUser(t, src.DB, "bob", nil)

			path := filepath.Join(t.TempDir(), "users.json")
			r := flicket(t, srcEnv, "users", "export", "--file", path)
			if r.code != 0 || !strings.Contains(r.stdout, "exported 3 user(s) to "+path) {
				t.Fatalf("export: %+v", r)
			}
			info, err := os.Stat(path)
			testutil.Must(t, err)
			if info.Mode().Perm() != 0o600 {
				t.Errorf("export file mode %v, want 0600", info.Mode().Perm())
			}
			raw, err := os.ReadFile(path)
			testutil.Must(t, err)
			var exported []map[string]string
			testutil.Must(t, json.Unmarshal(raw, &exported))
			if len(exported) != 3 || exported[1]["username"] != "alice" || exported[1]["name"] != "Alice Liddell" ||
				exported[1]["email"] != alice.Email || exported[1]["password"] != alice.Password || len(exported[1]) != 4 {
				t.Fatalf("exported: %v", exported)
			}

			if r = flicket(t, srcEnv, "users", "export", "--file", path); r.code != 1 || !strings.Contains(r.stderr, "already exists; use --force") {
				t.Fatalf("export over an existing file: %+v", r)
			}
			if r = flicket(t, srcEnv, "users", "export", "--file", path, "--force"); r.code != 0 {
				t.Fatalf("export --force: %+v", r)
			}
			if r = flicket(t, srcEnv, "users", "export"); r.code != 0 || r.stdout != string(raw) || !strings.Contains(r.stderr, "exported 3") {
				t.Fatalf("export to stdout: %+v", r)
			}

			dst := testutil.NewDB(t, d)
			dstEnv := seededDB(t, dst) // has its own admin@example.com
			r = flicket(t, dstEnv, "users", "import", "--file", path)
			if r.code != 0 || !strings.Contains(r.stdout, "imported 2 user(s), skipped 1") ||
				!strings.Contains(r.stdout, `skipped users[0] "admin": e-mail admin@example.com already has an account`) {
				t.Fatalf("import: %+v", r)
			}
			var got model.User
			testutil.Must(t, dst.DB.Where("username = ?", "alice").First(&got).Error)
			if got.Email != alice.Email || got.Name != "Alice Liddell" || got.Password != alice.Password || got.Locale != "en" || got.Disabled {
				t.Fatalf("imported alice: %+v", got)
			}
			if code := signIn(t, dst.DB, "alice", testutil.Password); code != http.StatusOK {
				t.Fatalf("imported alice cannot sign in: %d", code)
			}
			// Importing again changes nothing: every e-mail is taken.
			if r = flicket(t, dstEnv, "users", "import", "--file", path); r.code != 0 || !strings.Contains(r.stdout, "imported 0 user(s), skipped 3") {
				t.Fatalf("second import: %+v", r)
			}
		})
	}
}

func TestUsersImportOriginalHashes(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewDB(t, d)
			env := seededDB(t, tdb)
			// The original Flicket (Python bcrypt) writes $2b$ hashes.
			hash := "$2b$" + strings.TrimPrefix(bcryptHash(t, "flask-era-pass"), "$2a$")
			path := writeJSON(t, []map[string]string{
				{"username": "legacy", "name": "Legacy User", "email": "Legacy@Example.com", "password": hash},
			})
			r := flicket(t, env, "users", "import", "--file", path)
			if r.code != 0 || !strings.Contains(r.stdout, "imported 1 user(s), skipped 0") {
				t.Fatalf("import: %+v", r)
			}
			var u model.User
			testutil.Must(t, tdb.DB.Where("username = ?", "legacy").First(&u).Error)
			if u.Password != hash || u.Email != "legacy@example.com" {
				t.Fatalf("stored: %+v", u)
			}
			if code := signIn(t, tdb.DB, "legacy", "flask-era-pass"); code != http.StatusOK {
				t.Fatalf("POST /tokens with the old password: %d", code)
			}
			if code := signIn(t, tdb.DB, "legacy@example.com", "wrong-pass"); code != http.StatusUnauthorized {
				t.Fatalf("wrong password: %d", code)
			}
		})
	}
}

func TestUsersImportRefusesBadFiles(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewDB(t, d)
			env := seededDB(t, tdb)
			testutil.NewUser(t, tdb.DB, "taken", nil)
			hash := bcryptHash(t, "x-pass-1")
			path := writeJSON(t, []any{
				map[string]any{"username": "fine", "name": "Fine", "email": "fine@example.com", "password": hash},
				map[string]any{"username": "noemail", "name": "No Email", "password": hash},
				map[string]any{"username": "plain", "name": "Plain", "email": "plain@example.com", "password": "hunter22"},
				map[string]any{"username": "FINE", "name": "Fine Again", "email": "fine2@example.com", "password": hash},
				map[string]any{"username": "Taken", "name": "Taken", "email": "new-taken@example.com", "password": hash},
				map[string]any{"username": "numbers", "name": 42, "email": "n@example.com", "password": hash},
				map[string]any{"username": "badmail", "name": "Bad Mail", "email": "not an address", "password": hash},
				"just a string",
				map[string]any{"username": "dupmail", "name": "Dup Mail", "email": "FINE@example.com", "password": hash},
				map[string]any{"username": strings.Repeat("u", 25), "name": "Long", "email": "long@example.com", "password": hash},
			})
			var before int64
			testutil.Must(t, tdb.DB.Model(&model.User{}).Count(&before).Error)
			r := flicket(t, env, "users", "import", "--file", path)
			if r.code != 1 || !strings.Contains(r.stderr, "nothing was imported") {
				t.Fatalf("import: %+v", r)
			}
			for _, want := range []string{
				"users[1]: email is missing",
				"users[2]: password is not a bcrypt hash",
				`users[3]: username "FINE" is already used by users[0]`,
				`users[4]: username "Taken" already exists in the database`,
				"users[5]: name must be a string",
				`users[6]: email "not an address" is not an e-mail address`,
				"users[7]: must be an object",
				"users[8]: email fine@example.com is already used by users[0]",
				"users[9]: username is 25 characters long, at most 24 fit",
			} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "users[0]:") || strings.Contains(r.stderr, "hunter22") {
				t.Errorf("stderr blames the good entry or echoes a password:\n%s", r.stderr)
			}
			var after int64
			testutil.Must(t, tdb.DB.Model(&model.User{}).Count(&after).Error)
			if after != before {
				t.Fatalf("%d users imported from a bad file", after-before)
			}

			for _, bad := range []string{`{"username": "x"}`, `not json`} {
				p := filepath.Join(t.TempDir(), "bad.json")
				testutil.Must(t, os.WriteFile(p, []byte(bad), 0o600))
				if r := flicket(t, env, "users", "import", "--file", p); r.code != 1 || !strings.Contains(r.stderr, "not a JSON array of users") {
					t.Errorf("import of %q: %+v", bad, r)
				}
			}
			if r := flicket(t, env, "users", "import"); r.code != 1 || !strings.Contains(r.stderr, `"file" not set`) {
				t.Errorf("import without --file: %+v", r)
			}
		})
	}
}

func TestEmailOutstandingCommand(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewDB(t, d)
			env := seededDB(t, tdb)
			db := tdb.DB
			smtp := mailtest.Start(t)
			smtp.Configure(t, db)
			var cat model.Category
			testutil.Must(t, db.First(&cat).Error)
			// Through the model's own changes, as the API would have made them.
			w := testutil.NewWriter(db, nil)
			ticket := func(title string, started, assigned *model.User, status int64) {
				tk := testutil.NewTicket(t, w, started, testutil.WithTitle(title), testutil.InCategory(cat.ID),
					testutil.WithPriority(model.PriorityMedium))
				testutil.Write(t, w, func(tx *model.Tx) error {
					switch {
					case assigned != nil:
						return model.Assign(t.Context(), tx, tk.ID, started, assigned.ID)
					case status == model.StatusClosed:
						return model.Close(t.Context(), tx, tk.ID, started)
					case status != model.StatusOpen:
						return model.ChangeStatus(t.Context(), tx, tk.ID, started, status)
					}
					return nil
				})
			}
			starter := testutil.NewUser(t, db, "starter", nil)
			worker := testutil.NewUser(t, db, "worker", nil, testutil.WithLocale("fr"))
			closer := testutil.NewUser(t, db, "closer", nil)
			off := testutil.NewUser(t, db, "switchedoff", nil, testutil.Disabled())
			ticket("Open one", starter, worker, model.StatusInWork)
			ticket("Waiting one", starter, nil, model.StatusAwaitingInformation)
			ticket("Done one", closer, nil, model.StatusClosed)
			ticket("Disabled's one", off, nil, model.StatusOpen)

			r := flicket(t, env, "email-outstanding")
			if r.code != 0 || !strings.Contains(r.stdout, "queued 2 outstanding-tickets mail(s)") || !strings.Contains(r.stdout, "sent 2 mail(s)") {
				t.Fatalf("email-outstanding: %+v", r)
			}
			msgs := smtp.Messages()
			var to []string
			for _, m := range msgs {
				to = append(to, m.To...)
			}
			sort.Strings(to)
			if want := []string{starter.Email, worker.Email}; strings.Join(to, ",") != strings.Join(want, ",") {
				t.Fatalf("recipients %v, want %v", to, want)
			}
			for _, m := range msgs {
				if m.To[0] == starter.Email && (!strings.Contains(m.Text, "Open one") || !strings.Contains(m.Text, "Waiting one") ||
					!strings.Contains(m.Text, "http://flicket.test/tickets/")) {
					t.Errorf("starter's digest:\n%s", m.Text)
				}
				if m.To[0] == worker.Email && (m.Subject != "Notification des tickets en suspens" || strings.Contains(m.Text, "Waiting one")) {
					t.Errorf("worker's digest %q:\n%s", m.Subject, m.Text)
				}
			}

			t.Run("--no-send leaves the mail to the server", func(t *testing.T) {
				r := flicket(t, env, "email-outstanding", "--no-send")
				if r.code != 0 || !strings.Contains(r.stdout, "queued 2") || strings.Contains(r.stdout, "sent") {
					t.Fatalf("--no-send: %+v", r)
				}
				var pending int64
				testutil.Must(t, db.Model(&model.OutboxMail{}).Where("status = ?", model.MailPending).Count(&pending).Error)
				if pending != 2 || len(smtp.Messages()) != 2 {
					t.Fatalf("pending %d, delivered %d", pending, len(smtp.Messages()))
				}
			})

			t.Run("exit 0 with the mail server down", func(t *testing.T) {
				smtp.Stop()
				r := flicket(t, env, "email-outstanding")
				if r.code != 0 || !strings.Contains(r.stdout, "queued 2") || !strings.Contains(r.stdout, "wait in the outbox") {
					t.Fatalf("server down: %+v", r)
				}
			})

			t.Run("suppressed", func(t *testing.T) {
				testutil.Must(t, db.Model(&model.Settings{}).Where("id = ?", model.SettingsID).Update("mail_suppress_send", true).Error)
				r := flicket(t, env, "email-outstanding")
				if r.code != 0 || !strings.Contains(r.stdout, "marked suppressed") {
					t.Fatalf("suppressed: %+v", r)
				}
			})
		})
	}
}

func TestRecountCommand(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewDB(t, d)
			env := seededDB(t, tdb)
			db := tdb.DB
			var cat model.Category
			testutil.Must(t, db.First(&cat).Error)
			alice := testutil.NewUser(t, db, "alice", nil)
			bob := testutil.NewUser(t, db, "bob", nil)
			now := time.Now().UTC()
			tk := &model.Ticket{Title: "Counted", Content: "c", StartedID: &alice.ID, AssignedID: &bob.ID, DateAdded: now,
				StatusID: model.StatusInWork, CategoryID: cat.ID, TicketPriorityID: model.PriorityLow, LastUpdated: now,
				Hours: model.HoursFromFloat(1.5)}
			testutil.Must(t, db.Create(tk).Error)
			for _, h := range []float64{0.25, 2} {
				testutil.Must(t, db.Create(&model.Post{TicketID: tk.ID, Content: "reply", UserID: &bob.ID, DateAdded: now, Hours: model.HoursFromFloat(h)}).Error)
			}
			// Counters as a hand-edited database would have them.
			testutil.Must(t, db.Model(&model.User{}).Where("id = ?", alice.ID).Update("total_posts", 7).Error)
			testutil.Must(t, db.Exec("INSERT INTO ticket_counts (category_id, status_id, ticket_priority_id, shard, n) VALUES (?, ?, ?, 3, 5)",
				cat.ID, model.StatusOpen, model.PriorityLow).Error)
			// A shard of changes is folded into the users row.
			testutil.Must(t, db.Exec("INSERT INTO user_counts (user_id, shard, total_posts, total_assigned) VALUES (?, 2, 2, 0)", bob.ID).Error)
			// And the list's columns of a ticket renamed behind the API's back.
			testutil.Must(t, db.Exec("UPDATE tickets SET title = 'Renamed', department_id = 0, assignee_key = ? WHERE id = ?", []byte("x"), tk.ID).Error)

			r := flicket(t, env, "recount")
			num := fmt.Sprintf("%05d", tk.ID)
			for _, want := range []string{
				`user "alice" total_posts: 7 -> 1`,
				`user "alice" total_started: 0 -> 1`,
				`user "bob" total_assigned: 0 -> 1`,
				"ticket " + num + " num_replies: 0 -> 2",
				"ticket " + num + " total_hours: 0.00 -> 3.75",
				fmt.Sprintf("ticket %s last_reply_user_id: none -> %d", num, bob.ID),
				fmt.Sprintf("ticket_counts category %d status %d priority %d: 5 -> 0", cat.ID, model.StatusOpen, model.PriorityLow),
				fmt.Sprintf("ticket_counts category %d status %d priority %d: 0 -> 1", cat.ID, model.StatusInWork, model.PriorityLow),
				"tickets' department_id: 1 stale -> rebuilt",
				"tickets' assignee sort keys: 1 stale -> rebuilt",
				"tickets' title sort keys: 1 stale -> rebuilt",
				"corrected 11 counter(s)",
			} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("recount output lacks %q:\n%s", want, r.stdout)
				}
			}
			if r.code != 0 {
				t.Fatalf("recount: %+v", r)
			}
			var a, b model.User
			testutil.Must(t, db.First(&a, alice.ID).Error)
			testutil.Must(t, db.First(&b, bob.ID).Error)
			var got model.Ticket
			testutil.Must(t, db.First(&got, tk.ID).Error)
			if a.TotalPosts != 1 || b.TotalPosts != 2 || b.TotalAssigned != 1 || got.NumReplies != 2 || got.TotalHours != model.HoursFromFloat(3.75) ||
				got.DepartmentID != cat.DepartmentID || !bytes.Equal(got.TitleKey, sortkey.Key("Renamed")) || !bytes.Equal(got.AssigneeKey, sortkey.Key(bob.Name)) {
				t.Fatalf("after recount: alice %+v bob %+v ticket %+v", a, b, got)
			}
			var shards int64
			testutil.Must(t, db.Model(&model.UserCount{}).Count(&shards).Error)
			if shards != 0 {
				t.Errorf("%d user_counts rows left after recount", shards)
			}
			if r = flicket(t, env, "recount"); r.code != 0 || strings.TrimSpace(r.stdout) != "every counter was already right" {
				t.Fatalf("second recount: %+v", r)
			}
		})
	}
}

// TestServeSendsMail runs the real server: a password-reset request is
// queued by the API and delivered by the background sender that serve
// starts, and SIGTERM stops both.
func TestServeSendsMail(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite://" + filepath.Join(dir, "f.db")
	cmd := exec.Command(os.Args[0], "serve", "--listen", "127.0.0.1:0")
	cmd.Env = append(baseEnv(), "FLICKET_DATABASE_URL="+dbURL, "FLICKET_UPLOAD_DIR="+dir,
		"FLICKET_ADMIN_PASSWORD=admin-pass-1", "FLICKET_BASE_URL=https://help.example.org")
	stderr, err := cmd.StderrPipe()
	testutil.Must(t, err)
	testutil.Must(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }()
	var logs strings.Builder
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	addrRe := regexp.MustCompile(`msg=serving .*address=(\S+)`)
	var addr string
	for addr == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("server exited early:\n%s", logs.String())
			}
			logs.WriteString(line + "\n")
			if m := addrRe.FindStringSubmatch(line); m != nil {
				addr = m[1]
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("server did not start:\n%s", logs.String())
		}
	}
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for line := range lines {
			logs.WriteString(line + "\n")
		}
	}()

	// An administrator points the server at a mail server while it runs.
	db, _, err := database.Open(context.Background(), dbURL, database.Options{})
	testutil.Must(t, err)
	defer func() { _ = database.Close(db) }()
	smtp := mailtest.Start(t)
	smtp.Configure(t, db)

	res, err := http.Post("http://"+addr+"/flicket-api/password-reset", "application/json", strings.NewReader(`{"email": "admin@example.com"}`))
	testutil.Must(t, err)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("password-reset: %d", res.StatusCode)
	}
	m := smtp.WaitFor(t, 1, 20*time.Second)[0]
	if m.To[0] != "admin@example.com" || !strings.Contains(m.Text, "https://help.example.org/reset-password?token=") {
		t.Fatalf("reset mail: %+v", m)
	}

	testutil.Must(t, cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		<-drained
		if err != nil {
			t.Fatalf("serve exited with %v:\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
}

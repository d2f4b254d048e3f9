package dbcopy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/api"
	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/config"
	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/flicketimport"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/setup"
	"github.com/flicket/flicket/backend/internal/testutil"
)

var secret = []byte("copy-test-secret-0123456789abcdef0123456789")

// apiClient answers API requests from one database.
type apiClient struct {
	srv   *api.Server
	token string
}

func newClient(t *testing.T, db *gorm.DB, uploads string) *apiClient {
	t.Helper()
	cfg, err := config.LoadFrom(map[string]string{"FLICKET_UPLOAD_DIR": uploads})
	testutil.Must(t, err)
	now := func() time.Time { return time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC) }
	return &apiClient{srv: api.New(api.Deps{
		DB: db, Config: cfg, Logger: slog.New(slog.DiscardHandler), Hasher: testutil.Hasher(),
		Tokens: auth.NewTokens(secret, cfg.TokenTTL, now), Settings: model.NewSettingsCache(db, 0), Now: now,
	})}
}

func (c *apiClient) get(t *testing.T, method, path string, basic ...string) (int, string) {
	t.Helper()
	req := httptest.NewRequestWithContext(context.Background(), method, path, nil)
	req.Host = "flicket.test"
	if len(basic) == 2 {
		req.SetBasicAuth(basic[0], basic[1])
	} else {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	rec := httptest.NewRecorder()
	c.srv.Handler().ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

// richSQLite is an embedded database with something in every table: the
// original Flicket fixture imported, a token, an outbox mail and a reset.
func richSQLite(t *testing.T) (*testutil.TestDB, *apiClient, string) {
	t.Helper()
	srcURL, _ := testutil.FlicketSource(t)
	tdb := testutil.NewDB(t, database.SQLite)
	uploads := t.TempDir()
	_, err := flicketimport.Run(context.Background(), tdb.DB, flicketimport.Options{From: srcURL, Files: testutil.FlicketFixtureFiles(), UploadDir: uploads})
	testutil.Must(t, err)
	c := newClient(t, tdb.DB, uploads)
	code, body := c.get(t, http.MethodPost, "/flicket-api/tokens", "admin", "FlicketAdmin1")
	if code != http.StatusOK && code != http.StatusCreated {
		t.Fatalf("sign in: %d %s", code, body)
	}
	var tok struct{ Token string }
	testutil.Must(t, json.Unmarshal([]byte(body), &tok))
	c.token = tok.Token
	ticket := int64(41)
	user := int64(3)
	testutil.Must(t, model.EnqueueMails(context.Background(), tdb.DB, []model.OutboxMail{{
		Kind: "reply", TicketID: &ticket, RecipientEmail: "awalker@example.com", RecipientUserID: &user, Locale: "fr",
		Subject: "Ticket #00041 – réponse", BodyText: "Bonjour\n", BodyHTML: "<p>Bonjour</p>",
		Status: model.MailPending, NextAttemptAt: time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC), CreatedAt: time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC),
	}}))
	testutil.Must(t, tdb.DB.Exec("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES (4, ?, ?, ?)",
		strings.Repeat("ab", 32), time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC), time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)).Error)
	return tdb, c, uploads
}

// answers are what the API says about everything, read-only.
var answers = []string{
	"/flicket-api/tickets/?per_page=100", "/flicket-api/ticket/41", "/flicket-api/ticket/43", "/flicket-api/posts/41",
	"/flicket-api/posts/36", "/flicket-api/actions/41", "/flicket-api/actions/42", "/flicket-api/histories?per_page=100",
	"/flicket-api/users/?per_page=100", "/flicket-api/user/3", "/flicket-api/departments?per_page=100",
	"/flicket-api/categories?per_page=100", "/flicket-api/subscriptions/41", "/flicket-api/uploads?per_page=100",
	"/flicket-api/upload/7/download", "/flicket-api/user/4/avatar", "/flicket-api/statuses", "/flicket-api/priorities",
	"/flicket-api/stats", "/flicket-api/config", "/flicket-api/mail/outbox", "/flicket-api/groups", "/flicket-api/me",
	"/flicket-api/department_categories?per_page=100", "/flicket-api/tickets/?q=Prüfstand",
	// A phrase: MariaDB finds it through its word-pairs table, rebuilt by the copy.
	"/flicket-api/tickets/?q=%22export+fails%22",
}

func TestCopyRoundTrip(t *testing.T) {
	if len(testutil.Dialects()) < 3 {
		t.Skip("the round trip needs MariaDB and PostgreSQL")
	}
	src, srcClient, uploads := richSQLite(t)
	want := map[string]string{}
	for _, path := range answers {
		code, body := srcClient.get(t, http.MethodGet, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s on SQLite: %d %s", path, code, body)
		}
		want[path] = body
	}
	pg := testutil.NewEmptyDB(t, database.Postgres)
	my := testutil.NewEmptyDB(t, database.MySQL)
	var progress []string
	counts, err := Run(context.Background(), Options{From: src.URL, To: pg.URL, Progress: func(table string, done, total int) {
		if done == total {
			progress = append(progress, fmt.Sprintf("%s:%d", table, total))
		}
	}})
	testutil.Must(t, err)
	rows := map[string]int{}
	for _, c := range counts {
		rows[c.Table] = c.Rows
	}
	if rows["tickets"] != 43 || rows["posts"] != 495 || rows["api_tokens"] != 1 || rows["mail_outbox"] != 1 || rows["password_resets"] != 1 || rows["ticket_counts"] == 0 {
		t.Errorf("copied rows = %v", rows)
	}
	if !strings.Contains(strings.Join(progress, " "), "posts:495") {
		t.Errorf("progress = %v", progress)
	}
	_, err = Run(context.Background(), Options{From: pg.URL, To: my.URL})
	testutil.Must(t, err)
	for _, target := range []*testutil.TestDB{pg, my} {
		// Files stay where they are: the same folder serves every copy.
		c := newClient(t, target.DB, uploads)
		c.token = srcClient.token
		for _, path := range answers {
			code, body := c.get(t, http.MethodGet, path)
			if code != http.StatusOK || body != want[path] {
				t.Errorf("%s: GET %s differs from SQLite (%d):\n got %.600s\nwant %.600s", target.Dialect, path, code, body, want[path])
			}
		}
		// New rows continue after the copied ids.
		d := model.Department{Department: "After the copy"}
		testutil.Must(t, target.DB.Create(&d).Error)
		if d.ID != 11 {
			t.Errorf("%s: next department id = %d, want 11", target.Dialect, d.ID)
		}
	}
}

// TestCopyChecksUniquenessFirst: "École" and "école" are two departments on
// SQLite but one on PostgreSQL and MariaDB: reported, nothing written.
func TestCopyChecksUniquenessFirst(t *testing.T) {
	src := testutil.NewDB(t, database.SQLite)
	testutil.Must(t, src.DB.Create(&[]model.Department{{Department: "École"}, {Department: "école"}, {Department: "Other"}}).Error)
	for _, d := range testutil.Dialects() {
		if d == database.SQLite {
			continue
		}
		t.Run(string(d), func(t *testing.T) {
			target := testutil.NewEmptyDB(t, d)
			_, err := Run(context.Background(), Options{From: src.URL, To: target.URL})
			if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), `departments 1 "École" and 2 "école" are one department`) {
				t.Fatalf("err = %v", err)
			}
			var n int64
			testutil.Must(t, target.DB.Table("departments").Count(&n).Error)
			if n != 0 {
				t.Errorf("%d departments written", n)
			}
		})
	}
}

// TestCopyRefusesAndRollsBack: a target in use is refused; a row the target
// refuses midway (a name too long for PostgreSQL's column, which SQLite
// never checked) leaves the target as it was.
func TestCopyRefusesAndRollsBack(t *testing.T) {
	src := testutil.NewDB(t, database.SQLite)
	_, err := setup.Run(context.Background(), src.DB, testutil.Hasher(), setup.Options{
		AdminUsername: "admin", AdminPassword: "password-1", AdminEmail: "admin@example.com", SampleDepartments: true,
	})
	testutil.Must(t, err)
	testutil.NewUser(t, src.DB, "alice", nil)
	t.Run("target in use", func(t *testing.T) {
		target := testutil.NewDB(t, database.SQLite)
		testutil.NewUser(t, target.DB, "one", nil)
		testutil.NewUser(t, target.DB, "two", nil)
		if _, err := Run(context.Background(), Options{From: src.URL, To: target.URL}); !errors.Is(err, ErrRefused) {
			t.Fatalf("err = %v", err)
		}
		if _, err := Run(context.Background(), Options{From: src.URL, To: src.URL}); !errors.Is(err, ErrRefused) {
			t.Fatalf("copy onto itself: %v", err)
		}
	})
	if !hasPostgres() {
		return
	}
	t.Run("rollback", func(t *testing.T) {
		testutil.Must(t, src.DB.Exec("INSERT INTO departments (department) VALUES (?)", strings.Repeat("Long name ", 5)).Error)
		target := testutil.NewDB(t, database.Postgres)
		_, err := setup.Run(context.Background(), target.DB, testutil.Hasher(), setup.Options{
			AdminUsername: "root", AdminPassword: "password-2", AdminEmail: "root@example.com",
		})
		testutil.Must(t, err)
		_, err = Run(context.Background(), Options{From: src.URL, To: target.URL})
		if err == nil || !strings.Contains(err.Error(), "departments") {
			t.Fatalf("err = %v", err)
		}
		var users []string
		testutil.Must(t, target.DB.Table("users").Pluck("username", &users).Error)
		var depts int64
		testutil.Must(t, target.DB.Table("departments").Count(&depts).Error)
		if fmt.Sprint(users) != "[root]" || depts != 0 {
			t.Errorf("the target changed: users %v, %d departments", users, depts)
		}
	})
}

func hasPostgres() bool {
	for _, d := range testutil.Dialects() {
		if d == database.Postgres {
			return true
		}
	}
	return false
}

// TestCopyReadsOneSnapshot: rows written while the copy runs (by a server
// still serving) are not half-copied: the copy is the database as it was
// when it started, and its row counts check out.
func TestCopyReadsOneSnapshot(t *testing.T) {
	src := testutil.NewDB(t, database.SQLite)
	_, err := setup.Run(context.Background(), src.DB, testutil.Hasher(), setup.Options{
		AdminUsername: "admin", AdminPassword: "password-1", AdminEmail: "admin@example.com", SampleDepartments: true,
	})
	testutil.Must(t, err)
	var before int64
	testutil.Must(t, src.DB.Table("departments").Count(&before).Error)
	target := testutil.NewEmptyDB(t, database.SQLite)
	written := 0
	_, err = Run(context.Background(), Options{From: src.URL, To: target.URL, Progress: func(string, int, int) {
		// Another writer, as a running server would be.
		testutil.Must(t, src.DB.Create(&model.Department{Department: fmt.Sprintf("Written meanwhile %d", written)}).Error)
		written++
	}})
	testutil.Must(t, err)
	var copied, now int64
	testutil.Must(t, target.DB.Table("departments").Count(&copied).Error)
	testutil.Must(t, src.DB.Table("departments").Count(&now).Error)
	if written == 0 || copied != before || now != before+int64(written) {
		t.Errorf("departments: %d before, %d written meanwhile, %d copied, %d now", before, written, copied, now)
	}
}

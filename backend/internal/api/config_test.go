package api

import (
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/config"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// cachingServer is a server whose settings cache lives an hour, to show
// that saving the config invalidates it.
func (e *testEnv) cachingServer() *Server {
	cfg, err := config.LoadFrom(map[string]string{"FLICKET_UPLOAD_DIR": e.t.TempDir()})
	testutil.Must(e.t, err)
	return New(Deps{
		DB: e.db, Config: cfg,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Hasher:   testutil.Hasher(),
		Tokens:   auth.NewTokens(e.secret, cfg.TokenTTL, e.clock.Now),
		Settings: model.NewSettingsCache(e.db, time.Hour),
		Now:      e.clock.Now,
	})
}

func TestConfig(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		asAdmin := env.as(env.admin)
		stored := func(t *testing.T) *model.Settings {
			t.Helper()
			st, err := model.LoadSettings(t.Context(), env.db)
			testutil.Must(t, err)
			return st
		}
		secret := stored(t).SecretKey

		t.Run("administrators only", func(t *testing.T) {
			for _, groups := range [][]string{{model.SuperUserGroup}, nil} {
				as := env.as(testutil.NewUser(t, env.db, testutil.Unique("cfg"), groups))
				env.call(http.MethodGet, "/flicket-api/config", nil, as).expectError(t, http.StatusForbidden, "forbidden")
				env.call(http.MethodPatch, "/flicket-api/config", map[string]any{"application_title": "Pwned"}, as).expectError(t, http.StatusForbidden, "forbidden")
			}
			if stored(t).ApplicationTitle != "Flicket" {
				t.Error("a non-admin changed the title")
			}
		})

		t.Run("every setting but the secrets", func(t *testing.T) {
			r := env.call(http.MethodGet, "/flicket-api/config", nil, asAdmin).expect(t, http.StatusOK)
			assertJSON(t, r.Body, `{
			 "allowed_extensions": "`+model.DefaultAllowedExtensions+`",
			 "application_title": "Flicket",
			 "base_url": "http://flicket.test",
			 "change_category": false,
			 "change_category_only_admin_or_super_user": false,
			 "csv_dump_limit": 1000,
			 "id": 1,
			 "mail_ascii_attachments": false,
			 "mail_debug": false,
			 "mail_default_sender": null,
			 "mail_max_emails": 10,
			 "mail_password_set": false,
			 "mail_port": 465,
			 "mail_server": null,
			 "mail_suppress_send": true,
			 "mail_use_ssl": false,
			 "mail_use_tls": false,
			 "mail_username": null,
			 "posts_per_page": 50
			}`)
		})

		t.Run("change every field; the password is write-only", func(t *testing.T) {
			r := env.call(http.MethodPatch, "/flicket-api/config", map[string]any{
				"mail_server": " smtp.example.com ", "mail_port": 587, "mail_use_tls": true, "mail_use_ssl": false,
				"mail_debug": true, "mail_username": "mailer", "mail_password": "smtp-s3cret!",
				"mail_default_sender": "Help@Example.com", "mail_max_emails": 25, "mail_suppress_send": false,
				"mail_ascii_attachments": true, "application_title": " Help desk ", "posts_per_page": 20,
				"allowed_extensions": " PDF,.png , jpg,pdf,7z", "base_url": "https://help.example.com/",
				"csv_dump_limit": 5000, "change_category": true, "change_category_only_admin_or_super_user": true,
				"secret_key": "attacker", "id": 2, "ticket_upload_folder": "/etc",
			}, asAdmin).expect(t, http.StatusOK)
			if strings.Contains(string(r.Body), "smtp-s3cret!") || strings.Contains(string(r.Body), secret) ||
				strings.Contains(string(r.Body), `"mail_password"`) || strings.Contains(string(r.Body), "secret_key") {
				t.Fatalf("a secret leaks: %s", r.Body)
			}
			assertJSON(t, r.Body, `{
			 "allowed_extensions": "pdf, png, jpg, 7z",
			 "application_title": "Help desk",
			 "base_url": "https://help.example.com",
			 "change_category": true,
			 "change_category_only_admin_or_super_user": true,
			 "csv_dump_limit": 5000,
			 "id": 1,
			 "mail_ascii_attachments": true,
			 "mail_debug": true,
			 "mail_default_sender": "Help@Example.com",
			 "mail_max_emails": 25,
			 "mail_password_set": true,
			 "mail_port": 587,
			 "mail_server": "smtp.example.com",
			 "mail_suppress_send": false,
			 "mail_use_ssl": false,
			 "mail_use_tls": true,
			 "mail_username": "mailer",
			 "posts_per_page": 20
			}`)
			st := stored(t)
			if st.MailPassword == nil || *st.MailPassword != "smtp-s3cret!" || st.SecretKey != secret || st.ID != 1 {
				t.Errorf("stored password %v, secret changed %v", st.MailPassword, st.SecretKey != secret)
			}
			get := env.call(http.MethodGet, "/flicket-api/config", nil, asAdmin).expect(t, http.StatusOK)
			if strings.Contains(string(get.Body), "smtp-s3cret!") || get.object(t)["mail_password_set"] != true {
				t.Errorf("GET = %s", get.Body)
			}
			// Links now start with the new base URL.
			dep := env.call(http.MethodGet, "/flicket-api/department/1", nil, asAdmin).expect(t, http.StatusOK)
			if !strings.Contains(string(dep.Body), `"self":"https://help.example.com/flicket-api/department/1"`) {
				t.Errorf("links ignore the new base_url: %s", dep.Body)
			}
		})

		t.Run("absent fields stay; empty strings clear the optional ones", func(t *testing.T) {
			env.call(http.MethodPatch, "/flicket-api/config", map[string]any{"posts_per_page": 30}, asAdmin).expect(t, http.StatusOK)
			st := stored(t)
			if st.MailPassword == nil || *st.MailPassword != "smtp-s3cret!" || st.MailServer == nil || st.PostsPerPage != 30 || st.ApplicationTitle != "Help desk" {
				t.Fatalf("absent fields changed: %+v", st)
			}
			r := env.call(http.MethodPatch, "/flicket-api/config", map[string]any{
				"mail_password": "", "mail_server": "", "mail_username": " ", "mail_default_sender": "", "base_url": "",
			}, asAdmin).expect(t, http.StatusOK)
			m := r.object(t)
			if m["mail_password_set"] != false || m["mail_server"] != nil || m["mail_username"] != nil ||
				m["mail_default_sender"] != nil || m["base_url"] != "" {
				t.Errorf("after clearing: %s", r.Body)
			}
			st = stored(t)
			if st.MailPassword != nil || st.MailServer != nil || st.BaseURL != "" {
				t.Errorf("stored %+v", st)
			}
		})

		t.Run("the mail password stays with the server it was typed for", func(t *testing.T) {
			base := map[string]any{"mail_server": "smtp.example.com", "mail_port": 587, "mail_use_tls": true, "mail_use_ssl": false}
			for _, change := range []map[string]any{
				{"mail_server": "attacker.example.net"},
				{"mail_server": "SMTP.example.com.evil"},
				{"mail_port": 2525},
				{"mail_use_tls": false},
				{"mail_use_tls": false, "mail_use_ssl": true},
			} {
				env.call(http.MethodPatch, "/flicket-api/config", base, asAdmin).expect(t, http.StatusOK)
				env.call(http.MethodPatch, "/flicket-api/config", map[string]any{"mail_password": "smtp-s3cret!"}, asAdmin).expect(t, http.StatusOK)
				r := env.call(http.MethodPatch, "/flicket-api/config", change, asAdmin).expect(t, http.StatusOK)
				if r.object(t)["mail_password_set"] != false || stored(t).MailPassword != nil {
					t.Errorf("%v kept the password", change)
				}
			}
			// Unchanged values, other settings, or a new password with the new server keep it.
			env.call(http.MethodPatch, "/flicket-api/config", base, asAdmin).expect(t, http.StatusOK)
			env.call(http.MethodPatch, "/flicket-api/config", map[string]any{"mail_password": "smtp-s3cret!"}, asAdmin).expect(t, http.StatusOK)
			for _, change := range []map[string]any{
				base,
				{"mail_server": "smtp.example.com", "mail_username": "other", "posts_per_page": 40},
				{"mail_server": "smtp2.example.com", "mail_password": "smtp-s3cret!"},
			} {
				r := env.call(http.MethodPatch, "/flicket-api/config", change, asAdmin).expect(t, http.StatusOK)
				if r.object(t)["mail_password_set"] != true {
					t.Errorf("%v dropped the password", change)
				}
			}
			env.call(http.MethodPatch, "/flicket-api/config", map[string]any{"mail_use_tls": false, "mail_password": ""}, asAdmin).expect(t, http.StatusOK)
		})

		t.Run("TLS and SSL exclude each other", func(t *testing.T) {
			env.call(http.MethodPatch, "/flicket-api/config", map[string]any{"mail_use_tls": true, "mail_use_ssl": true}, asAdmin).
				expectField(t, "mail_use_ssl", "exclusive")
			env.call(http.MethodPatch, "/flicket-api/config", map[string]any{"mail_use_tls": true, "mail_use_ssl": false}, asAdmin).expect(t, http.StatusOK)
			// Stored TLS plus a new SSL is refused as a whole.
			env.call(http.MethodPatch, "/flicket-api/config", map[string]any{"mail_use_ssl": true, "posts_per_page": 99}, asAdmin).
				expectField(t, "mail_use_ssl", "exclusive")
			if st := stored(t); st.MailUseSSL || st.PostsPerPage == 99 {
				t.Errorf("a refused change was saved: %+v", st)
			}
			// Switching both in one request is fine.
			env.call(http.MethodPatch, "/flicket-api/config", map[string]any{"mail_use_ssl": true, "mail_use_tls": false}, asAdmin).expect(t, http.StatusOK)
			env.call(http.MethodPatch, "/flicket-api/config", map[string]any{"mail_use_tls": true}, asAdmin).
				expectField(t, "mail_use_tls", "exclusive")
		})

		t.Run("422 per field", func(t *testing.T) {
			before := stored(t)
			cases := []struct {
				field, code string
				value       any
			}{
				{"mail_server", "max", strings.Repeat("s", 129)},
				{"mail_port", "min", 0},
				{"mail_port", "max", 65536},
				{"mail_port", "type", "25"},
				{"mail_use_tls", "type", "yes"},
				{"mail_username", "max", strings.Repeat("u", 129)},
				{"mail_password", "max", strings.Repeat("p", 257)},
				{"mail_default_sender", "email", "not-an-address"},
				{"mail_default_sender", "max", strings.Repeat("a", 120) + "@example.com"},
				{"mail_max_emails", "min", 0},
				{"application_title", "min", " ab "},
				{"application_title", "max", strings.Repeat("t", 33)},
				{"posts_per_page", "min", 9},
				{"posts_per_page", "max", 201},
				{"allowed_extensions", "format", "pdf, bad ext"},
				{"allowed_extensions", "format", "pdf, waytoolongext"},
				{"allowed_extensions", "format", "pdf;png"},
				{"allowed_extensions", "required", " , ,"},
				{"base_url", "url", "ftp://example.com"},
				{"base_url", "url", "example.com"},
				{"base_url", "url", "https://example.com/?q=1"},
				{"base_url", "url", "https://user:pw@example.com"},
				{"base_url", "max", "https://example.com/" + strings.Repeat("p", 120)},
				{"csv_dump_limit", "min", 0},
				{"csv_dump_limit", "max", 100001},
				{"change_category", "type", 1},
			}
			for _, tc := range cases {
				env.call(http.MethodPatch, "/flicket-api/config", map[string]any{tc.field: tc.value}, asAdmin).expectField(t, tc.field, tc.code)
			}
			if after := stored(t); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused change was saved:\n%+v\n%+v", before, after)
			}
			env.call(http.MethodPatch, "/flicket-api/config", `[1]`, asAdmin).expectError(t, http.StatusBadRequest, "request.malformed_json")
		})

		t.Run("saving invalidates the cached settings", func(t *testing.T) {
			srv := env.cachingServer()
			list := func() Envelope[Department] {
				var e Envelope[Department]
				env.do(srv, http.MethodGet, "/flicket-api/departments/", nil, asAdmin).expect(t, http.StatusOK).decode(t, &e)
				return e
			}
			env.do(srv, http.MethodPatch, "/flicket-api/config", map[string]any{"posts_per_page": 50}, asAdmin).expect(t, http.StatusOK)
			if e := list(); e.Meta.PerPage != 50 {
				t.Fatalf("per_page = %d", e.Meta.PerPage)
			}
			env.do(srv, http.MethodPatch, "/flicket-api/config", map[string]any{"posts_per_page": 10}, asAdmin).expect(t, http.StatusOK)
			if e := list(); e.Meta.PerPage != 10 {
				t.Errorf("the cache was not invalidated: per_page = %d", e.Meta.PerPage)
			}
		})
	})
}

// TestDBWritersReachTheWriter: FLICKET_DB_WRITERS sets how many write
// transactions the server runs at once on MariaDB and PostgreSQL; SQLite
// writes one at a time whatever it says, and unset means two per CPU.
func TestDBWritersReachTheWriter(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		told, unset := 3, model.DefaultWriters()
		if tdb.Dialect == "sqlite" {
			told, unset = 1, 1
		}
		if got := env.newServerWith(map[string]string{"FLICKET_DB_WRITERS": "3"}).writer.Writers(); got != told {
			t.Errorf("FLICKET_DB_WRITERS=3: %d at once, want %d", got, told)
		}
		if got := env.newServerWith(nil).writer.Writers(); got != unset {
			t.Errorf("unset: %d at once, want %d", got, unset)
		}
	})
}

// TestDBSearchesReachTheGate: FLICKET_DB_SEARCHES sets how many searches
// run at once on every database; unset, one per CPU on SQLite and two per
// CPU on MariaDB and PostgreSQL.
func TestDBSearchesReachTheGate(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		unset := 2 * runtime.GOMAXPROCS(0)
		if tdb.Dialect == "sqlite" {
			unset = runtime.GOMAXPROCS(0)
		}
		if got := env.newServerWith(map[string]string{"FLICKET_DB_SEARCHES": "3"}).searches.Slots(); got != 3 {
			t.Errorf("FLICKET_DB_SEARCHES=3: %d at once", got)
		}
		if got := env.newServerWith(nil).searches.Slots(); got != unset {
			t.Errorf("unset: %d at once, want %d", got, unset)
		}
	})
}

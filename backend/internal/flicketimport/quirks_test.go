package flicketimport

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

func mustExec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// copyTree copies the fixture's files so a test can remove some.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o750)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	testutil.Must(t, err)
	return to
}

func hasWarning(rep *Report, kind, contains string) bool {
	for _, m := range rep.Warnings[kind] {
		if strings.Contains(m, contains) {
			return true
		}
	}
	return false
}

// TestImportQuirks bends the fixture into every quirk of the original's
// data found in real installations, imports it into each database and
// checks each quirk's documented outcome (README, "Moving from Flicket").
func TestImportQuirks(t *testing.T) {
	srcURL, src := testutil.FlicketSource(t)
	// As one statement, so the session variable holds for all of it: the
	// original's MariaDB database has foreign keys, and orphans exist where
	// they were switched off or rows were deleted around them.
	mustExec(t, src, "SET FOREIGN_KEY_CHECKS = 0; "+strings.Join([]string{
		// NULL and empty e-mail addresses.
		"UPDATE flicket_users SET email = NULL WHERE id = 5",
		"UPDATE flicket_users SET email = '' WHERE id = 6",
		// A domain-login installation: users without a bcrypt password.
		"UPDATE flicket_config SET use_auth_domain = 1, auth_domain = 'CORP'",
		"UPDATE flicket_users SET password = NULL WHERE id = 7",
		"UPDATE flicket_users SET password = 'not-a-hash' WHERE id = 8",
		// An action pointing at a reply of another ticket.
		"UPDATE flicket_ticket_action SET post_id = 1 WHERE id = 14",
		// Orphans and dangling references.
		"INSERT INTO flicket_post (id, ticket_id, content, user_id, date_added, hours) VALUES (900, 999, 'lost', 3, '2025-01-01 10:00:00', 0)",
		"INSERT INTO flicket_ticket_subscription (id, ticket_id, user_id) VALUES (900, 41, 999), (901, 41, 3)",
		"INSERT INTO flicket_uploads (id, posts_id, topic_id, filename, original_filename) VALUES (900, NULL, 999, 'lost0000.txt', 'lost.txt')",
		"INSERT INTO flicket_history (id, post_id, topic_id, date_modified, original_content, user_id) VALUES (900, 9999, NULL, '2025-01-01 10:00:00', 'old', 3)",
		"INSERT INTO flicket_ticket_action (id, ticket_id, post_id, user_id, date, action) VALUES (900, 999, NULL, 3, '2025-01-01 10:00:00', 'claim')",
		"INSERT INTO flicket_ticket_action (id, ticket_id, post_id, user_id, date, action, data) VALUES (901, 1, NULL, 3, '2019-01-01 10:00:00', 'open', '{\"note\": \"migrated during 0.2.1 release\"}')",
		"INSERT INTO flicket_groups (user_id, group_id) VALUES (999, 1), (1, 1)",
		"UPDATE flicket_topic SET started_id = 999 WHERE id = 1",
		"UPDATE flicket_topic SET category_id = 999 WHERE id = 2",
		// Text that is not UTF-8, as old latin1/binary MySQL tables hold it.
		"ALTER TABLE flicket_topic MODIFY title VARBINARY(128)",
		"UPDATE flicket_topic SET title = X'436166E920686F7572732066696C6520E97465' WHERE id = 3",
		// Mail settings our rules refuse: a password over a plain connection.
		"UPDATE flicket_config SET mail_server = 'smtp.example.com', mail_port = 25, mail_username = 'flicket', mail_password = 'secret', mail_use_tls = 0, mail_use_ssl = 0, mail_default_sender = 'help@example.com', mail_suppress_send = 0",
	}, "; "))
	files := copyTree(t, testutil.FlicketFixtureFiles())
	testutil.Must(t, os.Remove(filepath.Join(files, "application/flicket/static/flicket_uploads/cw7aygaa.txt")))
	paris, err := time.LoadLocation("Europe/Paris")
	testutil.Must(t, err)

	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewDB(t, d)
			db := tdb.DB
			rep, err := Run(context.Background(), db, Options{From: srcURL, Files: files, UploadDir: t.TempDir(), Timezone: paris})
			if err != nil {
				var b strings.Builder
				rep.Print(&b)
				t.Fatalf("import: %v\n%s", err, b.String())
			}
			user := func(id int64) model.User {
				var u model.User
				testutil.Must(t, db.First(&u, id).Error)
				return u
			}
			t.Run("counters and list keys are exact despite the orphans", func(t *testing.T) {
				changes, err := model.RecountAll(context.Background(), db)
				testutil.Must(t, err)
				if len(changes) > 0 {
					t.Errorf("recount changed %+v", changes)
				}
			})
			t.Run("naive datetimes are local times of --timezone", func(t *testing.T) {
				var tk model.Ticket
				testutil.Must(t, db.Select("date_added").First(&tk, 41).Error)
				// 02:15:1x in Paris in December is 01:15:1x UTC.
				if got := tk.DateAdded.UTC().Format("2006-01-02 15:04"); got != "2026-12-06 01:15" || !hasWarning(rep, WarnTimezone, "Europe/Paris") {
					t.Errorf("ticket 41 date_added = %s", got)
				}
			})
			t.Run("NULL or empty e-mail: a placeholder address, reported", func(t *testing.T) {
				if u := user(5); u.Email != "cpatel.5@example.invalid" || !hasWarning(rep, WarnMissingValue, "user 5 (cpatel) has no e-mail") {
					t.Errorf("user 5 e-mail = %q", u.Email)
				}
				if u := user(6); u.Email != "dmurphy.6@example.invalid" {
					t.Errorf("user 6 e-mail = %q", u.Email)
				}
			})
			t.Run("users without a usable password must reset it", func(t *testing.T) {
				for _, id := range []int64{7, 8} {
					if u := user(id); u.Password != "!" || !hasWarning(rep, WarnUnusablePassword, fmt.Sprintf("user %d ", id)) {
						t.Errorf("user %d password = %q", id, u.Password)
					}
				}
				if !hasWarning(rep, WarnAuthDomain, "use_auth_domain") {
					t.Errorf("use_auth_domain not reported: %v", rep.Warnings)
				}
			})
			t.Run("an action's post of another ticket: none, reported; the latest-reply post_id kept", func(t *testing.T) {
				var a14, a15 model.Action
				testutil.Must(t, db.First(&a14, 14).Error)
				testutil.Must(t, db.First(&a15, 15).Error)
				if a14.PostID != nil || a15.PostID == nil || *a15.PostID != 77 || !hasWarning(rep, WarnDanglingReference, "action 14 points at reply 1") {
					t.Errorf("action 14 post %v, action 15 post %v", a14.PostID, a15.PostID)
				}
				if !hasWarning(rep, WarnActionPost, "latest reply") {
					t.Errorf("post_id meaning not reported")
				}
			})
			t.Run("orphan rows are not imported and each is listed", func(t *testing.T) {
				for table, id := range map[string]int64{"posts": 900, "subscriptions": 900, "uploads": 900, "histories": 900, "actions": 900} {
					var n int64
					testutil.Must(t, db.Table(table).Where("id = ?", id).Count(&n).Error)
					if n != 0 {
						t.Errorf("%s %d imported", table, id)
					}
				}
				for _, want := range []string{"reply 900 belongs to ticket 999", "subscription 900", "upload 900", "history 900", "action 900 belongs to ticket 999", "(user 999, group 1)"} {
					if !hasWarning(rep, WarnOrphan, want) {
						t.Errorf("orphan %q not reported: %v", want, rep.Warnings[WarnOrphan])
					}
				}
				if !hasWarning(rep, WarnDuplicate, "user 3 is subscribed to ticket 41 twice") || !hasWarning(rep, WarnDuplicate, "user 1 is in group 1 twice") {
					t.Errorf("duplicates not reported: %v", rep.Warnings[WarnDuplicate])
				}
				var t1 model.Ticket
				testutil.Must(t, db.First(&t1, 1).Error)
				if t1.StartedID != nil || !hasWarning(rep, WarnDanglingReference, "ticket 1 started_id points at user 999") {
					t.Errorf("ticket 1 started_id = %v", t1.StartedID)
				}
				var t2 model.Ticket
				testutil.Must(t, db.First(&t2, 2).Error)
				var cat model.Category
				testutil.Must(t, db.First(&cat, t2.CategoryID).Error)
				if cat.Category != "Without category" || t2.CategoryID != 26 {
					t.Errorf("ticket 2 is in category %d %q", t2.CategoryID, cat.Category)
				}
			})
			t.Run("a legacy action kind is kept and reported", func(t *testing.T) {
				var a model.Action
				testutil.Must(t, db.First(&a, 901).Error)
				if a.Action != "open" || a.Data == nil || !hasWarning(rep, WarnActionKind, `action 901 has kind "open"`) {
					t.Errorf("action 901 = %+v", a)
				}
			})
			t.Run("a missing upload file: the row is kept, listed as missing", func(t *testing.T) {
				var up model.Upload
				testutil.Must(t, db.First(&up, 1).Error)
				if up.Size != 0 || up.ContentType != "application/octet-stream" || !hasWarning(rep, WarnMissingFile, "upload 1 cw7aygaa.txt (logfile-1.txt) is not in") {
					t.Errorf("upload 1 = %+v, warnings %v", up, rep.Warnings[WarnMissingFile])
				}
			})
			t.Run("text that is not UTF-8 is read as Windows-1252", func(t *testing.T) {
				var tk model.Ticket
				testutil.Must(t, db.Select("title").First(&tk, 3).Error)
				if tk.Title != "Café hours file éte" || !hasWarning(rep, WarnNotUTF8, "ticket 3 title") {
					t.Errorf("ticket 3 title = %q", tk.Title)
				}
			})
			t.Run("mail settings our rules refuse: kept, sending suppressed", func(t *testing.T) {
				var st model.Settings
				testutil.Must(t, db.First(&st).Error)
				if !st.MailSuppressSend || st.MailServer == nil || *st.MailServer != "smtp.example.com" || st.MailPassword == nil ||
					!hasWarning(rep, WarnMailSettings, "unencrypted connection") {
					t.Errorf("settings = %+v", st)
				}
			})
			t.Run("the notification system user is imported disabled", func(t *testing.T) {
				if u := user(2); !u.Disabled || u.Username != "notification" || !hasWarning(rep, WarnNotificationUser, "user 2") {
					t.Errorf("user 2 = %+v", u)
				}
			})
		})
	}
}

// TestImportCaseOnlyDuplicates: a SQLite or PostgreSQL original can hold
// names that differ only in letter case, which our unique rules refuse.
func TestImportCaseOnlyDuplicates(t *testing.T) {
	_, mysqlDB := testutil.FlicketSource(t)
	srcURL, src := sourceVariant(t, database.SQLite, mysqlDB)
	mustExec(t, src,
		"UPDATE flicket_users SET username = 'AWalker' WHERE id = 5",
		"UPDATE flicket_department SET department = 'design' WHERE id = 7",
		"UPDATE flicket_group SET group_name = 'Super_User' WHERE id = 2",
		"INSERT INTO flicket_group (id, group_name) VALUES (3, 'SUPER_USER')",
		"INSERT INTO flicket_groups (user_id, group_id) VALUES (5, 3)",
		// '0' and '1' in boolean columns, as text.
		"UPDATE flicket_users SET disabled = '0' WHERE id = 8",
		"UPDATE flicket_users SET disabled = '1' WHERE id = 9",
		"UPDATE flicket_config SET change_category = '0'",
		// Bytes that are not UTF-8 in a SQLite text column.
		"UPDATE flicket_post SET content = CAST(X'4D657263692062656175636F7570209620E0206269656E74F474' AS TEXT) WHERE id = 2",
	)
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewDB(t, d)
			db := tdb.DB
			rep, err := Run(context.Background(), db, Options{From: srcURL, UploadDir: t.TempDir()})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			var u5 model.User
			testutil.Must(t, db.First(&u5, 5).Error)
			if u5.Username != "AWalker_5" || !hasWarning(rep, WarnUsernameCase, `user 5 "AWalker" differs from user 3 "awalker"`) {
				t.Errorf("user 5 username = %q: %v", u5.Username, rep.Warnings)
			}
			var dept model.Department
			testutil.Must(t, db.First(&dept, 7).Error)
			if dept.Department != "design 7" {
				t.Errorf("department 7 = %q", dept.Department)
			}
			// Group 3 is group 2 in another case: its member joins group 2.
			var groups []int64
			testutil.Must(t, db.Table("group_members").Where("user_id = 5").Pluck("group_id", &groups).Error)
			if fmt.Sprint(groups) != "[2]" || !hasWarning(rep, WarnNameCase, "group 3") {
				t.Errorf("user 5 groups = %v", groups)
			}
			var disabled []int64
			testutil.Must(t, db.Table("users").Where("disabled = ?", true).Order("id").Pluck("id", &disabled).Error)
			if fmt.Sprint(disabled) != "[2 9]" {
				t.Errorf("disabled users = %v, want the notification user and user 9", disabled)
			}
			var post model.Post
			testutil.Must(t, db.First(&post, 2).Error)
			if post.Content != "Merci beaucoup – à bientôt" || !hasWarning(rep, WarnNotUTF8, "reply 2 content") {
				t.Errorf("post 2 = %q", post.Content)
			}
		})
	}
}

// TestImportRefusesCaseOnlyDuplicateEmails: two accounts whose addresses
// differ only in case cannot both be kept: the import names them and writes
// nothing.
func TestImportRefusesCaseOnlyDuplicateEmails(t *testing.T) {
	_, mysqlDB := testutil.FlicketSource(t)
	srcURL, src := sourceVariant(t, database.SQLite, mysqlDB)
	mustExec(t, src, "UPDATE flicket_users SET email = 'AWalker@Example.com' WHERE id = 6")
	tdb := setUpTarget(t, database.SQLite)
	before := snapshot(t, tdb.DB)
	rep, err := Run(context.Background(), tdb.DB, Options{From: srcURL, UploadDir: t.TempDir()})
	if !errors.Is(err, ErrRefused) || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], "users 3 (awalker) and 6 (dmurphy) have the same e-mail address") {
		t.Fatalf("err = %v, errors = %v", err, rep.Errors)
	}
	if after := snapshot(t, tdb.DB); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the target changed")
	}
	var out strings.Builder
	rep.Print(&out)
	if !strings.Contains(out.String(), "error: users 3 (awalker) and 6 (dmurphy)") {
		t.Errorf("report: %s", out.String())
	}
}

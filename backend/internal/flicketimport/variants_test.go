package flicketimport

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// The original's schema as SQLAlchemy creates it on PostgreSQL and SQLite
// (features §1; every column nullable, LargeBinary password, JSON data,
// naive datetimes). Kinds: pk, int, str, bin, dt, bool, num, json.
var originalSchema = []struct {
	table string
	cols  string
}{
	{"alembic_version", "version_num:str"},
	{"flicket_users", "id:pk username:str name:str password:bin email:str date_added:dt date_modified:dt job_title:str avatar:str total_posts:int total_assigned:int token:str token_expiration:dt locale:str disabled:bool"},
	{"flicket_group", "id:pk group_name:str"},
	{"flicket_groups", "user_id:int group_id:int"},
	{"flicket_status", "id:pk status:str"},
	{"flicket_priorities", "id:pk priority:str"},
	{"flicket_department", "id:pk department:str"},
	{"flicket_category", "id:pk category:str department_id:int"},
	{"flicket_topic", "id:pk title:str content:str started_id:int date_added:dt date_modified:dt modified_id:int status_id:int category_id:int assigned_id:int ticket_priority_id:int hours:num last_updated:dt"},
	{"flicket_post", "id:pk ticket_id:int content:str user_id:int date_added:dt date_modified:dt modified_id:int hours:num"},
	{"flicket_ticket_subscription", "id:pk ticket_id:int user_id:int"},
	{"flicket_history", "id:pk post_id:int topic_id:int date_modified:dt original_content:str user_id:int"},
	{"flicket_ticket_action", "id:pk ticket_id:int post_id:int user_id:int recipient_id:int date:dt action:str data:json"},
	{"flicket_uploads", "id:pk posts_id:int topic_id:int filename:str original_filename:str"},
	{"flicket_config", "id:pk mail_server:str mail_port:int mail_use_tls:bool mail_use_ssl:bool mail_debug:bool mail_username:str mail_password:str mail_default_sender:str mail_max_emails:int mail_suppress_send:bool mail_ascii_attachments:bool posts_per_page:int allowed_extensions:str ticket_upload_folder:str avatar_upload_folder:str application_title:str base_url:str auth_domain:str use_auth_domain:bool csv_dump_limit:int change_category:bool change_category_only_admin_or_super_user:bool"},
}

var sqlTypes = map[database.Dialect]map[string]string{
	database.Postgres: {"pk": "SERIAL PRIMARY KEY", "int": "INTEGER", "str": "VARCHAR(5000)", "bin": "BYTEA",
		"dt": "TIMESTAMP WITHOUT TIME ZONE", "bool": "BOOLEAN", "num": "NUMERIC(10,2)", "json": "JSON"},
	database.SQLite: {"pk": "INTEGER PRIMARY KEY", "int": "INTEGER", "str": "VARCHAR(5000)", "bin": "BLOB",
		"dt": "DATETIME", "bool": "BOOLEAN", "num": "NUMERIC(10,2)", "json": "JSON"},
}

// sourceVariant copies the MariaDB fixture into a new PostgreSQL database or
// SQLite file with the original's schema, as the original would have made
// it there, and returns its URL and handle.
func sourceVariant(t *testing.T, d database.Dialect, from *sql.DB) (string, *sql.DB) {
	t.Helper()
	tdb := testutil.NewEmptyDB(t, d)
	db, err := tdb.DB.DB()
	testutil.Must(t, err)
	ctx := context.Background()
	for _, tbl := range originalSchema {
		var defs, names []string
		var kinds []string
		for _, c := range strings.Fields(tbl.cols) {
			name, kind, _ := strings.Cut(c, ":")
			defs = append(defs, name+" "+sqlTypes[d][kind])
			names = append(names, name)
			kinds = append(kinds, kind)
		}
		_, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s (%s)", tbl.table, strings.Join(defs, ", ")))
		testutil.Must(t, err)
		rows, err := from.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s", strings.Join(names, ", "), tbl.table))
		testutil.Must(t, err)
		var all [][]any
		for rows.Next() {
			vals := make([]any, len(names))
			ptrs := make([]any, len(names))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			testutil.Must(t, rows.Scan(ptrs...))
			for i, v := range vals {
				vals[i] = variantValue(d, kinds[i], v)
			}
			all = append(all, vals)
		}
		testutil.Must(t, rows.Err())
		_ = rows.Close()
		marks := make([]string, len(names))
		for i := range marks {
			marks[i] = "?"
			if d == database.Postgres {
				marks[i] = fmt.Sprintf("$%d", i+1)
			}
		}
		ins := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", tbl.table, strings.Join(names, ", "), strings.Join(marks, ", "))
		for _, r := range all {
			_, err := db.ExecContext(ctx, ins, r...)
			testutil.Must(t, err)
		}
	}
	if d == database.Postgres {
		for _, tbl := range originalSchema {
			if strings.HasPrefix(tbl.cols, "id:pk") {
				_, err := db.ExecContext(ctx, fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", tbl.table, tbl.table))
				testutil.Must(t, err)
			}
		}
	}
	return tdb.URL, db
}

// variantValue stores a value as the original does on that database:
// datetimes as naive text (SQLAlchemy's format on SQLite), booleans as
// booleans.
func variantValue(d database.Dialect, kind string, v any) any {
	if v == nil {
		return nil
	}
	switch kind {
	case "dt":
		tm := v.(time.Time)
		return tm.Format("2006-01-02 15:04:05.000000")
	case "bool":
		return v.(int64) != 0
	case "bin":
		return v
	default:
		if b, ok := v.([]byte); ok {
			return string(b)
		}
		return v
	}
}

// TestImportFromEachSourceDatabase imports the same data from a MariaDB,
// a PostgreSQL and a SQLite original and finds the same rows every time.
func TestImportFromEachSourceDatabase(t *testing.T) {
	mysqlURL, mysqlDB := testutil.FlicketSource(t)
	sources := map[database.Dialect]string{database.MySQL: mysqlURL}
	for _, d := range []database.Dialect{database.SQLite, database.Postgres} {
		if d == database.Postgres && !hasDialect(database.Postgres) {
			continue
		}
		sources[d], _ = sourceVariant(t, d, mysqlDB)
	}
	for d, srcURL := range sources {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewDB(t, database.SQLite)
			rep, err := Run(context.Background(), tdb.DB, Options{From: srcURL, Files: testutil.FlicketFixtureFiles(), UploadDir: t.TempDir()})
			if err != nil {
				var b strings.Builder
				rep.Print(&b)
				t.Fatalf("import from %s: %v\n%s", d, err, b.String())
			}
			compareSample(t, mysqlDB, tdb.DB)
			checkCounters(t, tdb.DB)
			if len(rep.Warnings) != 3 {
				t.Errorf("warnings: %v", rep.Warnings)
			}
		})
	}
}

func hasDialect(d database.Dialect) bool {
	for _, x := range testutil.Dialects() {
		if x == d {
			return true
		}
	}
	return false
}

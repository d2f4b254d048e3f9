package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/flicket/flicket/backend/internal/database"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// importFile runs `users import --file` in process on the database named by
// FLICKET_DATABASE_URL; the error, if any, carries what it wrote to stderr.
func importFile(t testing.TB, dir string, content []byte) error {
	path := filepath.Join(dir, "users.json")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := newUsersImportCmd()
	cmd.SetArgs([]string{"--file", path})
	var stderr bytes.Buffer
	cmd.SetOut(io.Discard)
	cmd.SetErr(&stderr)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		return fmt.Errorf("%s%w", stderr.String(), err)
	}
	return nil
}

func TestUsersImportRefusesBrokenText(t *testing.T) {
	tdb := testutil.NewDB(t, database.SQLite)
	testutil.Seed(t, tdb.DB)
	t.Setenv("FLICKET_DATABASE_URL", tdb.URL)
	hash := bcryptHash(t, "x-pass-1")
	for file, says := range map[string]string{
		`[{"username":"ok","name":"Fine","email":"a@example.com","password":"` + hash + `"},{"username":"x","name":"Bad \ud800"}]`: "users[1].name holds \\ud800",
		"[{\"username\":\"caf\xe9\"}]": "users[0].username holds bytes that are not valid UTF-8",
		"[{\"user\xffname\":\"x\"}]":   "a field name in users[0] holds",
		"\xef\xbb\xbf\xff[]":           "the file holds",
		`[{"username":"nulnul","name":"Nul\u0000","email":"n@example.com","password":"` + hash + `"}]`: "users[0]: name holds a NUL character",
	} {
		if err := importFile(t, t.TempDir(), []byte(file)); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("import of %q: %v, want %q", file, err, says)
		}
	}
	var n int64
	testutil.Must(t, tdb.DB.Model(&model.User{}).Where("username IN ?", []string{"ok", "nulnul"}).Count(&n).Error)
	if n != 0 {
		t.Errorf("%d users imported from refused files", n)
	}
}

// FuzzUsersImport feeds any file to `users import`: it imports everything or
// nothing, never panics, and what it imports is clean text.
func FuzzUsersImport(f *testing.F) {
	tdb := testutil.NewDB(f, database.SQLite)
	testutil.Seed(f, tdb.DB)
	f.Setenv("FLICKET_DATABASE_URL", tdb.URL)
	f.Setenv("FLICKET_LOG_LEVEL", "error")
	hash := "$2a$04$0xL5JY0NU3TbWbsVFyUMbeIAqlTSw7i63JqEqL0UWbP.v2Wa8Hx8a"
	for _, s := range []string{
		`[{"username":"jdoe","name":"Jane Doe","email":"jane@example.com","password":"` + hash + `"}]`,
		`[{"username":"Admin","name":"Dup","email":"x@example.com","password":"` + hash + `"},{"username":"b"}]`,
		`[{"username":" spaced ","name":" Name ","email":" MiXed@Example.COM ","password":"` + hash + `"}]`,
		`[{"username":"u","name":1}, "x", null, [], {"username":"\ud800"}]`,
		`[]`, `{}`, `null`, `[{"password":"$2b$12$short"}]`, "[{\"name\":\"\xff\"}]",
	} {
		f.Add([]byte(s))
	}
	count := func() int64 {
		var n int64
		if err := tdb.DB.Model(&model.User{}).Count(&n).Error; err != nil {
			panic(err)
		}
		return n
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		before := count()
		err := importFile(t, t.TempDir(), file)
		after := count()
		if err != nil {
			if after != before {
				t.Fatalf("import failed (%v) but %d users were created", err, after-before)
			}
			return
		}
		var users []model.User
		testutil.Must(t, tdb.DB.Order("id DESC").Limit(int(after-before)).Find(&users).Error)
		for _, u := range users {
			for _, s := range []string{u.Username, u.Name, u.Email, u.Password} {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || s == "" || strings.TrimSpace(s) != s {
					t.Fatalf("imported %+v from %q", u, file)
				}
			}
		}
	})
}

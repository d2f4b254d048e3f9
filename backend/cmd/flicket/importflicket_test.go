package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/testutil"
)

func TestImportFlicketCommand(t *testing.T) {
	srcURL, _ := testutil.FlicketSource(t)
	dir := t.TempDir()
	env := []string{
		"FLICKET_DATABASE_URL=sqlite://" + filepath.Join(dir, "flicket.db"),
		"FLICKET_UPLOAD_DIR=" + filepath.Join(dir, "uploads"),
	}
	if r := flicket(t, env, "import-flicket"); r.code != 1 || !strings.Contains(r.stderr, "--from is required") {
		t.Fatalf("without --from: %+v", r)
	}
	if r := flicket(t, env, "import-flicket", "--from", srcURL, "--timezone", "Mars/Olympus"); r.code != 1 || !strings.Contains(r.stderr, "--timezone") {
		t.Fatalf("bad --timezone: %+v", r)
	}
	r := flicket(t, env, "import-flicket", "--from", srcURL, "--dry-run", "--timezone", "Europe/Paris")
	if r.code != 0 || !strings.Contains(r.stdout, "dry run: nothing was written") || !strings.Contains(r.stdout, "warning naive_datetimes: 1") {
		t.Fatalf("dry run: %+v", r)
	}
	r = flicket(t, env, "import-flicket", "--from", srcURL, "--files", testutil.FlicketFixtureFiles())
	if r.code != 0 || !strings.Contains(r.stdout, "imported in") {
		t.Fatalf("import: %+v", r)
	}
	// Progress: one line per table when stderr is not a terminal.
	for _, want := range []string{"users: 20 rows", "tickets: 43 rows", "posts: 495 rows", "uploads: 7 rows"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("progress lacks %q:\n%s", want, r.stderr)
		}
	}
	// A second import finds tickets in the target: refused, exit status 1.
	r = flicket(t, env, "import-flicket", "--from", srcURL, "--files", testutil.FlicketFixtureFiles())
	if r.code != 1 || !strings.Contains(r.stderr, "import refused") || !strings.Contains(r.stderr, "rows in tickets") {
		t.Fatalf("second import: %+v", r)
	}
}

func TestCopyCommand(t *testing.T) {
	dir := t.TempDir()
	from := "sqlite://" + filepath.Join(dir, "flicket.db")
	env := []string{"FLICKET_DATABASE_URL=" + from, "FLICKET_ADMIN_PASSWORD=admin-password-1"}
	if r := flicket(t, env, "setup", "--admin-email", "admin@example.com", "--admin-password", "admin-password-1"); r.code != 0 {
		t.Fatalf("setup: %+v", r)
	}
	if r := flicket(t, env, "copy"); r.code != 1 || !strings.Contains(r.stderr, "--to is required") {
		t.Fatalf("without --to: %+v", r)
	}
	to := "sqlite://" + filepath.Join(dir, "copy.db")
	r := flicket(t, env, "copy", "--to", to)
	if r.code != 0 || !strings.Contains(r.stdout, "row counts verified") || !strings.Contains(r.stderr, "users: 1 rows") {
		t.Fatalf("copy: %+v", r)
	}
	// The copy is a working database: the administrator is there.
	r = flicket(t, []string{"FLICKET_DATABASE_URL=" + to}, "users", "export", "--file", filepath.Join(dir, "users.json"))
	if r.code != 0 {
		t.Fatalf("export from the copy: %+v", r)
	}
	// Copying onto itself is refused, exit status 1.
	if r := flicket(t, env, "copy", "--to", from); r.code != 1 || !strings.Contains(r.stderr, "copy refused") {
		t.Fatalf("copy onto itself: %+v", r)
	}
}

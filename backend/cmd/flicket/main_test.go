package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/database/migrations"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// The test binary doubles as the flicket binary: with FLICKET_TEST_RUN_MAIN
// set it runs main(), so these tests see real exit codes and output.
func TestMain(m *testing.M) {
	if os.Getenv("FLICKET_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type result struct {
	code           int
	stdout, stderr string
}

func flicket(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(baseEnv(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FLICKET_") {
			env = append(env, kv)
		}
	}
	return append(env, "FLICKET_TEST_RUN_MAIN=1", "FLICKET_BCRYPT_COST=4")
}

func TestVersion(t *testing.T) {
	r := flicket(t, nil, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "flicket ") {
		t.Fatalf("version: %+v", r)
	}
}

func TestBadConfigurationIsOneLine(t *testing.T) {
	cases := []struct {
		env  []string
		says string
	}{
		{[]string{"FLICKET_DATABASE_URL=nonsense"}, "no scheme"},
		{[]string{"FLICKET_DATABASE_URL=mysql://root:hunter2@127.0.0.1:1/flicket?timeout=2s"}, "cannot reach the mysql database"},
		{[]string{"FLICKET_DATABASE_URL=postgres://u:hunter2@127.0.0.1:1/flicket?connect_timeout=2"}, "cannot reach the postgres database"},
		{[]string{"FLICKET_TOKEN_TTL=forever"}, "FLICKET_TOKEN_TTL"},
		{[]string{"FLICKET_BASE_URL=example.com"}, "FLICKET_BASE_URL"},
	}
	for _, tc := range cases {
		for _, cmd := range [][]string{{"serve"}, {"migrate", "status"}} {
			r := flicket(t, tc.env, cmd...)
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if r.code != 1 || len(lines) != 1 || !strings.Contains(r.stderr, tc.says) {
				t.Errorf("%v %v: exit %d, stderr %q; want exit 1 and one line saying %q", tc.env, cmd, r.code, r.stderr, tc.says)
			}
			if strings.Contains(r.stderr, "hunter2") || strings.Contains(r.stderr, "goroutine") {
				t.Errorf("%v: stderr leaks: %q", tc.env, r.stderr)
			}
		}
	}
}

func TestMigrateAndSetupCommands(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewEmptyDB(t, d)
			env := []string{"FLICKET_DATABASE_URL=" + tdb.URL}

			r := flicket(t, env, "migrate", "status")
			if r.code != 0 || !strings.Contains(r.stdout, "pending  0001_initial_schema") {
				t.Fatalf("status before: %+v", r)
			}
			if r = flicket(t, env, "migrate", "up"); r.code != 0 {
				t.Fatalf("up: %+v", r)
			}
			if r = flicket(t, env, "migrate", "status"); !strings.Contains(r.stdout, "applied  0001_initial_schema") {
				t.Fatalf("status after up: %+v", r)
			}

			// Without a terminal, missing admin fields are an error, not a prompt.
			r = flicket(t, env, "setup")
			if r.code != 1 || !strings.Contains(r.stderr, "--admin-email") {
				t.Fatalf("setup without flags: %+v", r)
			}
			args := []string{"setup", "--admin-username", "root", "--admin-password", "a-long-password", "--admin-email", "root@example.com", "--base-url", "https://flicket.example.com"}
			if r = flicket(t, env, args...); r.code != 0 || !strings.Contains(r.stdout, `created administrator "root"`) {
				t.Fatalf("setup: %+v", r)
			}
			if r = flicket(t, env, args...); r.code != 0 || !strings.Contains(r.stdout, "already exists") {
				t.Fatalf("setup again: %+v", r)
			}

			all := fmt.Sprintf("rolled back %d migration(s)", len(migrations.All()))
			if r = flicket(t, env, "migrate", "down", "--all"); r.code != 0 || !strings.Contains(r.stdout, all) {
				t.Fatalf("down: %+v", r)
			}
			if r = flicket(t, env, "migrate", "status"); !strings.Contains(r.stdout, "pending  0001_initial_schema") {
				t.Fatalf("status after down: %+v", r)
			}
		})
	}
}

func TestSeedDemo(t *testing.T) {
	for _, d := range testutil.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			tdb := testutil.NewEmptyDB(t, d)
			env := []string{"FLICKET_DATABASE_URL=" + tdb.URL, "FLICKET_ADMIN_PASSWORD=admin-pass-1"}
			r := flicket(t, env, "seed-demo", "--tickets", "120", "--posts-per-ticket", "2", "--users", "5", "--batch", "50")
			if r.code != 0 || !strings.Contains(r.stdout, "added 120 tickets, 240 replies and 5 users") ||
				!strings.Contains(r.stderr, "seed-demo: 120/120 tickets") {
				t.Fatalf("seed-demo: %+v", r)
			}
			var n int64
			testutil.Must(t, tdb.DB.Raw("SELECT COALESCE(SUM(n), 0) FROM ticket_counts").Scan(&n).Error)
			if n != 120 {
				t.Errorf("ticket_counts sum = %d", n)
			}
			if r := flicket(t, env, "seed-demo", "--tickets", "-1"); r.code != 1 || !strings.Contains(r.stderr, "negative") {
				t.Errorf("negative count: %+v", r)
			}
		})
	}
}

// TestServeFirstRunAndGracefulStop runs the real server on an empty SQLite
// database: it migrates, creates the admin with a printed password, serves,
// and stops cleanly on SIGTERM.
func TestServeFirstRunAndGracefulStop(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "serve", "--listen", "127.0.0.1:0")
	cmd.Env = append(baseEnv(), "FLICKET_DATABASE_URL=sqlite://"+filepath.Join(dir, "f.db"), "FLICKET_UPLOAD_DIR="+dir)
	stderr, err := cmd.StderrPipe()
	testutil.Must(t, err)
	testutil.Must(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }()

	var password, addr string
	var logs strings.Builder
	pwRe := regexp.MustCompile(`administrator "admin" with password (\S+)`)
	addrRe := regexp.MustCompile(`msg=serving .*address=(\S+)`)
	sc := bufio.NewScanner(stderr)
	deadline := time.After(60 * time.Second)
	lines := make(chan string)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for addr == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("server exited early:\n%s", logs.String())
			}
			logs.WriteString(line + "\n")
			if m := pwRe.FindStringSubmatch(line); m != nil {
				password = m[1]
			}
			if m := addrRe.FindStringSubmatch(line); m != nil {
				addr = m[1]
			}
		case <-deadline:
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
	if password == "" {
		t.Fatalf("no generated password printed:\n%s", logs.String())
	}

	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/flicket-api/tokens", nil)
	req.SetBasicAuth("admin", password)
	res, err := http.DefaultClient.Do(req)
	testutil.Must(t, err)
	var tok struct{ Token string }
	testutil.Must(t, json.NewDecoder(res.Body).Decode(&tok))
	res.Body.Close()
	req, _ = http.NewRequest(http.MethodGet, "http://"+addr+"/flicket-api/statuses/", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	res, err = http.DefaultClient.Do(req)
	testutil.Must(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"Awaiting Information"`) {
		t.Fatalf("statuses: %d %s", res.StatusCode, body)
	}

	if r := flicket(t, nil, "healthcheck", "--url", "http://"+addr+"/readyz"); r.code != 0 || r.stdout != "ok\n" {
		t.Errorf("healthcheck on a running server: %+v", r)
	}

	testutil.Must(t, cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v:\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	if r := flicket(t, nil, "healthcheck", "--url", "http://"+addr+"/readyz"); r.code != 1 {
		t.Errorf("healthcheck on a stopped server: %+v", r)
	}
	<-drained // every log line read before logs is
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown line:\n%s", logs.String())
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "msg=request") && !strings.Contains(line, "request_id=") {
			t.Errorf("access line without request id: %s", line)
		}
	}
}

// TestSetupPromptsOnATerminal runs setup on a pseudo-terminal (util-linux's
// script) with the e-mail and password missing: it asks for them, asks again
// when the two passwords differ, and creates the administrator.
func TestSetupPromptsOnATerminal(t *testing.T) {
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script (util-linux) is not installed")
	}
	tdb := testutil.NewEmptyDB(t, "sqlite")
	cmd := exec.Command(scriptBin, "-qec", os.Args[0]+" setup --admin-username boss --no-sample-data", "/dev/null")
	cmd.Env = append(baseEnv(), "FLICKET_DATABASE_URL="+tdb.URL)
	cmd.Stdin = strings.NewReader("boss@example.com\nfirst-pass-1\nother-pass-2\nfinal-pass-3\nfinal-pass-3\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("setup on a terminal: %v\n%s", err, out)
	}
	for _, want := range []string{`E-mail of administrator "boss"`, "Password (8+ characters)", "The passwords differ", `created administrator "boss"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	u, err := model.FindUserByUsername(context.Background(), tdb.DB, "boss")
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "boss@example.com" || !testutil.Hasher().Verify(u.Password, "final-pass-3") {
		t.Errorf("admin = %s, password verifies: %v", u.Email, testutil.Hasher().Verify(u.Password, "final-pass-3"))
	}
}

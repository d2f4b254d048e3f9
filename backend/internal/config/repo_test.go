package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestRepositoryLayout keeps the top level to what the project promises.
func TestRepositoryLayout(t *testing.T) {
	entries, err := os.ReadDir("../../..")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{
		"backend": true, "frontend": true, "api-docs": true, "docker-compose.yml": true,
		".github": true, "Makefile": true, "README.md": true, "LICENSE": true, ".ci": true,
		".git": true, ".gitignore": true, ".dockerignore": true,
		"bin": true, "data": true, // build and run outputs, ignored by git
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Name()] = true
		if !allowed[e.Name()] {
			t.Errorf("unexpected top-level entry %q", e.Name())
		}
	}
	for _, must := range []string{"backend", "frontend", "api-docs", "docker-compose.yml", ".github", "Makefile", "README.md", "LICENSE", ".ci"} {
		if !seen[must] {
			t.Errorf("top-level %s is missing", must)
		}
	}
	license, err := os.ReadFile("../../../LICENSE")
	if err != nil || !strings.HasPrefix(string(license), "MIT License") {
		t.Errorf("LICENSE is not the MIT licence")
	}
	mk, err := os.ReadFile("../../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"run", "test", "lint", "build", "api-docs", "bench"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(target) + `:`).Match(mk) {
			t.Errorf("Makefile has no %q target", target)
		}
	}
	if !strings.Contains(string(mk), "-o ../bin/flicket ./cmd/flicket") {
		t.Error("make build does not build backend/cmd/flicket into bin/flicket")
	}
}

// TestDocsAndCIAgree checks the README documents every FLICKET_* variable
// and gives `make run` and `make test` first, and that CI runs the README's
// test command.
func TestDocsAndCIAgree(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(readme)
	ty := reflect.TypeOf(Config{})
	for i := 0; i < ty.NumField(); i++ {
		name := "FLICKET_" + ty.Field(i).Tag.Get("env")
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("README does not document %s", name)
		}
	}
	first := strings.Index(doc, "## ")
	commands := strings.Index(doc, "make run")
	if first < 0 || commands < 0 || commands > strings.Index(doc, "## Configuration") || !strings.Contains(doc[:strings.Index(doc, "## Configuration")], "make test") {
		t.Error("README does not give make run and make test before the configuration")
	}
	ci, err := os.ReadFile("../../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^make test$`).Match(ci) {
		t.Error(".ci/run does not run `make test`")
	}
	for _, v := range []string{"FLICKET_TEST_MYSQL_URL", "FLICKET_TEST_POSTGRES_URL"} {
		if !strings.Contains(string(ci), "export "+v+"=") {
			t.Errorf(".ci/run does not export %s", v)
		}
	}
	wf, err := os.ReadFile("../../../.github/workflows/ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(wf), "run: make test") {
		t.Error("the GitHub workflow does not run make test")
	}
}

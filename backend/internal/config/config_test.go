package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaults(t *testing.T) {
	c, err := LoadFrom(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "sqlite://data/flicket.db" || c.Listen != ":5000" || c.TokenTTL != 10*time.Hour ||
		c.UploadDir != "data/uploads" || c.BcryptCost != 12 || c.MaxUploadMB != 20 || c.MaxConnections != 1024 || c.CORSOrigins != "*" || c.DBWriters != 0 || c.DBSearches != 0 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestValues(t *testing.T) {
	c, err := LoadFrom(map[string]string{
		"FLICKET_DATABASE_URL": "postgres://u@h/db", "FLICKET_LISTEN": "127.0.0.1:8080",
		"FLICKET_SECRET_KEY": strings.Repeat("k", 32), "FLICKET_BASE_URL": "https://help.example.com/",
		"FLICKET_UPLOAD_DIR": "/srv/uploads", "FLICKET_TOKEN_TTL": "2h30m", "FLICKET_DB_WRITERS": "6",
		"FLICKET_DB_SEARCHES": "5",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != "https://help.example.com" || c.TokenTTL != 150*time.Minute || c.Listen != "127.0.0.1:8080" || c.DBWriters != 6 || c.DBSearches != 5 {
		t.Errorf("config = %+v", c)
	}
}

func TestInvalid(t *testing.T) {
	cases := map[string]map[string]string{
		"FLICKET_TOKEN_TTL":        {"FLICKET_TOKEN_TTL": "ten hours"},
		"FLICKET_TOKEN_TTL ":       {"FLICKET_TOKEN_TTL": "1s"},
		"FLICKET_SECRET_KEY":       {"FLICKET_SECRET_KEY": "short"},
		"FLICKET_BASE_URL":         {"FLICKET_BASE_URL": "help.example.com"},
		"FLICKET_BCRYPT_COST":      {"FLICKET_BCRYPT_COST": "40"},
		"FLICKET_LOG_LEVEL":        {"FLICKET_LOG_LEVEL": "loud"},
		"FLICKET_LOG_FORMAT":       {"FLICKET_LOG_FORMAT": "xml"},
		"FLICKET_MAX_UPLOAD_MB":    {"FLICKET_MAX_UPLOAD_MB": "0"},
		"FLICKET_DATABASE_URL":     {"FLICKET_DATABASE_URL": " "},
		"FLICKET_MAX_CONNECTIONS":  {"FLICKET_MAX_CONNECTIONS": "0"},
		"FLICKET_MAX_CONNECTIONS ": {"FLICKET_MAX_CONNECTIONS": "many"},
		"FLICKET_DB_WRITERS":       {"FLICKET_DB_WRITERS": "-1"},
		"FLICKET_DB_WRITERS ":      {"FLICKET_DB_WRITERS": "four"},
		"FLICKET_DB_SEARCHES":      {"FLICKET_DB_SEARCHES": "-1"},
		"FLICKET_DB_SEARCHES ":     {"FLICKET_DB_SEARCHES": "2000"},
	}
	for name, env := range cases {
		_, err := LoadFrom(env)
		if err == nil {
			t.Errorf("%s accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), strings.TrimSpace(name)) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q should be one line naming the variable", name, err)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := LoadFrom(map[string]string{"FLICKET_TRUSTED_PROXIES": " 10.0.0.0/8, 192.0.2.7,::1 ,fd00::/8,"})
	if err != nil {
		t.Fatal(err)
	}
	nets, err := c.TrustedProxyNets()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range nets {
		got = append(got, n.String())
	}
	if strings.Join(got, " ") != "10.0.0.0/8 192.0.2.7/32 ::1/128 fd00::/8" {
		t.Errorf("nets = %v", got)
	}
	if c, _ := LoadFrom(map[string]string{}); c.TrustedProxies != "" {
		t.Errorf("default %q, want nothing trusted", c.TrustedProxies)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example.com", "10.0.0.0/8;192.0.2.1"} {
		if _, err := LoadFrom(map[string]string{"FLICKET_TRUSTED_PROXIES": bad}); err == nil || !strings.Contains(err.Error(), "FLICKET_TRUSTED_PROXIES") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestFileVariables: FLICKET_SECRET_KEY_FILE, FLICKET_ADMIN_PASSWORD_FILE and
// FLICKET_DATABASE_URL_FILE name files holding the values (Docker secrets).
func TestFileVariables(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	key := strings.Repeat("s3cr3t", 8)
	c, err := LoadFrom(map[string]string{
		"FLICKET_SECRET_KEY_FILE":     write("key", key+"\n"),
		"FLICKET_ADMIN_PASSWORD_FILE": write("admin", "p@ss word \r\n"),
		"FLICKET_DATABASE_URL_FILE":   write("db", "postgres://flicket:pw@db:5432/flicket?sslmode=disable"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.SecretKey != key || c.AdminPassword != "p@ss word " || c.DatabaseURL != "postgres://flicket:pw@db:5432/flicket?sslmode=disable" {
		t.Errorf("config = %+v", c)
	}
	// A value read from a file is validated like any other.
	if _, err := LoadFrom(map[string]string{"FLICKET_SECRET_KEY_FILE": write("short", "short\n")}); err == nil || !strings.Contains(err.Error(), "FLICKET_SECRET_KEY") {
		t.Errorf("short key from a file: %v", err)
	}
	for name, environ := range map[string]map[string]string{
		"FLICKET_SECRET_KEY_FILE":     {"FLICKET_SECRET_KEY_FILE": filepath.Join(dir, "missing")},
		"FLICKET_ADMIN_PASSWORD_FILE": {"FLICKET_ADMIN_PASSWORD_FILE": write("empty", "\n")},
		"FLICKET_DATABASE_URL_FILE":   {"FLICKET_DATABASE_URL_FILE": write("db2", "sqlite://x.db"), "FLICKET_DATABASE_URL": "sqlite://y.db"},
	} {
		_, err := LoadFrom(environ)
		if err == nil || !strings.Contains(err.Error(), name) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v should be one line naming it", name, err)
		}
	}
	// From the process environment too.
	t.Setenv("FLICKET_SECRET_KEY_FILE", write("key2", key))
	if c, err := Load(); err != nil || c.SecretKey != key {
		t.Errorf("Load: %q, %v", c.SecretKey, err)
	}
}

func TestCORSOrigins(t *testing.T) {
	for in, want := range map[string]string{
		"": "*", "*": "*", "none": "", "NONE": "",
		"https://Dash.example.com/, http://localhost:3000": "https://dash.example.com http://localhost:3000",
	} {
		environ := map[string]string{}
		if in != "" {
			environ["FLICKET_CORS_ORIGINS"] = in
		}
		c, err := LoadFrom(environ)
		testMust(t, err)
		got, err := c.CORSOriginList()
		testMust(t, err)
		if strings.Join(got, " ") != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"dash.example.com", "https://x.example.com/app", "ftp://x.example.com", "*, https://x.example.com", "https://u@x.example.com"} {
		if _, err := LoadFrom(map[string]string{"FLICKET_CORS_ORIGINS": bad}); err == nil || !strings.Contains(err.Error(), "FLICKET_CORS_ORIGINS") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func testMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

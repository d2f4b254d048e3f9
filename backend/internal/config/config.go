// Package config reads Flicket's process configuration from FLICKET_* environment
// variables into one typed struct and validates it before anything starts.
//
// Settings that administrators change at run time (mail server, page size, ...)
// live in the database config row instead; see model.Settings.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is the whole process configuration. Every field maps to one FLICKET_*
// variable, documented in README.md.
type Config struct {
	// DatabaseURL selects the database: sqlite://path, mysql://... or postgres://...
	DatabaseURL string `env:"DATABASE_URL" envDefault:"sqlite://data/flicket.db"`
	// Listen is the address the HTTP server binds to.
	Listen string `env:"LISTEN" envDefault:":5000"`
	// SecretKey signs API tokens. When empty, a random key is generated once and
	// kept in the database so that every replica and restart shares it.
	SecretKey string `env:"SECRET_KEY"`
	// BaseURL, when set, overrides the config row's base_url for every link.
	BaseURL string `env:"BASE_URL"`
	// UploadDir holds attachments and avatars, outside any public folder.
	UploadDir string `env:"UPLOAD_DIR" envDefault:"data/uploads"`
	// TokenTTL is how long an API token lives (the original used 10 hours).
	TokenTTL time.Duration `env:"TOKEN_TTL" envDefault:"10h"`
	// AdminPassword is used when the first run creates the admin account.
	AdminPassword string `env:"ADMIN_PASSWORD"`
	// BcryptCost is the bcrypt work factor for new password hashes.
	BcryptCost int `env:"BCRYPT_COST" envDefault:"12"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `env:"LOG_LEVEL" envDefault:"info"`
	// LogFormat is text or json.
	LogFormat string `env:"LOG_FORMAT" envDefault:"text"`
	// MaxUploadMB caps the size of one upload request.
	MaxUploadMB int `env:"MAX_UPLOAD_MB" envDefault:"20"`
	// TrustedProxies lists the reverse proxies (comma-separated CIDRs or
	// addresses) whose X-Forwarded-For and X-Forwarded-Proto are believed;
	// empty believes nobody's.
	TrustedProxies string `env:"TRUSTED_PROXIES"`
	// MaxConnections caps the HTTP connections served at once; more clients
	// wait for a free one. Event streams (later) are counted apart.
	MaxConnections int `env:"MAX_CONNECTIONS" envDefault:"1024"`
	// DBWriters is how many write transactions run at once on MariaDB/MySQL
	// or PostgreSQL; the others wait their turn in order (0: two per CPU).
	// SQLite always runs one at a time.
	DBWriters int `env:"DB_WRITERS" envDefault:"0"`
	// DBSearches is how many searches (the list's and the CSV export's q)
	// run at once; the others wait their turn in order (0: one per CPU on
	// SQLite, two per CPU on MariaDB/MySQL or PostgreSQL).
	DBSearches int `env:"DB_SEARCHES" envDefault:"0"`
	// CORSOrigins lists the origins whose pages may call the API with a
	// bearer token (comma-separated), "*" for any, "none" for no CORS.
	CORSOrigins string `env:"CORS_ORIGINS" envDefault:"*"`
}

// Load reads the configuration from the process environment.
func Load() (Config, error) {
	return LoadFrom(nil)
}

// FileVariables may instead be given as the variable with "_FILE" appended,
// naming a file that holds the value (Docker and Kubernetes secrets), so
// that secrets stay out of the process environment and `docker inspect`.
var FileVariables = []string{"FLICKET_SECRET_KEY", "FLICKET_ADMIN_PASSWORD", "FLICKET_DATABASE_URL"}

// LoadFrom reads the configuration from the given variables (nil means the
// process environment) and validates it.
func LoadFrom(environ map[string]string) (Config, error) {
	var cfg Config
	environ, err := withFileVariables(environ)
	if err != nil {
		return Config{}, err
	}
	opts := env.Options{Prefix: "FLICKET_", Environment: environ}
	if err := env.ParseWithOptions(&cfg, opts); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", flattenEnvError(err))
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// withFileVariables returns the variables (the process environment when nil)
// with each FileVariables entry read from the file its _FILE variant names.
// Setting both is an error, so nobody wonders which one counts.
func withFileVariables(environ map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(environ))
	if environ == nil {
		for _, kv := range os.Environ() {
			if k, v, ok := strings.Cut(kv, "="); ok {
				out[k] = v
			}
		}
	}
	for k, v := range environ {
		out[k] = v
	}
	for _, name := range FileVariables {
		path := out[name+"_FILE"]
		if path == "" {
			continue
		}
		if out[name] != "" {
			return nil, fmt.Errorf("%s and %s_FILE are both set: set only one", name, name)
		}
		raw, err := os.ReadFile(path) //nolint:gosec // the operator names the file on purpose
		if err != nil {
			return nil, fmt.Errorf("%s_FILE: cannot read %q: %w", name, path, errors.Unwrap(err))
		}
		// Files written by echo or an editor end in a line break.
		value := strings.TrimRight(string(raw), "\r\n")
		if value == "" {
			return nil, fmt.Errorf("%s_FILE: %q is empty", name, path)
		}
		out[name] = value
	}
	return out, nil
}

// Validate checks every value and reports the first problem as one sentence
// naming the variable.
func (c *Config) Validate() error {
	c.BaseURL = strings.TrimRight(strings.TrimSpace(c.BaseURL), "/")
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("FLICKET_BASE_URL %q is not an absolute http(s) URL", c.BaseURL)
		}
	}
	if strings.TrimSpace(c.DatabaseURL) == "" {
		return errors.New("FLICKET_DATABASE_URL is empty")
	}
	if strings.TrimSpace(c.Listen) == "" {
		return errors.New("FLICKET_LISTEN is empty")
	}
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		return errors.New("FLICKET_SECRET_KEY must be at least 32 characters long")
	}
	if c.TokenTTL < time.Minute || c.TokenTTL > 90*24*time.Hour {
		return fmt.Errorf("FLICKET_TOKEN_TTL %s must be between 1m and 2160h", c.TokenTTL)
	}
	if strings.TrimSpace(c.UploadDir) == "" {
		return errors.New("FLICKET_UPLOAD_DIR is empty")
	}
	if c.BcryptCost < 4 || c.BcryptCost > 31 {
		return fmt.Errorf("FLICKET_BCRYPT_COST %d must be between 4 and 31", c.BcryptCost)
	}
	if _, err := c.SlogLevel(); err != nil {
		return err
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("FLICKET_LOG_FORMAT %q must be text or json", c.LogFormat)
	}
	if c.MaxUploadMB < 1 || c.MaxUploadMB > 1024 {
		return fmt.Errorf("FLICKET_MAX_UPLOAD_MB %d must be between 1 and 1024", c.MaxUploadMB)
	}
	if _, err := c.TrustedProxyNets(); err != nil {
		return err
	}
	if c.MaxConnections < 1 || c.MaxConnections > 1_000_000 {
		return fmt.Errorf("FLICKET_MAX_CONNECTIONS %d must be between 1 and 1000000", c.MaxConnections)
	}
	if c.DBWriters < 0 || c.DBWriters > 1024 {
		return fmt.Errorf("FLICKET_DB_WRITERS %d must be between 0 (two per CPU) and 1024", c.DBWriters)
	}
	if c.DBSearches < 0 || c.DBSearches > 1024 {
		return fmt.Errorf("FLICKET_DB_SEARCHES %d must be between 0 (by CPU) and 1024", c.DBSearches)
	}
	if _, err := c.CORSOriginList(); err != nil {
		return err
	}
	return nil
}

// CORSOriginList parses CORSOrigins: nil for "none", ["*"] for any origin,
// else each origin as scheme://host[:port], lower-cased, as browsers send it.
func (c *Config) CORSOriginList() ([]string, error) {
	raw := strings.TrimSpace(c.CORSOrigins)
	switch strings.ToLower(raw) {
	case "none", "":
		return nil, nil
	case "*":
		return []string{"*"}, nil
	}
	var out []string
	for _, o := range strings.Split(raw, ",") {
		o = strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/"))
		if o == "" {
			continue
		}
		u, err := url.Parse(o)
		if o == "*" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("FLICKET_CORS_ORIGINS: %q is not an origin like https://dashboard.example.com (or use * alone, or none)", o)
		}
		out = append(out, o)
	}
	return out, nil
}

// TrustedProxyNets parses TrustedProxies: each entry is a CIDR
// ("10.0.0.0/8") or a single address ("192.0.2.7", "::1").
func (c *Config) TrustedProxyNets() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, raw := range strings.Split(c.TrustedProxies, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		if p, err := netip.ParsePrefix(raw); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(raw)
		if err != nil {
			return nil, fmt.Errorf("FLICKET_TRUSTED_PROXIES: %q is neither a CIDR (10.0.0.0/8) nor an IP address", raw)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// SlogLevel converts LogLevel to a slog.Level.
func (c *Config) SlogLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("FLICKET_LOG_LEVEL %q must be debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

// flattenEnvError turns env's aggregate error into one line naming each
// variable.
func flattenEnvError(err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) || len(agg.Errors) == 0 {
		return err
	}
	msgs := make([]string, 0, len(agg.Errors))
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			msgs = append(msgs, fmt.Sprintf("%s has an invalid value (%v)", envName(pe.Name), pe.Err))
			continue
		}
		msgs = append(msgs, e.Error())
	}
	return errors.New(strings.Join(msgs, "; "))
}

// envName finds the variable behind a Config field.
func envName(field string) string {
	if f, ok := reflect.TypeOf(Config{}).FieldByName(field); ok {
		return "FLICKET_" + f.Tag.Get("env")
	}
	return field
}

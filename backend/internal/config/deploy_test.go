package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/flicket/flicket/backend/internal/database"
)

// There is no Docker engine on the build machines, so docker-compose.yml and
// the Dockerfile are checked by reading them against the configuration.

type composeFile struct {
	Services map[string]struct {
		Image       string                                `yaml:"image"`
		Build       *struct{ Context, Dockerfile string } `yaml:"build"`
		Environment map[string]string                     `yaml:"environment"`
		Ports       []string                              `yaml:"ports"`
		Volumes     []string                              `yaml:"volumes"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck *struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

// knownVariables lists every FLICKET_* variable Config reads.
func knownVariables() map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeOf(Config{})
	for i := 0; i < t.NumField(); i++ {
		out["FLICKET_"+t.Field(i).Tag.Get("env")] = true
	}
	for _, v := range FileVariables {
		out[v+"_FILE"] = true
	}
	return out
}

// expand resolves ${VAR:-default} and ${VAR:?message} the way compose does
// when VAR is unset, and ${VAR} to "".
var composeVar = regexp.MustCompile(`\$\{([A-Z_]+)(?::([-?])([^}]*))?\}`)

func expand(s string, env map[string]string) string {
	return composeVar.ReplaceAllStringFunc(s, func(m string) string {
		g := composeVar.FindStringSubmatch(m)
		if v, ok := env[g[1]]; ok {
			return v
		}
		if g[2] == "-" {
			return g[3]
		}
		return ""
	})
}

func TestComposeMatchesConfig(t *testing.T) {
	raw, err := os.ReadFile("../../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cf composeFile
	if err := yaml.Unmarshal(raw, &cf); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
	app, ok := cf.Services["app"]
	if !ok {
		t.Fatal("no app service")
	}
	db, ok := cf.Services["db"]
	if !ok || !strings.HasPrefix(db.Image, "postgres:") {
		t.Fatalf("no PostgreSQL db service: %+v", db)
	}
	if app.Build == nil || app.Build.Dockerfile != "backend/Dockerfile" || app.Build.Context != "." {
		t.Errorf("app must build backend/Dockerfile from the repository root: %+v", app.Build)
	}
	if _, err := os.Stat("../../Dockerfile"); err != nil {
		t.Errorf("backend/Dockerfile: %v", err)
	}
	if app.DependsOn["db"].Condition != "service_healthy" || db.Healthcheck == nil {
		t.Error("app should wait for a healthy database")
	}

	known := knownVariables()
	env := map[string]string{"FLICKET_SECRET_KEY": strings.Repeat("s", 40)}
	resolved := map[string]string{}
	for k, v := range app.Environment {
		if !known[k] {
			t.Errorf("compose sets %s, which Flicket does not read", k)
		}
		resolved[k] = expand(v, env)
	}
	for _, must := range []string{"FLICKET_DATABASE_URL", "FLICKET_SECRET_KEY", "FLICKET_BASE_URL", "FLICKET_UPLOAD_DIR", "FLICKET_LISTEN"} {
		if _, ok := app.Environment[must]; !ok {
			t.Errorf("compose does not set %s", must)
		}
	}
	cfg, err := LoadFrom(resolved)
	if err != nil {
		t.Fatalf("compose's configuration is refused: %v", err)
	}
	target, err := database.ParseURL(cfg.DatabaseURL)
	if err != nil || target.Dialect != database.Postgres {
		t.Fatalf("compose's database URL %q: %v", cfg.DatabaseURL, err)
	}
	if !strings.Contains(cfg.DatabaseURL, "@db:5432/") {
		t.Errorf("database URL %q does not point at the db service", cfg.DatabaseURL)
	}
	if !strings.Contains(app.Environment["FLICKET_DATABASE_URL"], "${POSTGRES_PASSWORD:-flicket}") ||
		db.Environment["POSTGRES_PASSWORD"] != "${POSTGRES_PASSWORD:-flicket}" {
		t.Error("app and db must share POSTGRES_PASSWORD")
	}
	if len(app.Ports) != 1 || !strings.HasSuffix(app.Ports[0], ":5000") || cfg.Listen != ":5000" {
		t.Errorf("ports %v do not match FLICKET_LISTEN %q", app.Ports, cfg.Listen)
	}
	mounted := func(svc []string, path string) bool {
		for _, v := range svc {
			name, target, _ := strings.Cut(v, ":")
			if target == path {
				if _, ok := cf.Volumes[name]; !ok {
					t.Errorf("volume %s is not declared", name)
				}
				return true
			}
		}
		return false
	}
	if !mounted(app.Volumes, cfg.UploadDir) {
		t.Errorf("uploads (%s) are not on a volume", cfg.UploadDir)
	}
	if !mounted(db.Volumes, "/var/lib/postgresql/data") {
		t.Error("PostgreSQL data is not on a volume")
	}
}

// TestComposeSecretsExample: the Docker secrets example in the compose file's
// comments names only variables Flicket reads, and every one of them.
func TestComposeSecretsExample(t *testing.T) {
	raw, err := os.ReadFile("../../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	known := knownVariables()
	named := map[string]bool{}
	for _, m := range regexp.MustCompile(`(FLICKET_[A-Z_]+_FILE): /run/secrets/(\w+)`).FindAllStringSubmatch(string(raw), -1) {
		if !known[m[1]] {
			t.Errorf("the example sets %s, which Flicket does not read", m[1])
		}
		if !strings.Contains(string(raw), "#   "+m[2]+": {file: ./secrets/") {
			t.Errorf("secret %s is not declared in the example", m[2])
		}
		named[m[1]] = true
	}
	for _, v := range FileVariables {
		if !named[v+"_FILE"] {
			t.Errorf("the example does not show %s_FILE", v)
		}
	}
}

func TestDockerfile(t *testing.T) {
	raw, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	stages := regexp.MustCompile(`(?m)^FROM \S+ AS (\w+)`).FindAllStringSubmatch(df, -1)
	if len(stages) < 2 {
		t.Fatalf("want a multi-stage build, found stages %v", stages)
	}
	for _, want := range []string{
		"CGO_ENABLED=0",           // a static binary
		"./cmd/flicket",           // the one binary
		"npm ci", "npm run build", // with the SPA embedded
		"USER 65532", // not root
		`ENTRYPOINT ["/flicket"]`, `CMD ["serve"]`,
		"EXPOSE 5000",
		`HEALTHCHECK`,
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	known := knownVariables()
	for _, m := range regexp.MustCompile(`FLICKET_[A-Z_]+`).FindAllString(df, -1) {
		if !known[m] {
			t.Errorf("Dockerfile sets %s, which Flicket does not read", m)
		}
	}
	env := map[string]string{}
	for _, m := range regexp.MustCompile(`(FLICKET_[A-Z_]+)=(\S+)`).FindAllStringSubmatch(df, -1) {
		env[m[1]] = m[2]
	}
	if _, err := LoadFrom(env); err != nil {
		t.Errorf("the image's defaults are refused: %v", err)
	}
	if !strings.HasPrefix(env["FLICKET_DATABASE_URL"], "sqlite:///var/lib/flicket/") || !strings.Contains(df, `VOLUME ["/var/lib/flicket"]`) {
		t.Error("the image's SQLite database must live on its volume")
	}
}

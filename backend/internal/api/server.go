// Package api is Flicket's HTTP layer: the Echo server, the route table, the
// one error path, the list envelope and one handler file per resource.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"gorm.io/gorm"

	// The generated OpenAPI document, served by Swagger UI.
	_ "github.com/flicket/flicket/backend/internal/apidocs"
	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/config"
	"github.com/flicket/flicket/backend/internal/connlimit"
	"github.com/flicket/flicket/backend/internal/files"
	"github.com/flicket/flicket/backend/internal/mail"
	"github.com/flicket/flicket/backend/internal/markdown"
	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/spa"
	"github.com/flicket/flicket/backend/internal/swaggerui"
)

// Deps is everything the server needs, built by the caller.
type Deps struct {
	DB       *gorm.DB
	Config   config.Config
	Logger   *slog.Logger
	Hasher   *auth.Hasher
	Tokens   *auth.Tokens
	Settings *model.SettingsCache
	// Markdown renders every content_html and the preview (nil: a new one).
	Markdown *markdown.Renderer
	// Events receives ticket events inside their transaction (nil: dropped).
	Events model.EventSink
	// Mail queues password-reset mails and sends the test mail (nil: an
	// outbox over DB; `serve` passes the same outbox as Events).
	Mail *mail.Outbox
	// Now is the clock (nil: time.Now); tests move it.
	Now func() time.Time
	// SPA serves the web app at / (nil: the build embedded in the binary).
	SPA http.Handler
}

// Server is the Flicket HTTP server. Handlers are its methods, one file per
// resource.
type Server struct {
	db        *gorm.DB
	cfg       config.Config
	log       *slog.Logger
	hasher    *auth.Hasher
	tokens    *auth.Tokens
	settings  *model.SettingsCache
	markdown  *markdown.Renderer
	events    model.EventSink
	writer    *model.Writer // the one write transaction helper (s.write)
	files     *files.Store  // attachments; avatars in files.Sub("avatars")
	app       http.Handler  // the web app (SPA)
	validator *validator.Validate
	now       func() time.Time

	// Sign-in limits, and the bound on concurrent bcrypt work.
	logins    *loginGuard
	passwords *auth.Pool
	proxies   *proxyTrust
	// conns is the capped listener Run serves on; event streams will move
	// their connection to its stream pool (connlimit.Listener.Stream).
	conns atomic.Pointer[connlimit.Listener]
	// body holds the request body deadlines and the 413 drain (body.go).
	body bodyRules
	// corsPolicy is FLICKET_CORS_ORIGINS (see cors.go).
	corsPolicy corsPolicy
	// When expired Idempotency-Keys were last deleted.
	idemPrune idempotencyPruner
	// routes is the API's route table, kept for 405s (see apiFallback).
	routes []route
	// searchCountLimit is how far a search counts its matches
	// (model.SearchCountLimit; tests lower it).
	searchCountLimit int
	// searchRankLimit is how many of a search's newest matches are ranked
	// (0: model.RankCandidates; tests lower it).
	searchRankLimit int
	// searches queues the searches (FLICKET_DB_SEARCHES; see
	// model.DefaultSearches): see searchTurn.
	searches *model.Gate

	mail *mail.Outbox
	// Password reset: requests per address and per e-mail, failed
	// confirmations per address, and the least time a request takes.
	resetIPThrottle      *throttle
	resetEmailThrottle   *throttle
	resetConfirmThrottle *throttle
	resetMinDuration     time.Duration
	testEmailTimeout     time.Duration

	echo *echo.Echo
}

// serverEvents hands the writer's events to s.events, read at each event
// (tests swap the sink of a built server).
type serverEvents struct{ s *Server }

func (e serverEvents) Enqueue(ctx context.Context, tx *gorm.DB, ev model.Event) error {
	// A bulk change holds its mails to merge them (ticket_bulk.go).
	if held, err := enqueueHeld(ctx, e.s.events, tx, ev); held {
		return err
	}
	// A workflow change's mails wait out its undo window (ticket_workflow.go).
	if held, err := enqueueUndoable(ctx, e.s.events, tx, ev); held {
		return err
	}
	return e.s.events.Enqueue(ctx, tx, ev)
}

// New builds the server and its routes.
func New(d Deps) *Server {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	md, events := d.Markdown, d.Events
	if md == nil {
		md = markdown.New()
	}
	if events == nil {
		events = model.NoEvents{}
	}
	outbox := d.Mail
	if outbox == nil {
		o := mail.Options{BaseURL: d.Config.BaseURL, Now: now, Logger: d.Logger}
		if d.Settings != nil {
			o.Settings = d.Settings.Get
		}
		outbox = mail.NewOutbox(d.DB, o)
	}
	s := &Server{
		markdown:         md,
		events:           events,
		files:            files.New(d.Config.UploadDir),
		db:               d.DB,
		cfg:              d.Config,
		log:              d.Logger,
		hasher:           d.Hasher,
		tokens:           d.Tokens,
		settings:         d.Settings,
		validator:        newValidator(),
		now:              func() time.Time { return now().UTC() },
		logins:           newLoginGuard(now),
		passwords:        auth.NewPool(runtime.GOMAXPROCS(0), 16*runtime.GOMAXPROCS(0), 3*time.Second),
		body:             defaultBodyRules,
		searchCountLimit: model.SearchCountLimit,

		mail:                 outbox,
		resetIPThrottle:      newThrottle(10, 15*time.Minute, now),
		resetEmailThrottle:   newThrottle(3, time.Hour, now),
		resetConfirmThrottle: newThrottle(10, 15*time.Minute, now),
		resetMinDuration:     100 * time.Millisecond,
		testEmailTimeout:     testEmailTimeout,
	}
	wo := model.WriterOptions{Now: s.now, Sinks: []model.EventSink{serverEvents{s}}, Writers: d.Config.DBWriters}
	if d.Settings != nil {
		wo.Settings = d.Settings.Get
	}
	s.writer = model.NewWriter(d.DB, wo)
	searches := d.Config.DBSearches
	if searches <= 0 {
		searches = model.DefaultSearches(d.DB.Name())
	}
	s.searches = model.NewGate(searches)
	// Validated at load; a hand-built Config may still be wrong.
	nets, err := d.Config.TrustedProxyNets()
	if err != nil {
		d.Logger.Error("ignoring FLICKET_TRUSTED_PROXIES", "err", err)
	}
	s.proxies = &proxyTrust{nets: nets}
	origins, err := d.Config.CORSOriginList()
	if err != nil {
		d.Logger.Error("ignoring FLICKET_CORS_ORIGINS", "err", err)
	}
	s.corsPolicy = newCORSPolicy(origins)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.JSONSerializer = jsonSerializer{}
	// Forwarded headers count only from FLICKET_TRUSTED_PROXIES (see proxy.go).
	trust := trustOptions(s.proxies.nets)
	e.IPExtractor = echo.ExtractIPFromXFFHeader(trust...)
	e.SchemeExtractor = echo.ExtractSchemeFromHeaders(trust...)
	// Trailing slashes never matter: /tickets, /tickets/ and /tickets/2/ all route.
	e.Pre(middleware.RemoveTrailingSlash())
	e.Use(s.withRequestLog)
	e.Use(s.warnUntrustedForwarded)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: s.logPanic}))
	e.Use(securityHeaders)
	e.Use(s.cors)
	e.Use(s.bodyLimit)

	getHead := []string{http.MethodGet, http.MethodHead}
	e.Match(getHead, "/healthz", s.healthz)
	e.Match(getHead, "/readyz", s.readyz)
	e.Match(getHead, "/swagger", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/swagger/index.html") })
	e.Match(getHead, "/swagger/*", echo.WrapHandler(swaggerui.New("/swagger")))
	s.register(e.Group(apiPrefix))
	// Everything else is the web app: its files, or index.html for its
	// routes (history fallback). Unknown API paths stay JSON 404s.
	app := d.SPA
	if app == nil {
		app = spa.New()
	}
	s.app = app
	// (API paths never reach it: see apiFallback.)
	e.Match(getHead, "/*", s.serveApp)
	s.registerLegacy(e)
	s.echo = e
	return s
}

// serveApp answers with the web app: its files, or index.html for its routes.
func (s *Server) serveApp(c echo.Context) error {
	s.app.ServeHTTP(c.Response(), c.Request())
	return nil
}

func (s *Server) logPanic(c echo.Context, err error, stack []byte) error {
	requestLogger(c, s.log).Error("panic", "err", err, "stack", string(stack))
	return err
}

// Handler exposes the server as an http.Handler (tests use it directly).
func (s *Server) Handler() http.Handler { return s.echo }

// writeTimeout bounds writing an answer, from the end of its request's
// headers (uploads get their body's time on top, see body.go).
const writeTimeout = 5 * time.Minute

// Run serves on the listener until ctx is cancelled, then shuts down
// gracefully, letting requests in flight finish. At most
// FLICKET_MAX_CONNECTIONS connections are served at once (see connlimit);
// bodies have per-route read deadlines (see body.go), so there is no
// overall ReadTimeout. The janitor (janitor.go) runs beside it.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	capped := connlimit.New(ln, s.cfg.MaxConnections, s.cfg.MaxConnections)
	s.conns.Store(capped)
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       2 * time.Minute,
		ConnState:         capped.ConnState,
		ConnContext:       capped.ConnContext,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	ln = capped
	janitorCtx, stopJanitor := context.WithCancel(ctx)
	janitorDone := make(chan struct{})
	go func() {
		defer close(janitorDone)
		s.runJanitor(janitorCtx)
	}()
	defer func() { stopJanitor(); <-janitorDone }() // the database closes after it has let go
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

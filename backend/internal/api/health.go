package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Health is the body of /healthz and /readyz.
type Health struct {
	Status   string `json:"status" example:"ok"`
	Database string `json:"database,omitempty" example:"ok"`
} // @name Health

// healthz godoc
//
//	@Summary		Liveness
//	@Description	Answers 200 while the process is up.
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	Health
//	@Router			/healthz [get]
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}

// readyz godoc
//
//	@Summary		Readiness
//	@Description	Answers 200 when the database answers, 503 otherwise.
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	Health
//	@Failure		503	{object}	Health
//	@Router			/readyz [get]
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	sqlDB, err := s.db.DB()
	if err == nil {
		err = sqlDB.PingContext(ctx)
	}
	if err != nil {
		requestLogger(c, s.log).Warn("readiness check failed", "err", err)
		c.Response().Header().Set("Retry-After", retryAfterSeconds)
		return c.JSON(http.StatusServiceUnavailable, Health{Status: "unavailable", Database: "unreachable"})
	}
	return c.JSON(http.StatusOK, Health{Status: "ok", Database: "ok"})
}

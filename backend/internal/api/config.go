package api

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// Config is the administrator settings row. The SMTP password and the token
// signing key are never sent: mail_password_set says whether a password is
// stored.
type Config struct {
	AllowedExtensions                  string  `json:"allowed_extensions" example:"txt, log, pdf, png"`
	ApplicationTitle                   string  `json:"application_title" example:"Flicket"`
	BaseURL                            string  `json:"base_url" example:"https://help.example.com"`
	ChangeCategory                     bool    `json:"change_category"`
	ChangeCategoryOnlyAdminOrSuperUser bool    `json:"change_category_only_admin_or_super_user"`
	CSVDumpLimit                       int     `json:"csv_dump_limit" example:"1000"`
	ID                                 int64   `json:"id" example:"1"`
	MailASCIIAttachments               bool    `json:"mail_ascii_attachments"`
	MailDebug                          bool    `json:"mail_debug"`
	MailDefaultSender                  *string `json:"mail_default_sender" extensions:"x-nullable" example:"flicket@example.com"`
	MailMaxEmails                      int     `json:"mail_max_emails" example:"10"`
	MailPasswordSet                    bool    `json:"mail_password_set"`
	MailPort                           int     `json:"mail_port" example:"465"`
	MailServer                         *string `json:"mail_server" extensions:"x-nullable" example:"smtp.example.com"`
	MailSuppressSend                   bool    `json:"mail_suppress_send"`
	MailUseSSL                         bool    `json:"mail_use_ssl"`
	MailUseTLS                         bool    `json:"mail_use_tls"`
	MailUsername                       *string `json:"mail_username" extensions:"x-nullable" example:"flicket"`
	PostsPerPage                       int     `json:"posts_per_page" example:"50"`
} // @name Config

// ConfigUpdateRequest changes settings; absent fields are left alone.
// mail_password is write-only: absent keeps it (unless mail_server,
// mail_port, mail_use_tls or mail_use_ssl change, which clear it), ""
// clears it. "" clears
// mail_server, mail_username, mail_default_sender and base_url too.
type ConfigUpdateRequest struct {
	AllowedExtensions                  *string  `json:"allowed_extensions,omitempty" example:"pdf, png, jpg"`
	ApplicationTitle                   *trimmed `json:"application_title,omitempty" validate:"omitnil,min=3,max=32" swaggertype:"string" example:"Help desk"`
	BaseURL                            *trimmed `json:"base_url,omitempty" validate:"omitnil,max=128" swaggertype:"string" example:"https://help.example.com"`
	ChangeCategory                     *bool    `json:"change_category,omitempty"`
	ChangeCategoryOnlyAdminOrSuperUser *bool    `json:"change_category_only_admin_or_super_user,omitempty"`
	CSVDumpLimit                       *int     `json:"csv_dump_limit,omitempty" validate:"omitnil,min=1,max=100000" example:"1000"`
	MailASCIIAttachments               *bool    `json:"mail_ascii_attachments,omitempty"`
	MailDebug                          *bool    `json:"mail_debug,omitempty"`
	MailDefaultSender                  *trimmed `json:"mail_default_sender,omitempty" validate:"omitnil,max=128" swaggertype:"string" example:"flicket@example.com"`
	MailMaxEmails                      *int     `json:"mail_max_emails,omitempty" validate:"omitnil,min=1" example:"10"`
	MailPassword                       *string  `json:"mail_password,omitempty" validate:"omitnil,max=256" example:"smtp-secret"`
	MailPort                           *int     `json:"mail_port,omitempty" validate:"omitnil,min=1,max=65535" example:"587"`
	MailServer                         *trimmed `json:"mail_server,omitempty" validate:"omitnil,max=128" swaggertype:"string" example:"smtp.example.com"`
	MailSuppressSend                   *bool    `json:"mail_suppress_send,omitempty"`
	MailUseSSL                         *bool    `json:"mail_use_ssl,omitempty"`
	MailUseTLS                         *bool    `json:"mail_use_tls,omitempty"`
	MailUsername                       *trimmed `json:"mail_username,omitempty" validate:"omitnil,max=128" swaggertype:"string" example:"flicket"`
	PostsPerPage                       *int     `json:"posts_per_page,omitempty" validate:"omitnil,min=10,max=200" example:"50"`
} // @name ConfigUpdateRequest

func configJSON(st *model.Settings) Config {
	return Config{
		AllowedExtensions:                  st.AllowedExtensions,
		ApplicationTitle:                   st.ApplicationTitle,
		BaseURL:                            st.BaseURL,
		ChangeCategory:                     st.ChangeCategory,
		ChangeCategoryOnlyAdminOrSuperUser: st.ChangeCategoryOnlyAdminOrSuperUser,
		CSVDumpLimit:                       st.CSVDumpLimit,
		ID:                                 st.ID,
		MailASCIIAttachments:               st.MailASCIIAttachments,
		MailDebug:                          st.MailDebug,
		MailDefaultSender:                  st.MailDefaultSender,
		MailMaxEmails:                      st.MailMaxEmails,
		MailPasswordSet:                    st.MailPassword != nil && *st.MailPassword != "",
		MailPort:                           st.MailPort,
		MailServer:                         st.MailServer,
		MailSuppressSend:                   st.MailSuppressSend,
		MailUseSSL:                         st.MailUseSSL,
		MailUseTLS:                         st.MailUseTLS,
		MailUsername:                       st.MailUsername,
		PostsPerPage:                       st.PostsPerPage,
	}
}

// getConfig godoc
//
//	@Summary		Get the settings
//	@Description	Administrators only. The SMTP password and the secret key are never returned.
//	@Tags			config
//	@Produce		json
//	@Security		BearerAuth
//	@Success		200	{object}	Config
//	@Failure		401	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Router			/flicket-api/config [get]
func (s *Server) getConfig(c echo.Context) error {
	st, err := model.LoadSettings(c.Request().Context(), s.db)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, configJSON(st))
}

// updateConfig godoc
//
//	@Summary		Change the settings
//	@Description	Administrators only; every field optional. mail_use_tls and mail_use_ssl cannot both be on. Changing mail_server, mail_port, mail_use_tls or mail_use_ssl clears the stored mail_password unless the same request sends one: the password only ever goes to the server it was entered for. allowed_extensions is a comma-separated list of 1 to 10 letters or digits each, stored as "a, b, c". base_url is an absolute http(s) URL or "".
//	@Tags			config
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		ConfigUpdateRequest	true	"the changes"
//	@Success		200		{object}	Config
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		403		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/flicket-api/config [patch]
func (s *Server) updateConfig(c echo.Context) error {
	var req ConfigUpdateRequest
	if err := s.bind(c, &req); err != nil {
		return err
	}
	var exts, baseURL string
	var err error
	if req.AllowedExtensions != nil {
		if exts, err = normaliseExtensions(*req.AllowedExtensions); err != nil {
			return err
		}
	}
	if req.BaseURL != nil {
		if baseURL, err = checkBaseURL(string(*req.BaseURL)); err != nil {
			return err
		}
	}
	if req.MailDefaultSender != nil && *req.MailDefaultSender != "" {
		if s.validator.Var(string(*req.MailDefaultSender), "email") != nil {
			return errField("mail_default_sender", "email", "mail_default_sender must be a valid e-mail address.")
		}
	}
	st, err := model.UpdateSettings(c.Request().Context(), s.writer, func(st *model.Settings) error {
		before := mailEndpoint(st)
		setIf(&st.MailServer, optionalText(req.MailServer))
		setIf(&st.MailPort, req.MailPort)
		setIf(&st.MailUseTLS, req.MailUseTLS)
		setIf(&st.MailUseSSL, req.MailUseSSL)
		setIf(&st.MailDebug, req.MailDebug)
		setIf(&st.MailUsername, optionalText(req.MailUsername))
		setIf(&st.MailDefaultSender, optionalText(req.MailDefaultSender))
		setIf(&st.MailMaxEmails, req.MailMaxEmails)
		setIf(&st.MailSuppressSend, req.MailSuppressSend)
		setIf(&st.MailASCIIAttachments, req.MailASCIIAttachments)
		setIf(&st.PostsPerPage, req.PostsPerPage)
		setIf(&st.CSVDumpLimit, req.CSVDumpLimit)
		setIf(&st.ChangeCategory, req.ChangeCategory)
		setIf(&st.ChangeCategoryOnlyAdminOrSuperUser, req.ChangeCategoryOnlyAdminOrSuperUser)
		if req.MailPassword != nil {
			st.MailPassword = nil
			if *req.MailPassword != "" {
				pw := *req.MailPassword
				st.MailPassword = &pw
			}
		} else if mailEndpoint(st) != before {
			// The stored password goes only to the server it was typed for:
			// whoever points the settings elsewhere must type it again (or
			// could read it off the AUTH exchange at a host of their own).
			st.MailPassword = nil
		}
		if req.ApplicationTitle != nil {
			st.ApplicationTitle = string(*req.ApplicationTitle)
		}
		if req.AllowedExtensions != nil {
			st.AllowedExtensions = exts
		}
		if req.BaseURL != nil {
			st.BaseURL = baseURL
		}
		// Implicit TLS and STARTTLS exclude each other; judge the result, so
		// switching one on while the other is stored on is refused too.
		if st.MailUseTLS && st.MailUseSSL {
			field := "mail_use_ssl"
			if req.MailUseSSL == nil || !*req.MailUseSSL {
				field = "mail_use_tls"
			}
			return model.Invalid(field, "exclusive", "mail_use_tls and mail_use_ssl cannot both be true.")
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.settings.Invalidate()
	return c.JSON(http.StatusOK, configJSON(st))
}

// mailEndpoint is where (and how) the SMTP password would be sent.
func mailEndpoint(st *model.Settings) string {
	server := ""
	if st.MailServer != nil {
		server = strings.ToLower(strings.TrimSpace(*st.MailServer))
	}
	return fmt.Sprintf("%s|%d|%t|%t", server, st.MailPort, st.MailUseTLS, st.MailUseSSL)
}

// setIf copies an optional value onto a setting.
func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// optionalText maps an optional trimmed field onto a nullable column: absent
// stays absent, "" becomes NULL.
func optionalText(v *trimmed) **string {
	if v == nil {
		return nil
	}
	var out *string
	if *v != "" {
		s := string(*v)
		out = &s
	}
	return &out
}

var extensionPattern = regexp.MustCompile(`^[a-z0-9]{1,10}$`)

// normaliseExtensions turns " PDF,.png , jpg,pdf" into "pdf, png, jpg":
// lower case, no dots, no duplicates, the original's ", " separator.
func normaliseExtensions(raw string) (string, error) {
	var out []string
	seen := map[string]bool{}
	for _, e := range strings.Split(raw, ",") {
		e = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(e), "."))
		if e == "" {
			continue
		}
		if !extensionPattern.MatchString(e) {
			return "", errField("allowed_extensions", "format",
				"allowed_extensions must be a comma-separated list of extensions of 1 to 10 letters or digits (%q is not one).", e)
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return "", errField("allowed_extensions", "required", "allowed_extensions must list at least one extension.")
	}
	joined := strings.Join(out, ", ")
	if len(joined) > 256 {
		return "", errField("allowed_extensions", "max", "allowed_extensions must be at most 256 characters long.").
			with(map[string]any{"max": 256, "unit": "characters"})
	}
	return joined, nil
}

// checkBaseURL accepts "" or an absolute http(s) URL without query or
// fragment, and drops a trailing slash (links are built as base + path).
func checkBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(raw, " \t\r\n") {
		return "", errField("base_url", "url", "base_url must be an absolute http(s) URL such as https://help.example.com, or empty.")
	}
	return strings.TrimRight(raw, "/"), nil
}

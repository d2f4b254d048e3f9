package flicketimport

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"net"
	"path/filepath"
	"strings"

	"github.com/flicket/flicket/backend/internal/model"
)

// loadSettings reads the original's flicket_config row (the first one;
// the original only ever has one) into our settings.
func (im *importer) loadSettings(ctx context.Context) error {
	cols := []string{"mail_server", "mail_port", "mail_use_tls", "mail_use_ssl", "mail_debug", "mail_username",
		"mail_password", "mail_default_sender", "mail_max_emails", "mail_suppress_send", "mail_ascii_attachments",
		"posts_per_page", "allowed_extensions", "ticket_upload_folder", "avatar_upload_folder", "application_title",
		"base_url", "use_auth_domain", "csv_dump_limit", "change_category", "change_category_only_admin_or_super_user"}
	st := model.DefaultSettings("")
	found := false
	err := im.src.each(ctx, "flicket_config", append([]string{"id"}, cols...), func(rows *sql.Rows) (int64, error) {
		var id, port, maxEmails, perPage, csvLimit nInt
		var server, user, password, sender, exts, uploadFolder, avatarFolder, title, baseURL nText
		var tls, ssl, debug, suppress, ascii, authDomain, changeCat, changeCatAdmin nBool
		if err := rows.Scan(&id, &server, &port, &tls, &ssl, &debug, &user, &password, &sender, &maxEmails, &suppress, &ascii,
			&perPage, &exts, &uploadFolder, &avatarFolder, &title, &baseURL, &authDomain, &csvLimit, &changeCat, &changeCatAdmin); err != nil {
			return 0, fmt.Errorf("read flicket_config: %w", err)
		}
		if found {
			im.rep.warn(WarnDuplicate, "flicket_config row %d: only the first settings row is used", id.V)
			return id.V, nil
		}
		found = true
		st.MailServer = im.optional(server, "mail_server")
		st.MailUsername = im.optional(user, "mail_username")
		st.MailPassword = im.optional(password, "mail_password")
		st.MailDefaultSender = im.optional(sender, "mail_default_sender")
		if port.Valid && port.V > 0 && port.V < 65536 {
			st.MailPort = int(port.V)
		}
		st.MailUseTLS, st.MailUseSSL, st.MailDebug = tls.V, ssl.V, debug.V
		st.MailSuppressSend, st.MailASCIIAttachments = suppress.V || !suppress.Valid, ascii.V
		if maxEmails.Valid && maxEmails.V > 0 {
			st.MailMaxEmails = int(maxEmails.V)
		}
		if perPage.Valid {
			st.PostsPerPage = int(min(max(perPage.V, 10), 200))
			if int64(st.PostsPerPage) != perPage.V {
				im.rep.warn(WarnMissingValue, "settings: posts_per_page %d is outside 10–200: %d", perPage.V, st.PostsPerPage)
			}
		}
		if e := strings.TrimSpace(im.str(exts, "settings allowed_extensions")); e != "" {
			st.AllowedExtensions = fit(e, 256)
		}
		if t := strings.TrimSpace(im.str(title, "settings application_title")); t != "" {
			st.ApplicationTitle = fit(t, 32)
		}
		st.BaseURL = fit(strings.TrimRight(strings.TrimSpace(im.str(baseURL, "settings base_url")), "/"), 128)
		if csvLimit.Valid && csvLimit.V > 0 {
			st.CSVDumpLimit = int(min(csvLimit.V, 100000))
		}
		st.ChangeCategory, st.ChangeCategoryOnlyAdminOrSuperUser = changeCat.V, changeCatAdmin.V
		if authDomain.V {
			im.rep.warn(WarnAuthDomain, "settings: use_auth_domain is on, but Flicket has no Windows-domain login: domain users must reset their password")
		}
		if im.o.Files != "" {
			im.uploadDir = im.folder(uploadFolder, "application/flicket/static/flicket_uploads")
			im.avatarDir = im.folder(avatarFolder, "application/flicket/static/flicket_avatars")
		}
		return id.V, nil
	})
	if err != nil {
		return err
	}
	if !found {
		im.rep.warn(WarnMissingValue, "flicket_config is empty: the original's default settings are used")
	}
	im.checkMailSettings(&st)
	im.settings = st
	return nil
}

// optional maps ” (what the original's admin page saves) and NULL to "not set".
func (im *importer) optional(t nText, name string) *string {
	if !t.Valid {
		return nil
	}
	s := strings.TrimSpace(im.str(t, "settings "+name))
	if s == "" {
		im.rep.warn(WarnEmptySetting, "settings: %s is '' (the original saves empty fields so): stored as not set", name)
		return nil
	}
	return &s
}

// folder resolves one of the original's upload folders against --files.
func (im *importer) folder(t nText, def string) string {
	f := strings.TrimSpace(string(t.B))
	if f == "" {
		f = def
	}
	if filepath.IsAbs(f) {
		return f
	}
	return filepath.Join(im.o.Files, f)
}

// checkMailSettings suppresses sending when the original's mail settings
// are ones our rules refuse: a password sent over an unencrypted connection
// to another machine, or no server or sender at all.
func (im *importer) checkMailSettings(st *model.Settings) {
	if st.MailSuppressSend {
		return
	}
	var why string
	switch {
	case st.MailServer == nil:
		why = "no mail server is set"
	case st.MailDefaultSender == nil:
		why = "no sender address is set"
	case st.MailUsername != nil && !st.MailUseTLS && !st.MailUseSSL && !isLocalHost(*st.MailServer):
		why = fmt.Sprintf("it signs in to %s over an unencrypted connection, which Flicket refuses", *st.MailServer)
	default:
		return
	}
	st.MailSuppressSend = true
	im.rep.warn(WarnMailSettings, "settings: mail sending is suppressed because %s: fix the mail settings, then switch suppression off", why)
}

func isLocalHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (im *importer) writeSettings(ctx context.Context) error {
	st := im.settings
	st.SecretKey = im.secretKey
	if st.SecretKey == "" {
		var b [48]byte
		if _, err := rand.Read(b[:]); err != nil {
			return fmt.Errorf("generate a secret key: %w", err)
		}
		st.SecretKey = base64.RawURLEncoding.EncodeToString(b[:])
	}
	cols := []string{"id", "mail_server", "mail_port", "mail_use_tls", "mail_use_ssl", "mail_debug", "mail_username",
		"mail_password", "mail_default_sender", "mail_max_emails", "mail_suppress_send", "mail_ascii_attachments",
		"application_title", "posts_per_page", "allowed_extensions", "base_url", "csv_dump_limit", "change_category",
		"change_category_only_admin_or_super_user", "secret_key"}
	row := []any{model.SettingsID, st.MailServer, st.MailPort, st.MailUseTLS, st.MailUseSSL, st.MailDebug, st.MailUsername,
		st.MailPassword, st.MailDefaultSender, st.MailMaxEmails, st.MailSuppressSend, st.MailASCIIAttachments,
		st.ApplicationTitle, st.PostsPerPage, st.AllowedExtensions, st.BaseURL, st.CSVDumpLimit, st.ChangeCategory,
		st.ChangeCategoryOnlyAdminOrSuperUser, st.SecretKey}
	return im.insert(ctx, "config", cols, [][]any{row})
}

package model

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SettingsID is the id of the single config row.
const SettingsID = 1

// DefaultAllowedExtensions is the original's upload whitelist.
const DefaultAllowedExtensions = "txt, log, pdf, png, jpg, jpeg, gif, msg, doc, docx, ppt, pptx, xls, xlsx"

// Settings is the administrator-editable config row (features §1.14).
type Settings struct {
	ID                                 int64
	MailServer                         *string
	MailPort                           int
	MailUseTLS                         bool `gorm:"column:mail_use_tls"`
	MailUseSSL                         bool `gorm:"column:mail_use_ssl"`
	MailDebug                          bool
	MailUsername                       *string
	MailPassword                       *string
	MailDefaultSender                  *string
	MailMaxEmails                      int
	MailSuppressSend                   bool
	MailASCIIAttachments               bool `gorm:"column:mail_ascii_attachments"`
	ApplicationTitle                   string
	PostsPerPage                       int
	AllowedExtensions                  string
	BaseURL                            string `gorm:"column:base_url"`
	CSVDumpLimit                       int    `gorm:"column:csv_dump_limit"`
	ChangeCategory                     bool
	ChangeCategoryOnlyAdminOrSuperUser bool
	// SecretKey signs tokens when FLICKET_SECRET_KEY is not set.
	SecretKey string `json:"-"`
}

// TableName pins the table name.
func (Settings) TableName() string { return "config" }

// DefaultSettings are the original's seeded values, with mail sending
// suppressed until a mail server is configured.
func DefaultSettings(baseURL string) Settings {
	return Settings{
		ID:                SettingsID,
		MailPort:          465,
		MailMaxEmails:     10,
		MailSuppressSend:  true,
		ApplicationTitle:  "Flicket",
		PostsPerPage:      50,
		AllowedExtensions: DefaultAllowedExtensions,
		BaseURL:           baseURL,
		CSVDumpLimit:      1000,
	}
}

// Extensions returns the allowed upload extensions, lower case, without dots.
func (s *Settings) Extensions() []string {
	var out []string
	for _, e := range strings.Split(s.AllowedExtensions, ",") {
		e = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(e), "."))
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}

// LoadSettings reads the config row.
func LoadSettings(ctx context.Context, db *gorm.DB) (*Settings, error) {
	var s Settings
	if err := db.WithContext(ctx).First(&s, SettingsID).Error; err != nil {
		return nil, notFound(err, "load settings")
	}
	return &s, nil
}

// EnsureSettings inserts the default row if there is none and returns the row.
func EnsureSettings(ctx context.Context, db *gorm.DB, defaults Settings) (*Settings, bool, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&Settings{}).Where("id = ?", SettingsID).Count(&n).Error; err != nil {
		return nil, false, fmt.Errorf("check settings: %w", err)
	}
	if n == 0 {
		if err := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&defaults).Error; err != nil {
			return nil, false, fmt.Errorf("create settings: %w", err)
		}
	}
	s, err := LoadSettings(ctx, db)
	return s, n == 0, err
}

// UpdateSettings reads the config row, lets change modify it and saves every
// column but the id and the secret key, in one transaction that holds the
// row, so two administrators saving at once do not undo each other. change
// may refuse with an error, which is returned as is.
func UpdateSettings(ctx context.Context, w *Writer, change func(*Settings) error) (*Settings, error) {
	var s Settings
	err := w.Do(ctx, func(t *Tx) error {
		tx := t.DB
		q := forUpdate(tx)
		if err := q.First(&s, SettingsID).Error; err != nil {
			return notFound(err, "load settings")
		}
		if err := change(&s); err != nil {
			return err
		}
		s.ID = SettingsID
		return tx.Model(&s).Select("*").Omit("id", "secret_key").Updates(&s).Error
	})
	if err != nil {
		return nil, fmt.Errorf("update settings: %w", err)
	}
	return &s, nil
}

// SettingsCache keeps the config row for a few seconds, so every request does
// not read it, while a change made on another replica still shows quickly.
type SettingsCache struct {
	db  *gorm.DB
	ttl time.Duration

	mu  sync.Mutex
	val *Settings
	at  time.Time
}

// NewSettingsCache builds a cache with the given time to live.
func NewSettingsCache(db *gorm.DB, ttl time.Duration) *SettingsCache {
	return &SettingsCache{db: db, ttl: ttl}
}

// Get returns the current settings (a copy).
func (c *SettingsCache) Get(ctx context.Context) (Settings, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.val != nil && time.Since(c.at) < c.ttl {
		return *c.val, nil
	}
	s, err := LoadSettings(ctx, c.db)
	if err != nil {
		return Settings{}, err
	}
	c.val, c.at = s, time.Now()
	return *s, nil
}

// Invalidate forgets the cached row (after this process changed it).
func (c *SettingsCache) Invalidate() {
	c.mu.Lock()
	c.val = nil
	c.mu.Unlock()
}

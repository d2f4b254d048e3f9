package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// The structs below are frozen copies of the schema as of this migration.
// They must never change: later schema changes get a migration of their own.

type m0001User struct {
	ID            int64     `gorm:"primaryKey;autoIncrement"`
	Username      string    `gorm:"size:24;not null;uniqueIndex:uq_users_username"`
	Name          string    `gorm:"size:60;not null"`
	Email         string    `gorm:"size:60;not null;uniqueIndex:uq_users_email"`
	Password      string    `gorm:"size:255;not null"`
	JobTitle      *string   `gorm:"size:64"`
	Avatar        *string   `gorm:"size:64"`
	Locale        string    `gorm:"size:10;not null;default:en"`
	Disabled      bool      `gorm:"not null;default:false"`
	TotalPosts    int64     `gorm:"not null;default:0"`
	TotalAssigned int64     `gorm:"not null;default:0"`
	DateAdded     time.Time `gorm:"not null"`
	DateModified  *time.Time
}

func (m0001User) TableName() string { return "users" }

type m0001Group struct {
	ID        int64  `gorm:"primaryKey;autoIncrement"`
	GroupName string `gorm:"size:64;not null;uniqueIndex:uq_user_groups_name"`
}

func (m0001Group) TableName() string { return "user_groups" }

type m0001GroupMember struct {
	UserID  int64       `gorm:"primaryKey;autoIncrement:false"`
	GroupID int64       `gorm:"primaryKey;autoIncrement:false;index:idx_group_members_group_id"`
	User    *m0001User  `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	Group   *m0001Group `gorm:"foreignKey:GroupID;constraint:OnDelete:CASCADE"`
}

func (m0001GroupMember) TableName() string { return "group_members" }

type m0001Status struct {
	ID     int64  `gorm:"primaryKey;autoIncrement"`
	Status string `gorm:"size:20;not null;uniqueIndex:uq_statuses_status"`
}

func (m0001Status) TableName() string { return "statuses" }

type m0001Priority struct {
	ID       int64  `gorm:"primaryKey;autoIncrement"`
	Priority string `gorm:"size:12;not null;uniqueIndex:uq_priorities_priority"`
}

func (m0001Priority) TableName() string { return "priorities" }

type m0001Department struct {
	ID         int64  `gorm:"primaryKey;autoIncrement"`
	Department string `gorm:"size:30;not null;uniqueIndex:uq_departments_department"`
}

func (m0001Department) TableName() string { return "departments" }

type m0001Category struct {
	ID           int64            `gorm:"primaryKey;autoIncrement"`
	Category     string           `gorm:"size:30;not null;uniqueIndex:uq_categories_department_category,priority:2"`
	DepartmentID int64            `gorm:"not null;uniqueIndex:uq_categories_department_category,priority:1"`
	Department   *m0001Department `gorm:"foreignKey:DepartmentID;constraint:OnDelete:RESTRICT"`
}

func (m0001Category) TableName() string { return "categories" }

// m0001Ticket carries two denormalised counters (num_replies, total_hours)
// kept in the same transaction as every reply change, so the list can sort by
// them without a join or a subquery per row.
type m0001Ticket struct {
	ID               int64      `gorm:"primaryKey;autoIncrement"`
	Title            string     `gorm:"size:128;not null;index:idx_tickets_title"`
	Content          string     `gorm:"type:text;not null"`
	StartedID        *int64     `gorm:"index:idx_tickets_started_id"`
	DateAdded        time.Time  `gorm:"not null;index:idx_tickets_date_added"`
	DateModified     *time.Time `gorm:""`
	ModifiedID       *int64     `gorm:"index:idx_tickets_modified_id"`
	StatusID         int64      `gorm:"not null;index:idx_tickets_status_id;index:idx_tickets_status_priority,priority:1"`
	CategoryID       int64      `gorm:"not null;index:idx_tickets_category_id;index:idx_tickets_category_status,priority:1"`
	AssignedID       *int64     `gorm:"index:idx_tickets_assigned_id"`
	TicketPriorityID int64      `gorm:"not null;index:idx_tickets_priority_id;index:idx_tickets_status_priority,priority:2"`
	Hours            string     `gorm:"type:decimal(10,2);not null;default:0"`
	LastUpdated      time.Time  `gorm:"not null;index:idx_tickets_last_updated"`
	NumReplies       int64      `gorm:"not null;default:0;index:idx_tickets_num_replies"`
	TotalHours       string     `gorm:"type:decimal(12,2);not null;default:0;index:idx_tickets_total_hours"`

	Starter  *m0001User     `gorm:"foreignKey:StartedID;constraint:OnDelete:SET NULL"`
	Modifier *m0001User     `gorm:"foreignKey:ModifiedID;constraint:OnDelete:SET NULL"`
	Assignee *m0001User     `gorm:"foreignKey:AssignedID;constraint:OnDelete:SET NULL"`
	Status   *m0001Status   `gorm:"foreignKey:StatusID;constraint:OnDelete:RESTRICT"`
	Category *m0001Category `gorm:"foreignKey:CategoryID;constraint:OnDelete:RESTRICT"`
	Priority *m0001Priority `gorm:"foreignKey:TicketPriorityID;constraint:OnDelete:RESTRICT"`
}

func (m0001Ticket) TableName() string { return "tickets" }

type m0001Post struct {
	ID           int64        `gorm:"primaryKey;autoIncrement"`
	TicketID     int64        `gorm:"not null;index:idx_posts_ticket_id,priority:1"`
	Content      string       `gorm:"type:text;not null"`
	UserID       *int64       `gorm:"index:idx_posts_user_id"`
	DateAdded    time.Time    `gorm:"not null"`
	DateModified *time.Time   `gorm:""`
	ModifiedID   *int64       `gorm:"index:idx_posts_modified_id"`
	Hours        string       `gorm:"type:decimal(10,2);not null;default:0"`
	Ticket       *m0001Ticket `gorm:"foreignKey:TicketID;constraint:OnDelete:CASCADE"`
	User         *m0001User   `gorm:"foreignKey:UserID;constraint:OnDelete:SET NULL"`
	Modifier     *m0001User   `gorm:"foreignKey:ModifiedID;constraint:OnDelete:SET NULL"`
}

func (m0001Post) TableName() string { return "posts" }

type m0001Upload struct {
	ID               int64        `gorm:"primaryKey;autoIncrement"`
	PostID           *int64       `gorm:"index:idx_uploads_post_id"`
	TicketID         *int64       `gorm:"index:idx_uploads_ticket_id"`
	UserID           *int64       `gorm:"index:idx_uploads_user_id"`
	Filename         string       `gorm:"size:128;not null;uniqueIndex:uq_uploads_filename"`
	OriginalFilename string       `gorm:"size:255;not null"`
	ContentType      string       `gorm:"size:128;not null"`
	Size             int64        `gorm:"not null;default:0"`
	DateAdded        time.Time    `gorm:"not null"`
	Post             *m0001Post   `gorm:"foreignKey:PostID;constraint:OnDelete:CASCADE"`
	Ticket           *m0001Ticket `gorm:"foreignKey:TicketID;constraint:OnDelete:CASCADE"`
	User             *m0001User   `gorm:"foreignKey:UserID;constraint:OnDelete:SET NULL"`
}

func (m0001Upload) TableName() string { return "uploads" }

type m0001History struct {
	ID              int64        `gorm:"primaryKey;autoIncrement"`
	PostID          *int64       `gorm:"index:idx_histories_post_id"`
	TicketID        *int64       `gorm:"index:idx_histories_ticket_id"`
	DateModified    time.Time    `gorm:"not null"`
	OriginalContent string       `gorm:"type:text;not null"`
	UserID          *int64       `gorm:"index:idx_histories_user_id"`
	Post            *m0001Post   `gorm:"foreignKey:PostID;constraint:OnDelete:CASCADE"`
	Ticket          *m0001Ticket `gorm:"foreignKey:TicketID;constraint:OnDelete:CASCADE"`
	User            *m0001User   `gorm:"foreignKey:UserID;constraint:OnDelete:SET NULL"`
}

func (m0001History) TableName() string { return "histories" }

type m0001Subscription struct {
	ID        int64        `gorm:"primaryKey;autoIncrement"`
	TicketID  int64        `gorm:"not null;uniqueIndex:uq_subscriptions_ticket_user,priority:1"`
	UserID    int64        `gorm:"not null;uniqueIndex:uq_subscriptions_ticket_user,priority:2;index:idx_subscriptions_user_id"`
	DateAdded time.Time    `gorm:"not null"`
	Ticket    *m0001Ticket `gorm:"foreignKey:TicketID;constraint:OnDelete:CASCADE"`
	User      *m0001User   `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

func (m0001Subscription) TableName() string { return "subscriptions" }

type m0001Action struct {
	ID          int64        `gorm:"primaryKey;autoIncrement"`
	TicketID    int64        `gorm:"not null;index:idx_actions_ticket_id"`
	PostID      *int64       `gorm:"index:idx_actions_post_id"`
	Action      string       `gorm:"size:30;not null"`
	Data        *string      `gorm:"type:text"`
	UserID      *int64       `gorm:"index:idx_actions_user_id"`
	RecipientID *int64       `gorm:"index:idx_actions_recipient_id"`
	DateAdded   time.Time    `gorm:"not null"`
	Ticket      *m0001Ticket `gorm:"foreignKey:TicketID;constraint:OnDelete:CASCADE"`
	Post        *m0001Post   `gorm:"foreignKey:PostID;constraint:OnDelete:SET NULL"`
	User        *m0001User   `gorm:"foreignKey:UserID;constraint:OnDelete:SET NULL"`
	Recipient   *m0001User   `gorm:"foreignKey:RecipientID;constraint:OnDelete:SET NULL"`
}

func (m0001Action) TableName() string { return "actions" }

// m0001Config is the single row of administrator settings (features §1.14).
// The original's folder and Windows-domain columns are left out on purpose:
// uploads go to FLICKET_UPLOAD_DIR and domain login is not supported.
type m0001Config struct {
	ID                                 int64   `gorm:"primaryKey;autoIncrement:false"`
	MailServer                         *string `gorm:"size:128"`
	MailPort                           int     `gorm:"not null;default:465"`
	MailUseTLS                         bool    `gorm:"column:mail_use_tls;not null;default:false"`
	MailUseSSL                         bool    `gorm:"column:mail_use_ssl;not null;default:false"`
	MailDebug                          bool    `gorm:"not null;default:false"`
	MailUsername                       *string `gorm:"size:128"`
	MailPassword                       *string `gorm:"size:256"`
	MailDefaultSender                  *string `gorm:"size:128"`
	MailMaxEmails                      int     `gorm:"not null;default:10"`
	MailSuppressSend                   bool    `gorm:"not null;default:false"`
	MailASCIIAttachments               bool    `gorm:"column:mail_ascii_attachments;not null;default:false"`
	ApplicationTitle                   string  `gorm:"size:32;not null;default:Flicket"`
	PostsPerPage                       int     `gorm:"not null;default:50"`
	AllowedExtensions                  string  `gorm:"size:256;not null"`
	BaseURL                            string  `gorm:"column:base_url;size:128;not null;default:''"`
	CSVDumpLimit                       int     `gorm:"column:csv_dump_limit;not null;default:1000"`
	ChangeCategory                     bool    `gorm:"not null;default:false"`
	ChangeCategoryOnlyAdminOrSuperUser bool    `gorm:"not null;default:false"`
	SecretKey                          string  `gorm:"size:128;not null;default:''"`
}

func (m0001Config) TableName() string { return "config" }

// m0001APIToken is the server-side record of every issued token: the JWT's id
// is the primary key, so revoking a token is one UPDATE seen by every replica.
type m0001APIToken struct {
	ID        string     `gorm:"primaryKey;size:36"`
	UserID    int64      `gorm:"not null;index:idx_api_tokens_user_id"`
	CreatedAt time.Time  `gorm:"not null"`
	ExpiresAt time.Time  `gorm:"not null;index:idx_api_tokens_expires_at"`
	RevokedAt *time.Time `gorm:""`
	User      *m0001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
}

func (m0001APIToken) TableName() string { return "api_tokens" }

// m0001TicketCount keeps the number of tickets per category and status, updated
// in the same transaction as every ticket change, so list totals for the common
// filters are a sum over a few rows instead of a COUNT(*) over the tickets.
type m0001TicketCount struct {
	CategoryID int64          `gorm:"primaryKey;autoIncrement:false"`
	StatusID   int64          `gorm:"primaryKey;autoIncrement:false;index:idx_ticket_counts_status_id"`
	N          int64          `gorm:"column:n;not null;default:0"`
	Category   *m0001Category `gorm:"foreignKey:CategoryID;constraint:OnDelete:CASCADE"`
	Status     *m0001Status   `gorm:"foreignKey:StatusID;constraint:OnDelete:CASCADE"`
}

func (m0001TicketCount) TableName() string { return "ticket_counts" }

// initialTables lists the tables in creation order (referenced tables first).
func initialTables() []any {
	return []any{
		&m0001User{}, &m0001Group{}, &m0001GroupMember{},
		&m0001Status{}, &m0001Priority{}, &m0001Department{}, &m0001Category{},
		&m0001Ticket{}, &m0001Post{}, &m0001Upload{}, &m0001History{},
		&m0001Subscription{}, &m0001Action{}, &m0001Config{}, &m0001APIToken{},
		&m0001TicketCount{},
	}
}

func m0001InitialSchema() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0001_initial_schema",
		Migrate: func(tx *gorm.DB) error {
			return createTables(tx, initialTables()...)
		},
		Rollback: func(tx *gorm.DB) error {
			return dropTables(tx, initialTables()...)
		},
	}
}

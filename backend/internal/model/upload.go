package model

import "time"

// Upload is an attachment of a ticket or of a reply (exactly one of TicketID
// and PostID is set). Filename is the random name on disk; the file lives
// under FLICKET_UPLOAD_DIR, never in a public folder.
type Upload struct {
	ID               int64
	PostID           *int64
	TicketID         *int64
	UserID           *int64
	Filename         string
	OriginalFilename string
	ContentType      string
	Size             int64
	DateAdded        time.Time
}

// TableName pins the table name.
func (Upload) TableName() string { return "uploads" }

package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// IdempotencyTTL is how long a create's first answer is kept for its
// Idempotency-Key.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyKey is the first answer to a create sent with an
// Idempotency-Key header. KeyHash is the SHA-256 of the key; StatusCode 0
// means the first request is still being handled.
type IdempotencyKey struct {
	ID          int64
	UserID      int64
	KeyHash     string
	RequestHash string
	StatusCode  int
	ContentType string
	Location    string
	Body        []byte
	CreatedAt   time.Time
}

// TableName pins the table name.
func (IdempotencyKey) TableName() string { return "idempotency_keys" }

// Pending says the first request with this key has not answered yet.
func (k *IdempotencyKey) Pending() bool { return k.StatusCode == 0 }

// ClaimIdempotencyKey records a new request with this key for the user. It
// returns (nil, nil) when the caller now owns the key and must answer, or the
// record already there (pending or answered) for a key used within the TTL.
// A record older than the TTL, or one left pending for longer than stale (its
// request died), is replaced.
func ClaimIdempotencyKey(ctx context.Context, db *gorm.DB, k *IdempotencyKey, stale time.Duration) (*IdempotencyKey, error) {
	db = db.WithContext(ctx)
	err := db.Where("user_id = ? AND key_hash = ? AND (created_at < ? OR (status_code = 0 AND created_at < ?))",
		k.UserID, k.KeyHash, k.CreatedAt.Add(-IdempotencyTTL), k.CreatedAt.Add(-stale)).
		Delete(&IdempotencyKey{}).Error
	if err != nil {
		return nil, fmt.Errorf("drop expired idempotency key: %w", err)
	}
	k.StatusCode = 0
	// A plain insert (not in a transaction, so PostgreSQL's failed
	// statement aborts nothing); the unique index decides who owns the key.
	err = db.Create(k).Error
	if err == nil {
		return nil, nil
	}
	if !errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, fmt.Errorf("claim idempotency key: %w", err)
	}
	var prev IdempotencyKey
	if err := db.Where("user_id = ? AND key_hash = ?", k.UserID, k.KeyHash).Take(&prev).Error; err != nil {
		// Gone between the insert and the read (pruned): the client may retry.
		return nil, fmt.Errorf("read idempotency key: %w", err)
	}
	return &prev, nil
}

// CompleteIdempotencyKey stores the answer of the request that claimed the key.
func CompleteIdempotencyKey(ctx context.Context, db *gorm.DB, id int64, status int, contentType, location string, body []byte) error {
	err := db.WithContext(ctx).Model(&IdempotencyKey{}).Where("id = ?", id).Updates(map[string]any{
		"status_code": status, "content_type": contentType, "location": location, "body": body,
	}).Error
	if err != nil {
		return fmt.Errorf("store idempotent answer: %w", err)
	}
	return nil
}

// ReleaseIdempotencyKey forgets a claimed key whose request failed in a way
// worth retrying (a server error), so the same key may be sent again.
func ReleaseIdempotencyKey(ctx context.Context, db *gorm.DB, id int64) error {
	if err := db.WithContext(ctx).Where("id = ?", id).Delete(&IdempotencyKey{}).Error; err != nil {
		return fmt.Errorf("release idempotency key: %w", err)
	}
	return nil
}

// PruneIdempotencyKeys deletes every record older than the TTL.
func PruneIdempotencyKeys(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("created_at < ?", now.Add(-IdempotencyTTL)).Delete(&IdempotencyKey{})
	if res.Error != nil {
		return 0, fmt.Errorf("prune idempotency keys: %w", res.Error)
	}
	return res.RowsAffected, nil
}

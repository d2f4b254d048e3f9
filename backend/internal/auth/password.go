// Package auth hashes passwords (bcrypt) and issues and parses API tokens
// (JWT, HS256). It knows nothing about HTTP or the database.
package auth

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// MaxPasswordBytes is bcrypt's input limit; longer passwords are refused
// rather than silently truncated.
const MaxPasswordBytes = 72

// ErrPasswordTooLong is returned for passwords over MaxPasswordBytes.
var ErrPasswordTooLong = errors.New("password is longer than 72 bytes")

// Hasher makes and checks bcrypt hashes at a fixed cost.
type Hasher struct {
	Cost int
	// dummy is compared against when the user does not exist, so that a wrong
	// username takes as long as a wrong password.
	dummy []byte
}

// NewHasher builds a Hasher; cost is clamped to bcrypt's range.
func NewHasher(cost int) *Hasher {
	if cost < bcrypt.MinCost {
		cost = bcrypt.MinCost
	}
	if cost > bcrypt.MaxCost {
		cost = bcrypt.MaxCost
	}
	dummy, _ := bcrypt.GenerateFromPassword([]byte("flicket-timing-equaliser"), cost)
	return &Hasher{Cost: cost, dummy: dummy}
}

// Hash returns the bcrypt hash of a password.
func (h *Hasher) Hash(password string) (string, error) {
	if len(password) > MaxPasswordBytes {
		return "", ErrPasswordTooLong
	}
	b, err := bcrypt.GenerateFromPassword([]byte(password), h.Cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(b), nil
}

// Verify tells whether password matches hash. Hashes made by the original
// Flicket ($2b$) and by PHP ($2y$) verify too.
func (h *Hasher) Verify(hash, password string) bool {
	if hash == "" || len(password) > MaxPasswordBytes {
		h.Burn(password)
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// Burn spends the time of one comparison, for unknown users.
func (h *Hasher) Burn(password string) {
	if len(password) > MaxPasswordBytes {
		password = password[:MaxPasswordBytes]
	}
	_ = bcrypt.CompareHashAndPassword(h.dummy, []byte(password))
}

// IsBcryptHash tells whether s looks like a bcrypt hash we can verify.
func IsBcryptHash(s string) bool {
	_, err := bcrypt.Cost([]byte(s))
	return err == nil
}

package auth

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Token errors, told apart so the API can say which applies.
var (
	ErrTokenMalformed = errors.New("token is malformed or its signature is wrong")
	ErrTokenExpired   = errors.New("token has expired")
)

const issuer = "flicket"

// Claims are the fields of a Flicket token.
type Claims struct {
	jwt.RegisteredClaims
}

// Issued is a freshly signed token.
type Issued struct {
	Token     string
	ID        string
	UserID    int64
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Tokens signs and parses HS256 JWTs.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// NewTokens builds a signer. now may be nil (time.Now).
func NewTokens(secret []byte, ttl time.Duration, now func() time.Time) *Tokens {
	if now == nil {
		now = time.Now
	}
	return &Tokens{secret: secret, ttl: ttl, now: now}
}

// TTL is the lifetime of new tokens.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue signs a new token for the user.
func (t *Tokens) Issue(userID int64) (Issued, error) {
	now := t.now().UTC().Truncate(time.Second)
	id := uuid.NewString()
	exp := now.Add(t.ttl)
	claims := Claims{RegisteredClaims: jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   strconv.FormatInt(userID, 10),
		ID:        id,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	}}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return Issued{}, fmt.Errorf("sign token: %w", err)
	}
	return Issued{Token: s, ID: id, UserID: userID, IssuedAt: now, ExpiresAt: exp}, nil
}

// Parse checks a token's signature and expiry and returns its id and user id.
func (t *Tokens) Parse(token string) (id string, userID int64, err error) {
	var claims Claims
	_, err = jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return "", 0, ErrTokenExpired
		}
		return "", 0, ErrTokenMalformed
	}
	uid, convErr := strconv.ParseInt(claims.Subject, 10, 64)
	if convErr != nil || claims.ID == "" {
		return "", 0, ErrTokenMalformed
	}
	return claims.ID, uid, nil
}

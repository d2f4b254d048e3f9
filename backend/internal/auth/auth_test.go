package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPasswords(t *testing.T) {
	h := NewHasher(4)
	hash, err := h.Hash("pässwörd")
	if err != nil {
		t.Fatal(err)
	}
	if !h.Verify(hash, "pässwörd") || h.Verify(hash, "password") || h.Verify("", "") {
		t.Error("verify is wrong")
	}
	if !IsBcryptHash(hash) || IsBcryptHash("plain") {
		t.Error("IsBcryptHash is wrong")
	}
	if _, err := h.Hash(strings.Repeat("x", 73)); !errors.Is(err, ErrPasswordTooLong) {
		t.Errorf("73-byte password: %v", err)
	}
	if h.Verify(hash, strings.Repeat("x", 100)) {
		t.Error("a long password verified")
	}
}

func TestTokensRoundTrip(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tok := NewTokens([]byte("0123456789abcdef0123456789abcdef"), 10*time.Hour, clock)
	issued, err := tok.Issue(42)
	if err != nil {
		t.Fatal(err)
	}
	id, uid, err := tok.Parse(issued.Token)
	if err != nil || id != issued.ID || uid != 42 {
		t.Fatalf("parse = %s %d %v", id, uid, err)
	}
	if !issued.ExpiresAt.Equal(now.Add(10 * time.Hour)) {
		t.Errorf("expires %s", issued.ExpiresAt)
	}
	now = now.Add(10*time.Hour + time.Second)
	if _, _, err := tok.Parse(issued.Token); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("expired token: %v", err)
	}
	other := NewTokens([]byte("another-key-another-key-another-k"), time.Hour, clock)
	if _, _, err := other.Parse(issued.Token); !errors.Is(err, ErrTokenMalformed) {
		t.Errorf("foreign token: %v", err)
	}
	for _, s := range []string{"", "a.b.c", "eyJ", strings.Repeat("x", 5000)} {
		if _, _, err := tok.Parse(s); !errors.Is(err, ErrTokenMalformed) {
			t.Errorf("%q: %v", s, err)
		}
	}
}

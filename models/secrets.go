package models

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// MinPasswordLen is the shortest password a user may set.
const MinPasswordLen = 10

// HashPassword hashes a password with bcrypt, refusing ones too short to be safe.
func HashPassword(pw string) (string, error) {
	if len(pw) < MinPasswordLen {
		return "", Invalid("invalid password", FieldError{Field: "password", Message: fmt.Sprintf("must be at least %d characters", MinPasswordLen)})
	}
	if len(pw) > 72 {
		return "", Invalid("invalid password", FieldError{Field: "password", Message: "must be at most 72 bytes"})
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// CheckPassword tells whether pw matches the stored hash.
func CheckPassword(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// TokenPrefix starts every API token, so a leaked one is easy to recognise.
const TokenPrefix = "asr_"

// NewToken makes a random API token and returns it with the hash to store
// and a short prefix to show in lists.
func NewToken() (plain, hash, prefix string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", "", err
	}
	plain = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain), plain[:len(TokenPrefix)+6], nil
}

// HashToken is the stored form of a token: SHA-256 suffices because tokens
// are 256 random bits, and it lets a request find its token by equality.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// RandomPassword makes a readable random password for demo logins.
func RandomPassword() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

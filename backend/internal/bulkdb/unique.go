package bulkdb

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/flicket/flicket/backend/internal/database"
)

// FoldKey is the key under which the dialect's case-insensitive unique
// indexes compare s: SQLite's LOWER() folds ASCII letters only ("École" and
// "école" differ there), PostgreSQL's folds every letter, and MariaDB's
// utf8mb4_unicode_ci also ignores accents and trailing spaces.
func FoldKey(d database.Dialect, s string) string {
	switch d {
	case database.SQLite:
		return strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' {
				return r + ('a' - 'A')
			}
			return r
		}, s)
	case database.MySQL:
		var b strings.Builder
		for _, r := range norm.NFD.String(s) {
			if unicode.Is(unicode.Mn, r) {
				continue
			}
			b.WriteRune(unicode.ToLower(r))
		}
		return strings.TrimRight(b.String(), " ")
	default:
		return strings.ToLower(s)
	}
}

// Duplicate is a value that collides with an earlier one under a unique rule.
type Duplicate struct {
	// Index is the position of the later value; First the earlier one's.
	Index, First int
}

// FindDuplicates returns every value (by position) whose key, as
// FoldKey computes it within its scope, was already taken.
func FindDuplicates(d database.Dialect, scopes []string, values []string) []Duplicate {
	seen := make(map[string]int, len(values))
	var dups []Duplicate
	for i, v := range values {
		k := FoldKey(d, v)
		if scopes != nil {
			k = scopes[i] + "\x00" + k
		}
		if first, ok := seen[k]; ok {
			dups = append(dups, Duplicate{Index: i, First: first})
			continue
		}
		seen[k] = i
	}
	return dups
}

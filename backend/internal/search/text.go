// Package search is Flicket's full-text search: what a query means (Parse),
// how text becomes words (Words), and the per-database index behind it
// (SQLite FTS5, PostgreSQL tsvector + GIN, MariaDB/MySQL InnoDB FULLTEXT),
// kept by Refresh and Remove inside the transaction of every ticket change.
//
// Words are defined here, once, for every database: a word is a run of
// letters and digits, compared without case and accents ("Café" is "cafe").
// Each database indexes the words this package gives it, so a query means
// the same on all three.
package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxDocumentBytes caps the text of one ticket that is indexed (title, body
// and replies together): PostgreSQL refuses a tsvector over 1 MB.
const MaxDocumentBytes = 512 << 10

// expansions are letters that fold to more than their base letter, as
// PostgreSQL's unaccent folds them.
var expansions = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ł': "l", 'ħ': "h", 'ı': "i", 'þ': "th",
}

// Fold lowers the case of s and removes its accents.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if e, ok := expansions[r]; ok {
			b.WriteString(e)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isWordRune tells whether r belongs to a word (after Fold).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// Words splits s into its folded words, in order.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return !isWordRune(r) })
}

// Document is what the index holds for a ticket: the folded words of its
// parts (title, body, replies) separated by single spaces, at most
// MaxDocumentBytes long.
func Document(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		for _, w := range Words(p) {
			if b.Len()+len(w)+1 > MaxDocumentBytes {
				return b.String()
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

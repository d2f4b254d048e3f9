// Package sortkey turns names into collation keys: byte strings whose
// bytewise order is the order people expect for the names (Unicode's
// language-neutral collation, ignoring letter case and accents). Stored in
// binary columns beside the names, they give a name sort the same result on
// SQLite, MariaDB/MySQL and PostgreSQL, whatever each database's collation,
// and an index can serve it.
package sortkey

import (
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// MaxLen is the longest key stored (the columns are VARBINARY(512)); names
// whose keys share their first MaxLen bytes sort as equals (then by id).
const MaxLen = 512

// Sep joins the keys of a two-part name (department, then category): every
// collation weight starts with a non-zero byte, so a zero byte sorts a
// shorter first part before any longer one, as comparing the parts would.
const Sep = 0x00

// Keyer computes keys. It is not safe for concurrent use: make one per
// goroutine (it reuses its buffer across calls).
type Keyer struct {
	c   *collate.Collator
	buf collate.Buffer
}

// New returns a Keyer.
func New() *Keyer {
	return &Keyer{c: collate.New(language.Und, collate.Loose)}
}

// Key is the collation key of s (a fresh slice, at most MaxLen bytes).
func (k *Keyer) Key(s string) []byte {
	k.buf.Reset()
	key := k.c.KeyFromString(&k.buf, s)
	return clip(append([]byte{}, key...))
}

// Pair is the key of a two-part name: the first part's key, Sep, then the
// second's.
func (k *Keyer) Pair(first, second string) []byte {
	k.buf.Reset()
	a := k.c.KeyFromString(&k.buf, first)
	out := make([]byte, 0, 2*len(a)+1)
	out = append(append(out, a...), Sep)
	k.buf.Reset()
	return clip(append(out, k.c.KeyFromString(&k.buf, second)...))
}

// Optional is the key of a name that may be missing (a deleted user): an
// empty key, which sorts before every name.
func (k *Keyer) Optional(s *string) []byte {
	if s == nil {
		return []byte{}
	}
	return k.Key(*s)
}

func clip(b []byte) []byte {
	if len(b) > MaxLen {
		return b[:MaxLen]
	}
	return b
}

// Key is a one-off Keyer.Key.
func Key(s string) []byte { return New().Key(s) }

// Pair is a one-off Keyer.Pair.
func Pair(first, second string) []byte { return New().Pair(first, second) }

package search

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Term is what a ticket must (or must not) contain: one word, or several
// words in this order next to each other (a quoted phrase, or a word with
// inner punctuation such as "e-mail").
type Term []string

func (t Term) String() string { return strings.Join(t, " ") }

// Query is a parsed search.
type Query struct {
	// Include: every term appears in the ticket (title, body or a reply).
	Include []Term
	// Exclude: none of these appears in the ticket.
	Exclude []Term
	// TicketID is set when the whole query is a ticket number ("123" or
	// "#123"): that ticket matches too, and comes first.
	TicketID int64
	// Pairs (PostgreSQL, MariaDB/MySQL) says the word-pairs index can be
	// used for phrases (see State); the caller sets it.
	Pairs bool
}

// Empty tells whether the query has nothing to search for.
func (q Query) Empty() bool { return len(q.Include) == 0 && len(q.Exclude) == 0 }

// Parse reads a search as typed: words (all must appear), "quoted phrases",
// -word and -"phrase" (must not appear). Punctuation separates words and
// case and accents are ignored; an unclosed quote runs to the end.
func Parse(s string) Query {
	var q Query
	s = strings.TrimSpace(s)
	if id, ok := ticketNumber(s); ok {
		q.TicketID = id
	}
	seen := map[string]bool{}
	add := func(neg bool, t Term) {
		if len(t) == 0 {
			return
		}
		key := strconv.FormatBool(neg) + t.String()
		if seen[key] {
			return
		}
		seen[key] = true
		if neg {
			q.Exclude = append(q.Exclude, t)
		} else {
			q.Include = append(q.Include, t)
		}
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		neg := false
		if r == '-' && i+1 < len(s) && !unicode.IsSpace(rune(s[i+1])) {
			neg = true
			i++
		}
		if i < len(s) && s[i] == '"' {
			end := strings.IndexByte(s[i+1:], '"')
			text := s[i+1:]
			if end >= 0 {
				text = s[i+1 : i+1+end]
				i += end + 2
			} else {
				i = len(s)
			}
			add(neg, Words(text))
			continue
		}
		end := strings.IndexFunc(s[i:], unicode.IsSpace)
		if end < 0 {
			end = len(s) - i
		}
		add(neg, Words(s[i:i+end]))
		i += end
	}
	return q
}

// ticketNumber reads "123" or "#123".
func ticketNumber(s string) (int64, bool) {
	s = strings.TrimPrefix(s, "#")
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

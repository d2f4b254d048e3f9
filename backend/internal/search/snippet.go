package search

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Snippet lengths, in characters (Unicode code points) of the text shown,
// ellipses aside.
const (
	SnippetLength = 200
	// snippetBefore is how much text comes before the first match.
	snippetBefore = 60
)

// Ellipsis marks where a snippet cuts its text.
const Ellipsis = "…"

// Snippet is plain text around the first match in one text of a ticket,
// with where the matched words are: [start, end) offsets in UTF-16 code
// units (what JavaScript's string indexes count), the ellipses included.
type Snippet struct {
	Text       string
	Highlights [][2]int
}

// Source is one text of a ticket a search may have matched: its body, its
// title or a reply (PostID set), in markdown as stored.
type Source struct {
	PostID *int64
	Text   string
}

// Match says why a ticket matched: a snippet of the source that best
// matched (the one holding the most of the query's terms; the earliest
// source among equals), and the reply it comes from, if it is a reply.
type Match struct {
	Snippet
	PostID *int64
}

// token is a word of a text: its folded form and where it is (bytes).
type token struct {
	word       string
	start, end int
}

// span is a found term, in bytes of the plain text.
type span struct{ start, end int }

// analysed is a source's plain text with its words and found terms.
type analysed struct {
	text   string
	tokens []token
	found  []span // every occurrence of every term, by start
	terms  int    // how many distinct terms occur
}

func analyse(markdown string, terms []Term) analysed {
	a := analysed{text: PlainText(markdown)}
	if len(terms) == 0 || !mayHold(a.text, terms) {
		return a // nothing to find: the words are split only if cut needs them
	}
	a.tokens = tokenize(a.text)
	for _, t := range terms {
		if len(t) == 0 {
			continue
		}
		hit := false
		for i := 0; i+len(t) <= len(a.tokens); i++ {
			ok := true
			for j, w := range t {
				if a.tokens[i+j].word != w {
					ok = false
					break
				}
			}
			if ok {
				hit = true
				a.found = append(a.found, span{a.tokens[i].start, a.tokens[i+len(t)-1].end})
			}
		}
		if hit {
			a.terms++
		}
	}
	slices.SortFunc(a.found, func(x, y span) int {
		if x.start != y.start {
			return x.start - y.start
		}
		return x.end - y.end
	})
	return a
}

// mayHold tells whether text may hold one of the terms: false only when
// the text is plain ASCII (its words are its letters and digits, lowered)
// and no term's first word is in it, whatever the case. Most texts of a
// page lack the words searched for; this spares splitting them into words.
func mayHold(text string, terms []Term) bool {
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			return true
		}
	}
	for _, t := range terms {
		if len(t) == 0 || containsLowerASCII(text, t[0]) {
			return true
		}
	}
	return false
}

// containsLowerASCII tells whether ASCII text holds w (a folded word)
// when its upper-case letters are lowered.
func containsLowerASCII(text, w string) bool {
	for i := 0; i+len(w) <= len(text); i++ {
		j := 0
		for j < len(w) && asciiLowerByte(text[i+j]) == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

func asciiLowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// BestMatch picks the source that best matches the query and cuts its
// snippet. sources are in order of preference (body, title, replies by
// id); the first is the fallback when none holds a term (a match by ticket
// number, or a query of exclusions only): its beginning, no highlights.
func BestMatch(q Query, sources []Source) Match {
	return StartMatch(q, sources...).Finish(nil)
}

// Matching is BestMatch in two steps, so that the replies are read only
// when they may matter: StartMatch analyses the ticket's own texts (body,
// title), Complete tells whether they hold every term (then no reply can
// match better), and Finish goes on with the replies and cuts the snippet.
// Each text is analysed once.
type Matching struct {
	terms   []Term
	sources []Source
	best    analysed
	bestIdx int
	done    bool
}

// StartMatch begins BestMatch over the first sources.
func StartMatch(q Query, own ...Source) *Matching {
	m := &Matching{terms: distinctTerms(q.Include), bestIdx: -1}
	m.add(own)
	return m
}

// Complete tells whether the sources so far hold every term.
func (m *Matching) Complete() bool { return m.done }

func (m *Matching) add(sources []Source) {
	for _, s := range sources {
		m.sources = append(m.sources, s)
		if m.done || len(m.terms) == 0 {
			continue
		}
		a := analyse(s.Text, m.terms)
		if a.terms > m.best.terms {
			m.best, m.bestIdx = a, len(m.sources)-1
			m.done = a.terms == len(m.terms)
		}
	}
}

// Finish adds the replies (by id) and cuts the snippet of the best source.
func (m *Matching) Finish(replies []Source) Match {
	m.add(replies)
	if m.bestIdx < 0 {
		// No term in any text: the beginning of the ticket's first
		// non-empty text (body, else title); no reply matched.
		for _, s := range m.sources {
			if s.PostID == nil && strings.TrimSpace(s.Text) != "" {
				return Match{Snippet: cut(analyse(s.Text, nil))}
			}
		}
		return Match{Snippet: Snippet{Highlights: [][2]int{}}}
	}
	return Match{Snippet: cut(m.best), PostID: m.sources[m.bestIdx].PostID}
}

func distinctTerms(ts []Term) []Term {
	var out []Term
	seen := map[string]bool{}
	for _, t := range ts {
		if k := t.String(); len(t) > 0 && !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// cut makes the snippet of a: about SnippetLength characters, starting a
// little before the first found term, cut between words.
func cut(a analysed) Snippet {
	text := a.text
	start, end := 0, len(text)
	if utf8.RuneCountInString(text) > SnippetLength {
		if a.tokens == nil {
			a.tokens = tokenize(text)
		}
		first := span{}
		if len(a.found) > 0 {
			first = a.found[0]
		}
		start = backRunes(text, first.start, snippetBefore)
		start = a.wordStartAtOrAfter(start, first.start)
		end = forwardRunes(text, start, SnippetLength)
		if end < len(text) {
			end = a.wordEndAtOrBefore(end, max(first.end, start))
			if end <= start {
				end = forwardRunes(text, start, SnippetLength)
			}
		}
		if end == len(text) && start > 0 {
			// Near the end: show a full-length snippet ending there.
			s := backRunes(text, len(text), SnippetLength)
			start = a.wordStartAtOrAfter(s, start)
		}
	}
	body := text[start:end]
	lead := len(body) - len(strings.TrimLeft(body, " "))
	start += lead
	end = start + len(strings.TrimRight(text[start:end], " "))
	var b strings.Builder
	prefix := 0
	if start > 0 {
		b.WriteString(Ellipsis)
		prefix = 1 // U+2026 is one UTF-16 code unit
	}
	b.WriteString(text[start:end])
	if end < len(text) {
		b.WriteString(Ellipsis)
	}
	hl := [][2]int{}
	for _, f := range a.found {
		if f.start < start || f.end > end {
			continue
		}
		s := prefix + utf16Len(text[start:f.start])
		e := s + utf16Len(text[f.start:f.end])
		if n := len(hl); n > 0 && s <= hl[n-1][1] {
			hl[n-1][1] = max(hl[n-1][1], e)
			continue
		}
		hl = append(hl, [2]int{s, e})
	}
	return Snippet{Text: b.String(), Highlights: hl}
}

// wordStartAtOrAfter moves pos forward to the start of a word, not past
// limit.
func (a analysed) wordStartAtOrAfter(pos, limit int) int {
	if pos == 0 {
		return 0
	}
	for _, t := range a.tokens {
		if t.start >= pos {
			return min(t.start, limit)
		}
	}
	return min(pos, limit)
}

// wordEndAtOrBefore moves pos back to the end of a word, not before floor.
func (a analysed) wordEndAtOrBefore(pos, floor int) int {
	best := -1
	for _, t := range a.tokens {
		if t.end > pos {
			break
		}
		best = t.end
	}
	if best < floor {
		return max(floor, min(pos, len(a.text)))
	}
	return best
}

// backRunes is the byte offset n characters before pos (0 at most).
func backRunes(s string, pos, n int) int {
	for ; n > 0 && pos > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:pos])
		pos -= size
	}
	return pos
}

// forwardRunes is the byte offset n characters after pos (len(s) at most).
func forwardRunes(s string, pos, n int) int {
	for ; n > 0 && pos < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[pos:])
		pos += size
	}
	return pos
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// tokenize finds the words of s as Words does, with their positions: a
// word is a run of characters whose folded form is letters and digits
// (combining marks belong to the word before them).
func tokenize(s string) []token {
	out := make([]token, 0, len(s)/6+4)
	// Folded words are written one after the other in folded, and become
	// substrings of one string at the end: one allocation for them all.
	var folded []byte
	var refs []foldedRef
	start, from := -1, 0
	// plain: the word so far is its own folded form (ASCII lower-case
	// letters and digits), so it is a slice of s rather than a new string.
	plain := true
	flush := func(end int) {
		switch {
		case start < 0:
		case plain:
			out = append(out, token{word: s[start:end], start: start, end: end})
		case len(folded) > from:
			refs = append(refs, foldedRef{tok: len(out), from: from, to: len(folded)})
			out = append(out, token{start: start, end: end})
		}
		from = len(folded)
		start, plain = -1, true
	}
	for i, r := range s {
		if plain && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			if start < 0 {
				start = i
			}
			continue
		}
		f, word := foldRune(r)
		if !word {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
		}
		if plain {
			plain = false
			folded = append(folded, s[start:i]...)
		}
		folded = append(folded, f...)
	}
	flush(len(s))
	if len(refs) > 0 {
		all := string(folded)
		for _, r := range refs {
			out[r.tok].word = all[r.from:r.to]
		}
	}
	return out
}

// foldedRef is where the folded word of token tok is in tokenize's buffer.
type foldedRef struct{ tok, from, to int }

// foldRune is r folded as Fold folds it, and whether it belongs to a word.
func foldRune(r rune) (string, bool) {
	if r < utf8.RuneSelf {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return asciiWords[r], true
		case r >= 'A' && r <= 'Z':
			return asciiWords[r+'a'-'A'], true
		}
		return "", false
	}
	if unicode.IsMark(r) {
		return "", true
	}
	f := Fold(string(r))
	if f == "" {
		return "", false
	}
	for _, c := range f {
		if !isWordRune(c) {
			return "", false
		}
	}
	return f, true
}

var (
	mdImageOrLink = regexp.MustCompile(`!?\[([^\]\n]*)\]\([^)\n]*\)`)
	mdRefLink     = regexp.MustCompile(`\[([^\]\n]+)\]\[[^\]\n]*\]`)
	mdAutolink    = regexp.MustCompile(`<((?:https?|ftp|mailto):[^>\s]+)>`)
	mdLineMarker  = regexp.MustCompile(`^\s{0,3}(?:>\s?)*\s*(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)?`)
	mdRule        = regexp.MustCompile(`^\s{0,3}(?:(?:[-*_]\s*){3,}|=+|-+)\s*$`)
	mdFence       = regexp.MustCompile("^\\s{0,3}(?:```|~~~)")
	mdTableRule   = regexp.MustCompile(`^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$`)
	mdLinkDef     = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s`)
	mdTrailHashes = regexp.MustCompile(`\s+#+\s*$`)
)

// PlainText is markdown as a reader sees it, on one line: block markers
// (headings, quotes, list bullets, fences, rules, table rules and pipes),
// emphasis and code marks, and link targets go; link and image texts stay;
// runs of white space become one space. Raw HTML stays as text (Flicket
// renders it as text too).
func PlainText(md string) string {
	var b strings.Builder
	b.Grow(len(md))
	for line := range strings.SplitSeq(md, "\n") {
		// The regular expressions run only on lines that may hold what
		// they look for: most lines are prose.
		first := strings.TrimLeft(line, " \t")
		if first == "" {
			b.WriteByte(' ')
			continue
		}
		if strings.ContainsRune("`~-*_=|[", rune(first[0])) || strings.Contains(first, "|") {
			if mdFence.MatchString(line) || mdRule.MatchString(line) || mdTableRule.MatchString(line) || mdLinkDef.MatchString(line) {
				b.WriteByte(' ')
				continue
			}
		}
		if strings.ContainsRune(">#-*+0123456789", rune(first[0])) {
			line = mdLineMarker.ReplaceAllString(line, "")
		}
		if strings.HasSuffix(strings.TrimRight(line, " \t"), "#") {
			line = mdTrailHashes.ReplaceAllString(line, "")
		}
		if strings.Contains(line, "[") {
			line = mdImageOrLink.ReplaceAllString(line, "$1")
			line = mdRefLink.ReplaceAllString(line, "$1")
		}
		if strings.Contains(line, "<") {
			line = mdAutolink.ReplaceAllString(line, "$1")
		}
		inline(&b, line)
		b.WriteByte(' ')
	}
	return collapseSpace(b.String())
}

// collapseSpace is strings.Join(strings.Fields(s), " "), without
// splitting s: runs of white space become one space, none at either end.
func collapseSpace(s string) string {
	var b strings.Builder
	word := -1 // start of the word being read
	for i := 0; i <= len(s); {
		isSpace, size := true, 1 // the end of s ends a word too
		if i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				isSpace = asciiSpace[c]
			} else {
				var r rune
				r, size = utf8.DecodeRuneInString(s[i:])
				isSpace = unicode.IsSpace(r)
			}
		}
		switch {
		case !isSpace && word < 0:
			word = i
		case isSpace && word >= 0:
			if word == 0 && i == len(s) {
				return s // one word, nothing around it
			}
			if b.Len() == 0 {
				b.Grow(len(s))
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(s[word:i])
			word = -1
		}
		i += size
	}
	return b.String()
}

// asciiWords holds the one-letter strings of ASCII: string(r) of a rune
// would allocate each time.
var asciiWords = func() (t [utf8.RuneSelf]string) {
	for i := range t {
		t[i] = string(rune(i))
	}
	return t
}()

// asciiSpace is what unicode.IsSpace holds for ASCII.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// inline writes a line without its emphasis and code marks: backticks,
// runs of * _ ~ that open or close (a word character on one side only),
// pipes between table cells; \-escaped punctuation is kept as itself.
func inline(b *strings.Builder, line string) {
	if !strings.ContainsAny(line, "\\`|*_~") {
		b.WriteString(line) // prose: nothing to remove
		return
	}
	rs := []rune(line)
	isWord := func(i int) bool {
		return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]))
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch r {
		case '\\':
			if i+1 < len(rs) && rs[i+1] < utf8.RuneSelf && (unicode.IsPunct(rs[i+1]) || unicode.IsSymbol(rs[i+1])) {
				b.WriteRune(rs[i+1])
				i++
				continue
			}
		case '`':
			continue
		case '|':
			b.WriteByte(' ')
			continue
		case '*', '_', '~':
			j := i
			for j < len(rs) && rs[j] == r {
				j++
			}
			before, after := isWord(i-1), isWord(j)
			if before != after || (r != '_' && before && after) {
				// An emphasis mark (intra-word only for * and ~,
				// as in CommonMark, where _ inside a word is text).
				i = j - 1
				continue
			}
			b.WriteString(string(rs[i:j]))
			i = j - 1
			continue
		}
		b.WriteRune(r)
	}
}

// Package jsontext finds where a JSON text is not valid Unicode. Go's JSON
// decoder accepts such text and silently stores U+FFFD instead: raw bytes
// that are not UTF-8 (overlong forms and encoded surrogates included) and \u
// escapes of a surrogate without its pair. Flicket refuses them instead, and
// names the field.
package jsontext

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Problem is the first invalid text in a JSON document.
type Problem struct {
	// Offset is the byte offset of the invalid text.
	Offset int
	// What says what is wrong there, as a phrase: "bytes that are not valid UTF-8".
	What string
	// Path names the value holding it the way validation errors name
	// fields ("nested.name", "users[2].email"); "" when unknown or at the top.
	Path string
	// InKey tells that the text is in an object key; Path is the object's.
	InKey bool
}

// Check returns the first invalid text in the JSON document b, or nil.
// Malformed JSON is left to the decoder.
func Check(b []byte) *Problem {
	off, what := findBadText(b)
	if off < 0 {
		return nil
	}
	path, inKey := pathAt(b, off)
	return &Problem{Offset: off, What: what, Path: path, InKey: inKey}
}

// findBadText returns the offset of the first invalid text in a JSON body and
// what is wrong there, or -1. Malformed JSON is left to the decoder.
func findBadText(b []byte) (int, string) {
	inString := false
	for i := 0; i < len(b); {
		c := b[i]
		if c >= utf8.RuneSelf {
			// DecodeRune refuses overlong forms and UTF-8-encoded surrogates.
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size <= 1 {
				return i, "bytes that are not valid UTF-8"
			}
			i += size
			continue
		}
		switch {
		case c == '"':
			inString = !inString
			i++
		case c == '\\' && inString && i+1 < len(b) && b[i+1] == 'u':
			r, ok := hex4(b[i+2:])
			if !ok || !utf16.IsSurrogate(r) {
				i += 2
				continue
			}
			if r < 0xdc00 && len(b) >= i+12 && b[i+6] == '\\' && b[i+7] == 'u' {
				if lo, ok := hex4(b[i+8:]); ok && lo >= 0xdc00 && lo <= 0xdfff {
					i += 12 // a valid pair
					continue
				}
			}
			return i, fmt.Sprintf(`\u%04x, half of a UTF-16 surrogate pair without the other half`, r)
		case c == '\\' && inString && i+1 < len(b) && b[i+1] < utf8.RuneSelf:
			i += 2 // the escaped character, a quote or a backslash included
		default:
			i++
		}
	}
	return -1, ""
}

// hex4 reads the four hex digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// maxPathDepth bounds the nesting pathAt follows (the decoder itself
// refuses bodies nested deeper than 10000).
const maxPathDepth = 10000

// pathAt names the value holding byte off of a JSON body the way
// validation errors name fields ("nested.name", "users[2].email"), and says
// whether off is inside an object key (then the path is the object's). It
// gives "" when the body is not JSON up to there, or off is at the top.
func pathAt(b []byte, off int) (string, bool) {
	type level struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []*level
	path := func(withTop bool) string {
		var sb strings.Builder
		for i, l := range stack {
			if i == len(stack)-1 && !withTop {
				break
			}
			switch {
			case l.object:
				if sb.Len() > 0 {
					sb.WriteByte('.')
				}
				sb.WriteString(l.key)
			default:
				sb.WriteString("[" + strconv.Itoa(l.index) + "]")
			}
		}
		return sb.String()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		end := dec.InputOffset()
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		delim, isDelim := tok.(json.Delim)
		closing := isDelim && (delim == '}' || delim == ']')
		isKey := top != nil && top.object && top.wantKey && !closing
		if !isKey && !closing && top != nil && !top.object {
			top.index++
		}
		if int64(off) >= start && int64(off) < end {
			if isKey {
				return path(false), true
			}
			return path(true), false
		}
		switch {
		case isKey:
			top.key, _ = tok.(string)
			top.wantKey = false
		case isDelim && !closing:
			if len(stack) >= maxPathDepth {
				return "", false
			}
			stack = append(stack, &level{object: delim == '{', wantKey: true, index: -1})
		case closing:
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				stack[len(stack)-1].wantKey = true
			}
		case top != nil && top.object:
			top.wantKey = true
		}
	}
}

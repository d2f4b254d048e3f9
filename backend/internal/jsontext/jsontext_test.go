package jsontext

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		name, doc string
		offset    int // -1: valid
		path      string
		inKey     bool
	}{
		{"plain", `{"a":"b"}`, -1, "", false},
		{"a pair", `{"a":"\ud83d\ude00"}`, -1, "", false},
		{"an escaped backslash", `{"a":"\\ud800"}`, -1, "", false},
		{"raw UTF-8", `{"a":"é😀"}`, -1, "", false},
		{"invalid byte", "{\"a\":\"x\xff\"}", 7, "a", false},
		{"overlong", "{\"a\":\"\xc0\xaf\"}", 6, "a", false},
		{"encoded surrogate", "{\"a\":\"\xed\xa0\x80\"}", 6, "a", false},
		{"lone high", `{"a":"x\ud800"}`, 7, "a", false},
		{"lone low", `{"a":"\udc00"}`, 6, "a", false},
		{"reversed pair", `{"a":"\udc00\ud800"}`, 6, "a", false},
		{"nested in arrays", `{"a":[{"b":1},{"c":["ok","\ud800"]}]}`, 26, "a[1].c[1]", false},
		{"in a key", "{\"a\":{\"k\xff\":1}}", 8, "a", true},
		{"at the top", "\"\xff\"", 1, "", false},
		{"after a closed object", `{"a":{"b":"c"},"d":"\udfff"}`, 20, "d", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Check([]byte(tc.doc))
			if tc.offset < 0 {
				if p != nil {
					t.Fatalf("Check = %+v, want nil", p)
				}
				return
			}
			if p == nil {
				t.Fatal("Check = nil")
			}
			if p.Offset != tc.offset || p.Path != tc.path || p.InKey != tc.inKey || p.What == "" {
				t.Errorf("Check = %+v, want offset %d path %q inKey %v", p, tc.offset, tc.path, tc.inKey)
			}
		})
	}
}

// FuzzCheck holds Check to what Go's decoder would do: whatever Check lets
// through decodes without any U+FFFD that the text did not spell itself, and
// whatever is not UTF-8 is caught at its first bad byte.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		`{"title":"hello","tags":["a","b"],"n":{"x":1.5e3,"y":null}}`,
		`{"a":"\ud83d\ude00 \u00e9 \ufffd \\ud800"}`,
		`{"a":"\ud800"}`, `["\udc00\ud800"]`, "{\"a\":\"\xc0\xaf\"}", "{\"k\xff\":1}",
		`"\uD83D\uDE00"`, `{"a":"\"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := Check(b)
		if p != nil && (p.Offset < 0 || p.Offset >= len(b) || p.What == "") {
			t.Fatalf("Check = %+v for %d bytes", p, len(b))
		}
		if !utf8.Valid(b) {
			if p == nil {
				t.Fatalf("invalid UTF-8 passed: %q", b)
			}
			if first := firstInvalid(b); p.Offset > first {
				t.Fatalf("Check offset %d, first invalid byte at %d: %q", p.Offset, first, b)
			}
			return
		}
		if p != nil {
			return
		}
		var v any
		if json.Unmarshal(b, &v) != nil {
			return
		}
		spelled := bytes.Count(b, []byte("\uFFFD")) + strings.Count(strings.ToLower(string(b)), `\ufffd`)
		if got := countReplacement(v); got > spelled {
			t.Fatalf("%d U+FFFD decoded, %d spelled: Check missed a lone surrogate in %q", got, spelled, b)
		}
	})
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

func countReplacement(v any) int {
	switch x := v.(type) {
	case string:
		return strings.Count(x, "\uFFFD")
	case []any:
		n := 0
		for _, e := range x {
			n += countReplacement(e)
		}
		return n
	case map[string]any:
		n := 0
		for k, e := range x {
			n += strings.Count(k, "\uFFFD") + countReplacement(e)
		}
		return n
	}
	return 0
}

package flicketimport

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzText reads any bytes as a source column would hold them: the text is
// always UTF-8, unchanged (and ok) when it already was; cut to a column's
// size or given a unique suffix, it fits and stays UTF-8.
func FuzzText(f *testing.F) {
	for _, s := range []string{"plain", "café", "caf\xe9 \x80\x9f", "\xff\xfe", "€ \xed\xa0\x80 \xc0\xaf", strings.Repeat("é", 40)} {
		f.Add([]byte(s), 30, int64(7))
	}
	f.Fuzz(func(t *testing.T, b []byte, n int, id int64) {
		s, ok := nText{B: b, Valid: true}.text()
		if !utf8.ValidString(s) {
			t.Fatalf("text(%q) = %q: not UTF-8", b, s)
		}
		if ok != utf8.Valid(b) || (ok && s != string(b)) {
			t.Fatalf("text(%q) = %q, %v", b, s, ok)
		}
		if n < 0 || n > 300 {
			return // column sizes
		}
		if got := fit(s, n); !utf8.ValidString(got) || utf8.RuneCountInString(got) > n || !strings.HasPrefix(s, got) {
			t.Fatalf("fit(%q, %d) = %q", s, n, got)
		}
		suffix := "_" + strconv.FormatInt(id, 10)
		got := withSuffix(s, id, "_", n)
		if n >= len(suffix) && (!utf8.ValidString(got) || utf8.RuneCountInString(got) > n || !strings.HasSuffix(got, suffix)) {
			t.Fatalf("withSuffix(%q, %d, %d) = %q", s, id, n, got)
		}
	})
}

package search

import (
	"fmt"
	"testing"
)

func TestWords(t *testing.T) {
	cases := map[string]string{
		"Le Café est FERMÉ":         "[le cafe est ferme]",
		"e-mail: user@example.com":  "[e mail user example com]",
		"Straße, Œuvre, Ærø, naïve": "[strasse oeuvre aero naive]",
		"under_score 50% v1.2":      "[under score 50 v1 2]",
		"日本語のテキスト":                  "[日本語のテキスト]",
		"  ":                        "[]",
	}
	for in, want := range cases {
		if got := fmt.Sprint(Words(in)); got != want {
			t.Errorf("Words(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		in               string
		include, exclude string
		ticketID         int64
	}{
		{"printer jam", "[[printer] [jam]]", "[]", 0},
		{`"Printer jam" -roller`, "[[printer jam]]", "[[roller]]", 0},
		{`-"out of order" e-mail`, "[[e mail]]", "[[out of order]]", 0},
		{`"unclosed phrase`, "[[unclosed phrase]]", "[]", 0},
		{"café cafe CAFÉ", "[[cafe]]", "[]", 0},
		{"#123", "[[123]]", "[]", 123},
		{" 42 ", "[[42]]", "[]", 42},
		{"#0", "[[0]]", "[]", 0},
		{"123 456", "[[123] [456]]", "[]", 0},
		{"- a - b", "[[a] [b]]", "[]", 0},
		{"!!! ?", "[]", "[]", 0},
		{`""`, "[]", "[]", 0},
	}
	for _, tc := range cases {
		q := Parse(tc.in)
		if got := terms(q.Include); got != tc.include {
			t.Errorf("Parse(%q).Include = %s, want %s", tc.in, got, tc.include)
		}
		if got := terms(q.Exclude); got != tc.exclude {
			t.Errorf("Parse(%q).Exclude = %s, want %s", tc.in, got, tc.exclude)
		}
		if q.TicketID != tc.ticketID {
			t.Errorf("Parse(%q).TicketID = %d, want %d", tc.in, q.TicketID, tc.ticketID)
		}
	}
}

func TestDocumentIsCapped(t *testing.T) {
	long := make([]byte, 0, 2*MaxDocumentBytes)
	for len(long) < 2*MaxDocumentBytes {
		long = append(long, "word "...)
	}
	d := Document("Title", string(long))
	if len(d) > MaxDocumentBytes || len(d) < MaxDocumentBytes-10 || d[:11] != "title word " {
		t.Errorf("document of %d bytes starting %q", len(d), d[:11])
	}
}

func TestMySQLFulltextSplitsShortWords(t *testing.T) {
	ft, rest := mysqlFulltext(Parse(`printer de "mot de passe" "printer jam"`).Include, true)
	if ft != `+printer +mot +passe +printer +jam` || terms(rest) != "[[de] [mot de passe] [printer jam]]" {
		t.Errorf("fulltext %q, rest %v", ft, rest)
	}
	// Excluded phrases stay FULLTEXT phrases (LIKE would read every
	// document).
	ft, rest = mysqlFulltext(Parse(`"printer jam" vpn`).Include, false)
	if ft != `"printer jam" vpn` || len(rest) != 0 {
		t.Errorf("any: fulltext %q, rest %v", ft, rest)
	}
}

// terms prints terms as nested lists of words.
func terms(ts []Term) string {
	out := make([][]string, len(ts))
	for i, t := range ts {
		out[i] = []string(t)
	}
	return fmt.Sprint(out)
}

package search

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
)

// highlighted returns the highlighted parts of a snippet, cut by UTF-16
// offsets as JavaScript would.
func highlighted(s Snippet) []string {
	units := utf16.Encode([]rune(s.Text))
	out := []string{}
	for _, h := range s.Highlights {
		out = append(out, string(utf16.Decode(units[h[0]:h[1]])))
	}
	return out
}

func TestPlainText(t *testing.T) {
	cases := map[string]string{
		"# Heading ##\n\nSome **bold** and _italic_ text.":         "Heading Some bold and italic text.",
		"> quoted\n> - item one\n> 2. item two":                    "quoted item one item two",
		"See [the docs](https://example.com/x) and ![logo](a.png)": "See the docs and logo",
		"```go\nfmt.Println(\"x\")\n```\n`inline code`":            `fmt.Println("x") inline code`,
		"snake_case and 2 * 3 and a*b*c":                           "snake_case and 2 * 3 and abc",
		"| a | b |\n|---|:-:|\n| c | d |":                          "a b c d",
		"escaped \\*stars\\* <b>html</b> <https://x.org/>":         "escaped *stars* <b>html</b> https://x.org/",
		"- [x] done\n- [ ] todo\n\n---\n\nend":                     "done todo end",
		"~~gone~~ line\r\nnext":                                    "gone line next",
	}
	for in, want := range cases {
		if got := PlainText(in); got != want {
			t.Errorf("PlainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBestMatch(t *testing.T) {
	post7, post9 := int64(7), int64(9)
	long := strings.Repeat("lorem ipsum dolor sit amet ", 20)
	cases := []struct {
		name    string
		q       string
		sources []Source
		text    string
		hl      []string
		post    *int64
	}{
		{name: "accents and case", q: "cafe", sources: []Source{{Text: "Le **Café** est fermé; CAFE fermé."}},
			text: "Le Café est fermé; CAFE fermé.", hl: []string{"Café", "CAFE"}},
		{name: "query accents", q: "fermé", sources: []Source{{Text: "Le café est ferme."}},
			text: "Le café est ferme.", hl: []string{"ferme"}},
		{name: "non-BMP and accents before the match", q: "printer", sources: []Source{{Text: "😀 Ünïcödé 日本 printer."}},
			text: "😀 Ünïcödé 日本 printer.", hl: []string{"printer"}},
		{name: "phrase is one highlight", q: `"printer jam" roller`, sources: []Source{{Text: "A printer jam, then a printer and the roller."}},
			text: "A printer jam, then a printer and the roller.", hl: []string{"printer jam", "roller"}},
		{name: "phrase across punctuation", q: "e-mail", sources: []Source{{Text: "Send an E-Mail or email."}},
			text: "Send an E-Mail or email.", hl: []string{"E-Mail"}},
		{name: "ß folds to ss", q: "strasse", sources: []Source{{Text: "Hauptstraße 5, Straße"}},
			text: "Hauptstraße 5, Straße", hl: []string{"Straße"}},
		{name: "reply with more terms wins", q: "printer roller",
			sources: []Source{{Text: "The printer jams."}, {Text: "Printer"}, {PostID: &post7, Text: "The roller of the printer."}, {PostID: &post9, Text: "roller printer"}},
			text:    "The roller of the printer.", hl: []string{"roller", "printer"}, post: &post7},
		{name: "ticket wins ties", q: "printer roller",
			sources: []Source{{Text: "The printer jams."}, {Text: "Title"}, {PostID: &post7, Text: "The roller."}},
			text:    "The printer jams.", hl: []string{"printer"}},
		{name: "title when only the title matches", q: `"jam on"`,
			sources: []Source{{Text: "Body text."}, {Text: "Printer jam on floor 3"}},
			text:    "Printer jam on floor 3", hl: []string{"jam on"}},
		{name: "no term in the text: the body's start", q: "-roller",
			sources: []Source{{Text: ""}, {Text: "The title"}, {PostID: &post7, Text: "reply"}},
			text:    "The title", hl: []string{}},
		{name: "long text cut around the match", q: "needle",
			sources: []Source{{Text: long + "the needle is here " + long}},
			text:    "…lorem ipsum dolor sit amet lorem ipsum dolor sit amet the needle is here lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor…",
			hl:      []string{"needle"}},
		{name: "match near the end", q: "needle",
			sources: []Source{{Text: long + "the needle"}},
			text:    "…lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet the needle",
			hl:      []string{"needle"}},
		{name: "whole words only", q: "pass", sources: []Source{{Text: "password pass"}},
			text: "password pass", hl: []string{"pass"}},
	}
	for _, tc := range cases {
		m := BestMatch(Parse(tc.q), tc.sources)
		if m.Text != tc.text {
			t.Errorf("%s: text %q, want %q", tc.name, m.Text, tc.text)
		}
		if got := highlighted(m.Snippet); fmt.Sprint(got) != fmt.Sprint(tc.hl) {
			t.Errorf("%s: highlights %v %v, want %v", tc.name, m.Highlights, got, tc.hl)
		}
		if fmt.Sprint(m.PostID) != fmt.Sprint(tc.post) && (m.PostID == nil || tc.post == nil || *m.PostID != *tc.post) {
			t.Errorf("%s: post %v, want %v", tc.name, m.PostID, tc.post)
		}
		if n := len([]rune(strings.Trim(m.Text, Ellipsis))); n > SnippetLength {
			t.Errorf("%s: %d characters", tc.name, n)
		}
	}
}

func TestHighlightOffsetsAreUTF16(t *testing.T) {
	m := BestMatch(Parse("cafe"), []Source{{Text: "😀 café"}})
	// 😀 is two UTF-16 code units, the space one: café starts at 3.
	if fmt.Sprint(m.Highlights) != "[[3 7]]" {
		t.Errorf("highlights %v, want [[3 7]]", m.Highlights)
	}
}

// TestTokenizeWords: the words tokenize finds, with their positions, are
// the words Words finds, for plain ASCII (sliced from the text) and for
// text that needs folding alike.
func TestTokenizeWords(t *testing.T) {
	for _, s := range []string{
		"the printer jams", "Printer JAM, e-mail 42x", "Café ÉTÉ naïve straße Œuvre",
		"😀 Ünïcödé 日本語 — the **Naïve** résumé", "áb café x", "", "   ", "abc déf ghi",
	} {
		var got []string
		for _, tk := range tokenize(s) {
			got = append(got, tk.word)
			if w := Words(s[tk.start:tk.end]); len(w) != 1 || w[0] != tk.word {
				t.Errorf("%q: token %q at [%d, %d) is %q there", s, tk.word, tk.start, tk.end, w)
			}
		}
		if want := Words(s); fmt.Sprint(got) != fmt.Sprint(want) && (len(got) != 0 || len(want) != 0) {
			t.Errorf("tokenize(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestCollapseSpace: collapseSpace is strings.Join(strings.Fields(s), " ").
func TestCollapseSpace(t *testing.T) {
	for _, s := range []string{
		"", " ", "word", " word", "word ", "a b", "a  b", "a\tb\nc", "  a \r\n b  ", "é\u00a0b\u2003c",
		"\u0085x\u3000", "日本 語", "a\u200bb", "one two three four",
	} {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestMayHold: a text mayHold turns away holds none of the terms, by its
// words; texts with other than ASCII are never turned away (a word there
// may fold to the term: café, Straße).
func TestMayHold(t *testing.T) {
	texts := []string{
		"The Pigeon came back.", "pigeons everywhere", "PIGEON", "no bird here", "Le café", "Hauptstraße",
		"e-mail server", "an email", "x", "",
	}
	for _, q := range []string{"pigeon", "cafe", "strasse", `"e mail"`, "mail", "bird -x", "email"} {
		terms := distinctTerms(Parse(q).Include)
		for _, text := range texts {
			found := analyse(text, terms).terms
			full := 0 // the terms found by splitting the text, as before
			words := tokenize(text)
			for _, term := range terms {
				for i := 0; i+len(term) <= len(words); i++ {
					ok := true
					for j, w := range term {
						ok = ok && words[i+j].word == w
					}
					if ok {
						full++
						break
					}
				}
			}
			if found != full {
				t.Errorf("q %q in %q: analyse found %d terms, splitting finds %d", q, text, found, full)
			}
			if !mayHold(text, terms) && full > 0 {
				t.Errorf("q %q: mayHold turned away %q, which holds %d terms", q, text, full)
			}
		}
	}
	if mayHold("Le café", []Term{{"pigeon"}}) != true {
		t.Error("a text with accents must be split: its words may fold to the term")
	}
	if mayHold("The Pigeon", []Term{{"dog"}}) {
		t.Error("an ASCII text without the word was not turned away")
	}
}

// BenchmarkSearchMatches is what a page of search results costs in
// snippets: 20 tickets as seed-demo writes them (a two-line body, a
// title, two short replies), the word in the body of some, in a reply of
// others, as the bench's rare word is.
func BenchmarkSearchMatches(b *testing.B) {
	q := Parse("pigeon")
	type ticket struct{ body, title string }
	tickets := make([]ticket, 20)
	replies := make([][]Source, 20)
	for i := range tickets {
		body := "If we compress the Firewall, we can get to the SQL transmitter through the redundant FTP pixel!\n\nUnder the dolphin, we cook sternly."
		if i%3 == 0 {
			body = "Use the virtual PCI monitor, then the Pigeon can deconstruct the bluetooth system!\n\nDeliberately repel the company."
		}
		tickets[i] = ticket{body: body, title: fmt.Sprintf("Printer %d does not print", i)}
		id1, id2 := int64(2*i), int64(2*i+1)
		replies[i] = []Source{{PostID: &id1, Text: "Have you tried turning it off and on again?"}, {PostID: &id2, Text: "The pigeon came back: restarting the service fixed it."}}
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, t := range tickets {
			m := StartMatch(q, Source{Text: t.body}, Source{Text: t.title})
			if !m.Complete() {
				m.Finish(replies[i])
			} else {
				m.Finish(nil)
			}
		}
	}
}

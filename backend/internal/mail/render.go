package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

//go:embed templates/*
var templateFS embed.FS

// Template names: one text and one HTML file each, wrapped in the layout.
const (
	tmplTicket        = "ticket"
	tmplPasswordReset = "password_reset"
	tmplTest          = "test"
	tmplOutstanding   = "outstanding"
	tmplBulk          = "bulk"
)

type templates struct {
	text map[string]*texttemplate.Template
	html map[string]*htmltemplate.Template
}

// parsed is built once; the templates are part of the binary, so a parse
// error is a programming error caught by every test.
var parsed = mustParseTemplates()

func mustParseTemplates() *templates {
	t := &templates{text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	for _, name := range []string{tmplTicket, tmplPasswordReset, tmplTest, tmplOutstanding, tmplBulk} {
		// html/template escapes every value for its context (text, attribute,
		// URL); text/template leaves the plain-text part as written.
		t.text[name] = texttemplate.Must(texttemplate.New("layout.txt").Option("missingkey=error").
			ParseFS(templateFS, "templates/layout.txt", "templates/"+name+".txt"))
		t.html[name] = htmltemplate.Must(htmltemplate.New("layout.html").Option("missingkey=error").
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return t
}

// page is what every template sees.
type page struct {
	Lang     string
	Subject  string
	AppTitle string
	SiteURL  string
	Greeting string
	Footer   string
	L        *catalog

	// One of these, by template.
	Ticket *ticketView
	Reset  *resetView
	Digest *digestView
	Bulk   *bulkView
	Test   string
}

type ticketView struct {
	Intro, Title, Status, Priority, Assigned, Category, Content string
	Link, LinkLabel                                             string
	ReplyBy, Reply                                              string
}

type resetView struct{ Intro, Link string }

type digestView struct {
	Rows []digestRow
	More string
}

type digestRow struct{ Number, Link, Title, Priority, Status, Assigned string }

// bulkView is one mail for a change made to several tickets at once.
type bulkView struct {
	Intro string
	Rows  []digestRow
}

// rendered is one mail ready for the outbox.
type rendered struct {
	Subject, Text, HTML string
}

// render executes the text and HTML templates of name.
func render(name string, p *page) (rendered, error) {
	var text, html bytes.Buffer
	if err := parsed.text[name].Execute(&text, p); err != nil {
		return rendered{}, fmt.Errorf("render %s text: %w", name, err)
	}
	if err := parsed.html[name].Execute(&html, p); err != nil {
		return rendered{}, fmt.Errorf("render %s html: %w", name, err)
	}
	return rendered{Subject: oneLine(p.Subject), Text: text.String(), HTML: html.String()}, nil
}

// oneLine keeps a subject on one line whatever a title holds, and within the
// column's size.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 500 {
		s = string(r[:499]) + "…"
	}
	return s
}

// ticketNumber is the 5-digit display number.

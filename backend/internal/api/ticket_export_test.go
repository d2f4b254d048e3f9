package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// tkCSV fetches the export and parses it.
func tkCSV(t *testing.T, env *testEnv, as reqOpt, query string) ([][]string, *response) {
	t.Helper()
	r := env.call(http.MethodGet, "/flicket-api/tickets/export.csv"+query, nil, as).expect(t, http.StatusOK)
	rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatalf("export is not valid CSV: %v\n%s", err, r.Body)
	}
	return rows, r
}

func TestTicketExport(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		smith := testutil.NewUser(t, env.db, "jsmith", nil, testutil.WithName("Smith, John"))
		evil := testutil.NewUser(t, env.db, "evil", nil, testutil.WithName("=cmd|' /C calc'!A0"))
		as := env.as(smith)

		plain := tkCreate(t, env, smith, map[string]any{"title": `A "quoted" title`, "category_id": 1, "ticket_priority_id": 2})
		formula := tkCreate(t, env, evil, map[string]any{"title": "=HYPERLINK(\"http://x\")", "category_id": 9})
		plus := tkCreate(t, env, smith, map[string]any{"title": "+1+2 sum", "category_id": 9})
		minus := tkCreate(t, env, smith, map[string]any{"title": "-3 minus", "category_id": 9})
		at := tkCreate(t, env, smith, map[string]any{"title": "@SUM(A1)", "category_id": 9})
		tab := tkCreate(t, env, smith, map[string]any{"title": "\tTabbed title", "category_id": 9})
		cr := tkCreate(t, env, smith, map[string]any{"title": "\rReturn title", "category_id": 9})
		tkPost(t, env, plain, evil, "a reply", 0)
		tkPost(t, env, plain, evil, "another reply", 0)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(plain)+"/assign", map[string]any{"user_id": evil.ID}, as).expect(t, http.StatusOK)
		env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(cr)+"/close", nil, as).expect(t, http.StatusOK)

		t.Run("headers, header row and cells", func(t *testing.T) {
			rows, r := tkCSV(t, env, as, "")
			if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			wantName := env.clock.Now().Format("20060102-150405") + "-tickets.csv"
			if cd := r.Header.Get("Content-Disposition"); cd != "attachment; filename="+wantName {
				t.Errorf("Content-Disposition = %q", cd)
			}
			if strings.Join(rows[0], ",") != "Ticket_ID,Priority,Title,Submitted By,Date,Replies,Category,Status,Assigned,URL" {
				t.Errorf("header = %q", rows[0])
			}
			if len(rows) != 8 {
				t.Fatalf("%d rows", len(rows))
			}
			date := env.clock.Now().UTC().Format("2006-01-02 15:04:05")
			want := []string{model.TicketNumber(plain), "medium", `A "quoted" title`, "Smith, John", date, "2", "Design - Dataset", "In Work",
				"'=cmd|' /C calc'!A0", fmt.Sprintf("http://flicket.test/tickets/%d", plain)}
			if strings.Join(rows[1], "|") != strings.Join(want, "|") {
				t.Errorf("row = %q\nwant  %q", rows[1], want)
			}
			if len(rows[1][0]) != 5 {
				t.Errorf("Ticket_ID %q is not 5 digits", rows[1][0])
			}
			byID := map[string][]string{}
			for _, row := range rows[1:] {
				byID[row[0]] = row
			}
			f := byID[model.TicketNumber(formula)]
			if f[2] != "'=HYPERLINK(\"http://x\")" || f[3] != "'=cmd|' /C calc'!A0" || f[6] != "IT - Internet" || f[8] != "Not assigned" {
				t.Errorf("formula row = %q", f)
			}
			for id, title := range map[int64]string{plus: "'+1+2 sum", minus: "'-3 minus", at: "'@SUM(A1)", tab: "'\tTabbed title", cr: "'\rReturn title"} {
				if got := byID[model.TicketNumber(id)][2]; got != title {
					t.Errorf("title %q, want %q", got, title)
				}
			}
			if byID[model.TicketNumber(cr)][7] != "Closed" {
				t.Errorf("closed row = %q", byID[model.TicketNumber(cr)])
			}
		})

		t.Run("same filters and sort as the list", func(t *testing.T) {
			rows, _ := tkCSV(t, env, as, "?state=open&department=IT&sort=title_desc")
			l := tkGetList(t, env, as, "/flicket-api/tickets/?state=open&department=IT&sort=title_desc")
			var got []string
			for _, row := range rows[1:] {
				got = append(got, row[0])
			}
			var want []string
			for _, id := range l.ids() {
				want = append(want, model.TicketNumber(id))
			}
			if strings.Join(got, ",") != strings.Join(want, ",") || len(want) != 5 {
				t.Errorf("export %v, list %v", got, want)
			}
			rows, _ = tkCSV(t, env, env.as(evil), "?view=mine")
			if len(rows) != 3 {
				t.Errorf("view=mine: %d rows", len(rows)-1)
			}
		})

		t.Run("at most csv_dump_limit rows", func(t *testing.T) {
			testutil.Must(t, env.db.Model(&model.Settings{}).Where("id = 1").Update("csv_dump_limit", 3).Error)
			rows, _ := tkCSV(t, env, as, "")
			if len(rows) != 4 {
				t.Errorf("%d data rows, want 3", len(rows)-1)
			}
		})

		t.Run("bad filter and no token", func(t *testing.T) {
			env.call(http.MethodGet, "/flicket-api/tickets/export.csv?status=Nope", nil, as).expectError(t, http.StatusBadRequest, "request.invalid_parameter")
			env.call(http.MethodGet, "/flicket-api/tickets/export.csv", nil).expect(t, http.StatusUnauthorized)
		})
	})
}

// TestTicketExportSemicolonReaders is the French/German Excel case: the
// export read with ";" (or ",") as the separator runs no formula, whatever
// titles and names hold.
func TestTicketExportSemicolonReaders(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		evil := testutil.NewUser(t, env.db, "evil", nil, testutil.WithName("Eve;@SUM(1+1)*cmd|' /C calc'!A0"))
		for _, title := range []string{";=1+1", "x;=1+1", "Hello, =HYPERLINK(\"http://x\")", "a; -2+3", "q|+1", "tab\t=1", `say ";=1"`} {
			tkCreate(t, env, evil, map[string]any{"title": title, "category_id": 9})
		}
		r := env.call(http.MethodGet, "/flicket-api/tickets/export.csv", nil, env.as(evil)).expect(t, http.StatusOK)
		for _, b := range formulaCells(t, r.Body) {
			t.Errorf("formula cell %s", b)
		}
		semi := csv.NewReader(bytes.NewReader(r.Body))
		semi.Comma, semi.LazyQuotes, semi.FieldsPerRecord = ';', true, -1
		rows, err := semi.ReadAll()
		testutil.Must(t, err)
		if len(rows) != 8 || len(rows[2]) < 2 {
			t.Fatalf("the ; reader saw %d rows: %q", len(rows), rows)
		}
		rows, err = csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		testutil.Must(t, err)
		titles := map[string]bool{}
		for _, row := range rows[1:] {
			titles[row[2]] = true
			if row[3] != "Eve;'@SUM(1+1)*cmd|' /C calc'!A0" {
				t.Errorf("submitter %q", row[3])
			}
		}
		for _, want := range []string{";'=1+1", "x;'=1+1", "Hello, '=HYPERLINK(\"http://x\")", "a; '-2+3", "q|'+1", `say ";'=1"`} {
			if !titles[want] {
				t.Errorf("no title %q in %v", want, titles)
			}
		}
	})
}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "=1": "'=1", "+1": "'+1", "-1": "'-1", "@x": "'@x",
		"\tx": "'\tx", "\rx": "'\rx", "a=b": "a=b", "a - b": "a - b", "1+1": "1+1",
		// Past the spaces and quotes a reader may trim or strip.
		" =x": " '=x", `"=x"`: `"'=x"`, ` " @x`: ` " '@x`,
		// After a separator of some locale's reader, or a line break.
		";=1+1": ";'=1+1", "x;=1+1": "x;'=1+1", "a,-2": "a,'-2", "a, +2": "a, '+2",
		"a|@b": "a|'@b", "a\t=b": "a\t'=b", "a\n=b": "a\n'=b", "a\r\n-b": "a\r\n'-b",
		"a\t\tb": "a\t'\tb", "x;y=1": "x;y=1", "Smith, John": "Smith, John",
		"é;=ü": "é;'=ü",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// formulaCells splits CSV text the way any reader might and returns the
// cells a spreadsheet would run as a formula.
func formulaCells(t *testing.T, data []byte) []string {
	t.Helper()
	var bad []string
	check := func(reader, cell string) {
		c := strings.TrimLeft(cell, ` "`)
		if c != "" && strings.ContainsRune(csvFormulaStart, rune(c[0])) {
			bad = append(bad, reader+": "+strconv.Quote(cell))
		}
	}
	for _, sep := range []rune{',', ';', '\t', '|'} {
		r := csv.NewReader(bytes.NewReader(data))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = sep, true, -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%q reader: %v", sep, err)
		}
		for _, row := range rows {
			for _, cell := range row {
				check(fmt.Sprintf("%q reader", sep), cell)
			}
		}
	}
	// The crudest reader: no quoting at all, any separator or line break.
	for _, cell := range strings.FieldsFunc(string(data), func(r rune) bool { return strings.ContainsRune(csvSeparators, r) }) {
		check("naive split", cell)
	}
	return bad
}

// TestCSVCellAnyReader writes hostile cells through csvCell and encoding/csv
// and reads them back with ",", ";", tab and "|" readers and a naive split:
// no cell may start a formula, and the "," reader gets csvCell's text back.
func TestCSVCellAnyReader(t *testing.T) {
	starts := []string{"=", "+", "-", "@", "\t", "\r"}
	seps := []string{"", ",", ";", "\t", "|", "\n", "\r\n", " ", "\"", ", ", "; \"", "x;", "x,\""}
	var hostile []string
	for _, sep := range seps {
		for _, st := range starts {
			hostile = append(hostile, sep+st+"1+1", "a"+sep+st+"SUM(A1)", sep+st+sep+st+"x", "ok"+sep)
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for i, h := range hostile {
		testutil.Must(t, w.Write([]string{strconv.Itoa(i), csvCell(h), csvCell(h + h), "2026-12-06 07:00:00"}))
	}
	w.Flush()
	testutil.Must(t, w.Error())
	for _, b := range formulaCells(t, buf.Bytes()) {
		t.Errorf("formula cell %s", b)
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	testutil.Must(t, err)
	// encoding/csv reads a quoted CRLF as LF.
	crlf := strings.NewReplacer("\r\n", "\n")
	for i, h := range hostile {
		if rows[i][1] != crlf.Replace(csvCell(h)) || strings.ReplaceAll(rows[i][1], "'", "") != crlf.Replace(h) {
			t.Errorf("%q came back as %q", h, rows[i][1])
		}
	}
}

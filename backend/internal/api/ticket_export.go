package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/flicket/flicket/backend/internal/model"
)

// csvHeader is the original export's header row.
var csvHeader = []string{"Ticket_ID", "Priority", "Title", "Submitted By", "Date", "Replies", "Category", "Status", "Assigned", "URL"}

// csvCell neutralises spreadsheet formulas. A spreadsheet starts a formula
// at the start of a cell, and the export is read with whatever separator
// the reader's locale uses (",", ";", a tab, "|") and sometimes with spaces
// trimmed or a quote stripped, so ' is put before = + - @ tab or CR wherever
// one begins a cell for any such reader: at the start of the text or after a
// separator or line break, past any spaces and double quotes.
func csvCell(s string) string {
	var b strings.Builder
	cellStart := true
	for _, r := range s {
		switch {
		case cellStart && (r == ' ' || r == '"'):
			// Still at the cell's start for a reader that trims or unquotes.
		case cellStart && strings.ContainsRune(csvFormulaStart, r):
			b.WriteByte('\'')
			cellStart = false
		default:
			cellStart = false
		}
		b.WriteRune(r)
		if strings.ContainsRune(csvSeparators, r) {
			cellStart = true
		}
	}
	return b.String()
}

// csvFormulaStart lists what makes a spreadsheet read a cell as a formula
// (OWASP's list); csvSeparators what may end a cell in some reader's eyes.
const (
	csvFormulaStart = "=+-@\t\r"
	csvSeparators   = ",;\t|\r\n"
)

// exportTickets godoc
//
//	@Summary		Export tickets as CSV
//	@Description	The tickets the list would show with the same filters and sort, at most the config's csv_dump_limit rows. Wherever a spreadsheet could start a formula (a cell starting with = + - @, a tab or CR, also after a , ; tab or | separator) a ' is inserted, so the file is safe whatever separator the reader uses.
//	@Tags			tickets
//	@Produce		text/csv
//	@Security		BearerAuth
//	@Param			department	query		string	false	"department id or name"
//	@Param			category	query		string	false	"category id or name"
//	@Param			status		query		string	false	"status id or name"
//	@Param			priority	query		string	false	"priority id or name"
//	@Param			user		query		string	false	"creator or assignee: user id or username"
//	@Param			assigned_id	query		int		false	"assignee's user id"
//	@Param			created_id	query		int		false	"creator's user id"
//	@Param			q			query		string	false	"case-insensitive text in the title, the body or a reply"
//	@Param			view		query		string	false	"mine or subscribed"		Enums(mine, subscribed)
//	@Param			state		query		string	false	"open or closed"			Enums(open, closed)
//	@Param			sort		query		string	false	"sort key, as for the list"	Enums(priority, priority_desc, title, title_desc, ticketid, ticketid_desc, addedby, addedby_desc, addedon, addedon_desc, last_updated, last_updated_desc, replies, replies_desc, department_category, department_category_desc, status, status_desc, assigned, assigned_desc, time, time_desc)
//	@Success		200			{string}	string	"Ticket_ID,Priority,Title,Submitted By,Date,Replies,Category,Status,Assigned,URL"
//	@Header			200			{string}	Content-Disposition	"attachment; filename=YYYYMMDD-HHMMSS-tickets.csv"
//	@Failure		400			{object}	ErrorBody
//	@Failure		401			{object}	ErrorBody
//	@Router			/flicket-api/tickets/export.csv [get]
func (s *Server) exportTickets(c echo.Context) error {
	f, sort, err := s.ticketQuery(c, true)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	settings, err := s.settings.Get(ctx)
	if err != nil {
		return err
	}
	limit := settings.CSVDumpLimit
	if limit < 1 {
		limit = 1
	}
	done, err := s.searchTurn(ctx, f)
	if err != nil {
		return err
	}
	rows, err := model.FindTicketViews(ctx, s.db, f, sort, 0, limit, false)
	done()
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(csvHeader); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for i := range rows {
		v := &rows[i]
		assigned := "Not assigned"
		if v.AssignedID != nil && v.AssigneeName != nil {
			assigned = *v.AssigneeName
		}
		submitter := ""
		if v.StarterName != nil {
			submitter = *v.StarterName
		}
		rec := []string{
			model.TicketNumber(v.ID),
			csvCell(v.PriorityName),
			csvCell(v.Title),
			csvCell(submitter),
			v.DateAdded.UTC().Format("2006-01-02 15:04:05"),
			strconv.FormatInt(v.NumReplies, 10),
			csvCell(v.DepartmentName + " - " + v.CategoryName),
			csvCell(v.StatusName),
			csvCell(assigned),
			model.TicketPageURL(base, v.ID),
		}
		if err := w.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	name := s.now().Format("20060102-150405") + "-tickets.csv"
	c.Response().Header().Set(echo.HeaderContentDisposition, "attachment; filename="+name)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

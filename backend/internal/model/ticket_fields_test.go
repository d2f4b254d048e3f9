package model

import (
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm/schema"
)

// TestTicketFieldsMatchTheirColumns checks the one field list the ticket
// read queries select and scan from: each line's column is the column of the
// field it scans into (so a column cannot land in another field), no field
// is read twice, and every column of Ticket and every name of TicketView is
// read — or listed below as not read — so a new field cannot be forgotten.
func TestTicketFieldsMatchTheirColumns(t *testing.T) {
	naming := schema.NamingStrategy{}
	// notRead are Ticket columns the read path leaves out on purpose: the
	// list's collation keys are for ORDER BY only.
	notRead := map[string]bool{"title_key": true, "starter_key": true, "assignee_key": true, "dept_cat_key": true,
		// Only "waiting on me" filters by it; no answer shows it.
		"last_reply_user_id": true}

	// fieldAt names the TicketView field (embedded Ticket included) at ptr.
	var v TicketView
	fieldAt := func(ptr any) string {
		p := reflect.ValueOf(ptr).Pointer()
		var walk func(rv reflect.Value) string
		walk = func(rv reflect.Value) string {
			for i := range rv.NumField() {
				f := rv.Field(i)
				if rv.Type().Field(i).Anonymous {
					if name := walk(f); name != "" {
						return name
					}
					continue
				}
				if f.Addr().Pointer() == p {
					return rv.Type().Field(i).Name
				}
			}
			return ""
		}
		return walk(reflect.ValueOf(&v).Elem())
	}
	columnOf := func(expr string) string {
		if i := strings.LastIndex(expr, " AS "); i >= 0 {
			return strings.TrimSpace(expr[i+4:])
		}
		return expr[strings.LastIndex(expr, ".")+1:]
	}

	read := map[string]bool{}
	for _, list := range []struct {
		name   string
		fields ticketFields
	}{{"row", ticketRowFields}, {"body", ticketBodyFields}, {"names", ticketNameFields}} {
		for _, f := range list.fields {
			field := fieldAt(f.dest(&v))
			if field == "" {
				t.Errorf("%s field %q scans outside TicketView", list.name, f.column)
				continue
			}
			if want := naming.ColumnName("", field); columnOf(f.column) != want {
				t.Errorf("%s field %q scans into %s, whose column is %s", list.name, f.column, field, want)
			}
			if read[field] {
				t.Errorf("%s is read twice", field)
			}
			read[field] = true
		}
	}
	for i, st := range []reflect.Type{reflect.TypeFor[Ticket](), reflect.TypeFor[TicketView]()} {
		for j := range st.NumField() {
			f := st.Field(j)
			if f.Anonymous {
				continue
			}
			if !read[f.Name] && (i != 0 || !notRead[naming.ColumnName("", f.Name)]) {
				t.Errorf("%s.%s is neither in the read field list nor listed as not read", st.Name(), f.Name)
			}
		}
	}
	// The lists the queries use are made of those.
	if got, want := len(ticketViewFields), len(ticketRowFields)+len(ticketNameFields)+len(ticketBodyFields); got != want {
		t.Errorf("ticketViewFields has %d fields, want %d", got, want)
	}
	if !strings.HasPrefix(ticketListFieldsWithBody.columns(), ticketListFields.columns()+", ") {
		t.Error("the list's body columns do not follow its row columns")
	}
}

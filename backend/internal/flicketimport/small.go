package flicketimport

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/bulkdb"
	"github.com/flicket/flicket/backend/internal/model"
)

// sourceTables are the original's tables (alembic head 7ec6c2a6a1c8).
var sourceTables = []string{
	"flicket_users", "flicket_group", "flicket_groups", "flicket_status", "flicket_priorities",
	"flicket_department", "flicket_category", "flicket_topic", "flicket_post",
	"flicket_ticket_subscription", "flicket_history", "flicket_ticket_action", "flicket_uploads", "flicket_config",
}

// targetOf names the table each source table is imported into.
var targetOf = map[string]string{
	"flicket_users": "users", "flicket_group": "user_groups", "flicket_groups": "group_members",
	"flicket_status": "statuses", "flicket_priorities": "priorities", "flicket_department": "departments",
	"flicket_category": "categories", "flicket_topic": "tickets", "flicket_post": "posts",
	"flicket_ticket_subscription": "subscriptions", "flicket_history": "histories",
	"flicket_ticket_action": "actions", "flicket_uploads": "uploads", "flicket_config": "config",
}

// checkSource makes sure this is a Flicket 0.3.5 database and counts its rows.
func (im *importer) checkSource(ctx context.Context) error {
	for _, t := range sourceTables {
		ok, err := im.src.hasTable(ctx, t)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: the source has no table %s: is it a Flicket database? (upgrade the original to 0.3.5 with `flask db upgrade` first)", ErrRefused, t)
		}
		n, err := im.src.count(ctx, t)
		if err != nil {
			return err
		}
		im.rep.Source[targetOf[t]] = n
	}
	cols, err := im.src.columns(ctx, "flicket_users")
	if err != nil {
		return err
	}
	if !cols["disabled"] {
		return fmt.Errorf("%w: flicket_users has no column disabled: upgrade the original to 0.3.5 (`flask db upgrade`) first", ErrRefused)
	}
	if im.o.Timezone != time.UTC {
		im.rep.warn(WarnTimezone, "every datetime read as local time in %s and stored in UTC", im.o.Timezone)
	}
	return nil
}

// str decodes a text column, warning when it was not UTF-8.
func (im *importer) str(t nText, where string) string {
	s, ok := t.text()
	if !ok {
		im.rep.warn(WarnNotUTF8, "%s is not UTF-8: read as Windows-1252", where)
	}
	return s
}

func (im *importer) strPtr(t nText, where string) *string {
	if !t.Valid {
		return nil
	}
	s := im.str(t, where)
	return &s
}

// fit cuts s to n characters (our columns' sizes, which are the original's);
// no room leaves nothing (withSuffix asks for less than none when an id is
// longer than the column).
func fit(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// withSuffix makes a name unique by appending " (id)" within n characters.
func withSuffix(name string, id int64, sep string, n int) string {
	suffix := fmt.Sprintf("%s%d", sep, id)
	return fit(name, n-utf8.RuneCountInString(suffix)) + suffix
}

type userRow struct {
	ID                              int64
	Username, Name, Email, Password string
	JobTitle, Avatar                *string
	Locale                          string
	Disabled                        bool
	DateAdded                       time.Time
	DateModified                    *time.Time
}

type groupRow struct {
	ID   int64
	Name string
}

type namedRow struct {
	ID   int64
	Name string
}

type categoryRow struct {
	ID, DepartmentID int64
	Name             string
}

// loadSmallTables reads users, groups, statuses, priorities, departments,
// categories and the settings into memory and checks them against our
// uniqueness rules. Problems that stop the import go to rep.Errors.
func (im *importer) loadSmallTables(ctx context.Context) error {
	for _, f := range []func(context.Context) error{
		im.loadSettings, im.loadUsers, im.loadGroups, im.loadNamed, im.loadCategories, im.checkTicketRefs,
	} {
		if err := f(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) loadUsers(ctx context.Context) error {
	cols := []string{"id", "username", "name", "password", "email", "date_added", "date_modified", "job_title", "avatar", "locale", "disabled"}
	now := time.Now().UTC().Truncate(time.Second)
	im.userIDs = map[int64]bool{}
	err := im.src.each(ctx, "flicket_users", cols, func(rows *sql.Rows) (int64, error) {
		var id nInt
		var username, name, password, email, jobTitle, avatar, locale nText
		var added, modified nTime
		var disabled nBool
		if err := rows.Scan(&id, &username, &name, &password, &email, &added, &modified, &jobTitle, &avatar, &locale, &disabled); err != nil {
			return 0, fmt.Errorf("read flicket_users: %w", err)
		}
		where := fmt.Sprintf("user %d", id.V)
		u := userRow{ID: id.V, Disabled: disabled.V}
		u.Username = strings.TrimSpace(im.str(username, where+" username"))
		if u.Username == "" {
			u.Username = fmt.Sprintf("user_%d", id.V)
			im.rep.warn(WarnMissingValue, "%s has no username: named %s", where, u.Username)
		}
		u.Username = fit(u.Username, 24)
		u.Name = fit(strings.TrimSpace(im.str(name, where+" name")), 60)
		if u.Name == "" {
			u.Name = u.Username
			im.rep.warn(WarnMissingValue, "%s (%s) has no name: the username is used", where, u.Username)
		}
		u.Email = model.NormalizeEmail(im.str(email, where+" email"))
		if u.Email == "" {
			u.Email = fit(strings.ToLower(u.Username), 40) + fmt.Sprintf(".%d@example.invalid", id.V)
			im.rep.warn(WarnMissingValue, "%s (%s) has no e-mail: given %s (set a real one to receive mail)", where, u.Username, u.Email)
		}
		u.Password = strings.TrimSpace(string(password.B))
		if !auth.IsBcryptHash(u.Password) {
			u.Password = "!"
			im.rep.warn(WarnUnusablePassword, "%s (%s) has no bcrypt password (domain login or never set): they must reset it", where, u.Username)
		}
		u.JobTitle = im.strPtr(jobTitle, where+" job_title")
		if u.JobTitle != nil {
			j := fit(*u.JobTitle, 64)
			u.JobTitle = &j
		}
		if a := strings.TrimSpace(string(avatar.B)); avatar.Valid && a != "" {
			u.Avatar = &a
		}
		u.Locale = strings.ToLower(strings.TrimSpace(string(locale.B)))
		switch u.Locale {
		case "en", "fr":
		case "":
			u.Locale = "en"
		default:
			im.rep.warn(WarnLocale, "%s (%s) uses language %q, which Flicket does not have: English", where, u.Username, u.Locale)
			u.Locale = "en"
		}
		u.DateAdded = now
		if added.Valid {
			u.DateAdded = added.in(im.o.Timezone)
		} else {
			im.rep.warn(WarnMissingValue, "%s (%s) has no date_added: the import's time is used", where, u.Username)
		}
		if modified.Valid {
			m := modified.in(im.o.Timezone)
			u.DateModified = &m
		}
		if u.Username == "notification" && (id.V == 2 || u.Email == "admin@localhost") {
			u.Disabled = true
			im.rep.warn(WarnNotificationUser, "user %d notification is the original's unused system account: imported disabled", id.V)
		}
		im.users = append(im.users, u)
		im.userIDs[u.ID] = true
		return id.V, nil
	})
	if err != nil {
		return err
	}
	// Our usernames and e-mails are unique in any letter case.
	names := make([]string, len(im.users))
	emails := make([]string, len(im.users))
	for i, u := range im.users {
		names[i], emails[i] = u.Username, u.Email
	}
	for _, d := range bulkdb.FindDuplicates(im.dialect, nil, names) {
		u := &im.users[d.Index]
		old := u.Username
		u.Username = withSuffix(old, u.ID, "_", 24)
		im.rep.warn(WarnUsernameCase, "user %d %q differs from user %d %q only in letter case: renamed %q",
			u.ID, old, im.users[d.First].ID, im.users[d.First].Username, u.Username)
	}
	for _, d := range bulkdb.FindDuplicates(im.dialect, nil, emails) {
		im.rep.fail("users %d (%s) and %d (%s) have the same e-mail address %s in another letter case: give one of them another address in the original, then import again",
			im.users[d.First].ID, im.users[d.First].Username, im.users[d.Index].ID, im.users[d.Index].Username, im.users[d.Index].Email)
	}
	return nil
}

func (im *importer) loadGroups(ctx context.Context) error {
	im.groupMap = map[int64]int64{}
	err := im.src.each(ctx, "flicket_group", []string{"id", "group_name"}, func(rows *sql.Rows) (int64, error) {
		var id nInt
		var name nText
		if err := rows.Scan(&id, &name); err != nil {
			return 0, fmt.Errorf("read flicket_group: %w", err)
		}
		n := fit(strings.TrimSpace(im.str(name, fmt.Sprintf("group %d", id.V))), 64)
		if n == "" {
			n = fmt.Sprintf("group_%d", id.V)
			im.rep.warn(WarnMissingValue, "group %d has no name: named %s", id.V, n)
		}
		im.groups = append(im.groups, groupRow{ID: id.V, Name: n})
		return id.V, nil
	})
	if err != nil {
		return err
	}
	names := make([]string, len(im.groups))
	for i, g := range im.groups {
		names[i] = g.Name
		im.groupMap[g.ID] = g.ID
	}
	drop := map[int]bool{}
	for _, d := range bulkdb.FindDuplicates(im.dialect, nil, names) {
		g, first := im.groups[d.Index], im.groups[d.First]
		im.groupMap[g.ID] = first.ID
		drop[d.Index] = true
		im.rep.warn(WarnNameCase, "group %d %q is group %d %q in another letter case: its members join group %d", g.ID, g.Name, first.ID, first.Name, first.ID)
	}
	kept := im.groups[:0]
	for i, g := range im.groups {
		if !drop[i] {
			kept = append(kept, g)
		}
	}
	im.groups = kept
	seen := map[[2]int64]bool{}
	return im.src.all(ctx, "flicket_groups", []string{"user_id", "group_id"}, func(rows *sql.Rows) error {
		var uid, gid nInt
		if err := rows.Scan(&uid, &gid); err != nil {
			return fmt.Errorf("read flicket_groups: %w", err)
		}
		g, ok := im.groupMap[gid.V]
		if !uid.Valid || !gid.Valid || !im.userIDs[uid.V] || !ok {
			im.rep.warn(WarnOrphan, "group membership (user %d, group %d) points at a missing user or group: not imported", uid.V, gid.V)
			return nil
		}
		k := [2]int64{uid.V, g}
		if seen[k] {
			im.rep.warn(WarnDuplicate, "user %d is in group %d twice: kept once", uid.V, g)
			return nil
		}
		seen[k] = true
		im.members = append(im.members, k)
		return nil
	})
}

// loadNamed reads statuses, priorities and departments.
func (im *importer) loadNamed(ctx context.Context) error {
	read := func(table, col, what string, size int) ([]namedRow, error) {
		var out []namedRow
		err := im.src.each(ctx, table, []string{"id", col}, func(rows *sql.Rows) (int64, error) {
			var id nInt
			var name nText
			if err := rows.Scan(&id, &name); err != nil {
				return 0, fmt.Errorf("read %s: %w", table, err)
			}
			n := fit(strings.TrimSpace(im.str(name, fmt.Sprintf("%s %d", what, id.V))), size)
			if n == "" {
				n = fmt.Sprintf("%s %d", what, id.V)
				im.rep.warn(WarnMissingValue, "%s %d has no name: named %q", what, id.V, n)
			}
			out = append(out, namedRow{ID: id.V, Name: n})
			return id.V, nil
		})
		if err != nil {
			return nil, err
		}
		names := make([]string, len(out))
		for i, r := range out {
			names[i] = r.Name
		}
		for _, d := range bulkdb.FindDuplicates(im.dialect, nil, names) {
			r := &out[d.Index]
			old := r.Name
			r.Name = withSuffix(old, r.ID, " ", size)
			im.rep.warn(WarnNameCase, "%s %d %q is %s %d %q in another letter case: renamed %q", what, r.ID, old, what, out[d.First].ID, out[d.First].Name, r.Name)
		}
		return out, nil
	}
	var err error
	if im.statuses, err = read("flicket_status", "status", "status", 20); err != nil {
		return err
	}
	if im.priorities, err = read("flicket_priorities", "priority", "priority", 12); err != nil {
		return err
	}
	if im.depts, err = read("flicket_department", "department", "department", 30); err != nil {
		return err
	}
	im.statusIDs, im.prioIDs = map[int64]bool{}, map[int64]bool{}
	for _, s := range im.statuses {
		im.statusIDs[s.ID] = true
	}
	for _, p := range im.priorities {
		im.prioIDs[p.ID] = true
	}
	for id, name := range map[int64]string{model.StatusOpen: "Open", model.StatusClosed: "Closed"} {
		if !im.statusIDs[id] {
			im.rep.fail("status %d (%s) is missing: Flicket relies on it", id, name)
		}
	}
	return nil
}

func (im *importer) loadCategories(ctx context.Context) error {
	deptIDs := map[int64]bool{}
	maxDept := int64(0)
	for _, d := range im.depts {
		deptIDs[d.ID] = true
		maxDept = max(maxDept, d.ID)
	}
	orphanDept := int64(0)
	im.catIDs = map[int64]bool{}
	maxCat := int64(0)
	err := im.src.each(ctx, "flicket_category", []string{"id", "category", "department_id"}, func(rows *sql.Rows) (int64, error) {
		var id, dept nInt
		var name nText
		if err := rows.Scan(&id, &name, &dept); err != nil {
			return 0, fmt.Errorf("read flicket_category: %w", err)
		}
		c := categoryRow{ID: id.V, DepartmentID: dept.V}
		c.Name = fit(strings.TrimSpace(im.str(name, fmt.Sprintf("category %d", id.V))), 30)
		if c.Name == "" {
			c.Name = fmt.Sprintf("Category %d", id.V)
			im.rep.warn(WarnMissingValue, "category %d has no name: named %q", id.V, c.Name)
		}
		if !dept.Valid || !deptIDs[dept.V] {
			if orphanDept == 0 {
				orphanDept = maxDept + 1
				im.depts = append(im.depts, namedRow{ID: orphanDept, Name: "Without department"})
			}
			im.rep.warn(WarnDanglingReference, "category %d %q has no department (%d): put in the new department %d \"Without department\"", id.V, c.Name, dept.V, orphanDept)
			c.DepartmentID = orphanDept
		}
		im.cats = append(im.cats, c)
		im.catIDs[c.ID] = true
		maxCat = max(maxCat, c.ID)
		return id.V, nil
	})
	if err != nil {
		return err
	}
	names := make([]string, len(im.cats))
	scopes := make([]string, len(im.cats))
	for i, c := range im.cats {
		names[i], scopes[i] = c.Name, fmt.Sprint(c.DepartmentID)
	}
	for _, d := range bulkdb.FindDuplicates(im.dialect, scopes, names) {
		c := &im.cats[d.Index]
		old := c.Name
		c.Name = withSuffix(old, c.ID, " ", 30)
		im.rep.warn(WarnNameCase, "category %d %q is category %d %q of the same department in another letter case: renamed %q",
			c.ID, old, im.cats[d.First].ID, im.cats[d.First].Name, c.Name)
	}
	// A ticket must have a category: tickets whose category is gone get one.
	var n int
	q := "SELECT COUNT(*) FROM flicket_topic t LEFT JOIN flicket_category c ON c.id = t.category_id WHERE c.id IS NULL"
	if err := im.src.tx.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return fmt.Errorf("look for tickets without a category: %w", err)
	}
	if n > 0 {
		if orphanDept == 0 {
			orphanDept = maxDept + 1
			im.depts = append(im.depts, namedRow{ID: orphanDept, Name: "Without department"})
		}
		im.fallbackCat = maxCat + 1
		im.cats = append(im.cats, categoryRow{ID: im.fallbackCat, DepartmentID: orphanDept, Name: "Without category"})
		im.catIDs[im.fallbackCat] = true
	}
	return nil
}

// checkTicketRefs is a hook for checks that need every small table.
func (im *importer) checkTicketRefs(context.Context) error { return nil }

// writeSmallTables writes what loadSmallTables read.
func (im *importer) writeSmallTables(ctx context.Context) error {
	rows := make([][]any, 0, len(im.users))
	for _, u := range im.users {
		rows = append(rows, []any{u.ID, u.Username, u.Name, u.Email, u.Password, u.JobTitle, u.Avatar, u.Locale, u.Disabled, 0, 0, u.DateAdded, u.DateModified})
	}
	if err := im.checkAvatars(rows); err != nil {
		return err
	}
	steps := []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"users", []string{"id", "username", "name", "email", "password", "job_title", "avatar", "locale", "disabled", "total_posts", "total_assigned", "date_added", "date_modified"}, rows},
		{"user_groups", []string{"id", "group_name"}, mapRows(im.groups, func(g groupRow) []any { return []any{g.ID, g.Name} })},
		{"group_members", []string{"user_id", "group_id"}, mapRows(im.members, func(m [2]int64) []any { return []any{m[0], m[1]} })},
		{"statuses", []string{"id", "status"}, mapRows(im.statuses, func(r namedRow) []any { return []any{r.ID, r.Name} })},
		{"priorities", []string{"id", "priority"}, mapRows(im.priorities, func(r namedRow) []any { return []any{r.ID, r.Name} })},
		{"departments", []string{"id", "department"}, mapRows(im.depts, func(r namedRow) []any { return []any{r.ID, r.Name} })},
		{"categories", []string{"id", "category", "department_id"}, mapRows(im.cats, func(c categoryRow) []any { return []any{c.ID, c.Name, c.DepartmentID} })},
	}
	for _, s := range steps {
		im.progress(s.table, 0, len(s.rows))
		if err := im.insert(ctx, s.table, s.cols, s.rows); err != nil {
			return err
		}
		im.progress(s.table, len(s.rows), len(s.rows))
	}
	return nil
}

func mapRows[T any](in []T, f func(T) []any) [][]any {
	out := make([][]any, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return out
}

package api

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// tkList is the part of a list response the list tests read.
type tkList struct {
	Links Links `json:"_links"`
	Meta  Meta  `json:"_meta"`
	Items []struct {
		ID int64 `json:"id"`
	} `json:"items"`
}

func (l tkList) ids() []int64 {
	out := make([]int64, len(l.Items))
	for i, it := range l.Items {
		out[i] = it.ID
	}
	return out
}

// tkGetList fetches a list page and decodes it.
func tkGetList(t *testing.T, env *testEnv, as reqOpt, path string) tkList {
	t.Helper()
	var l tkList
	env.call(http.MethodGet, path, nil, as).expect(t, http.StatusOK).decode(t, &l)
	return l
}

// tkWorld is a loaded copy of every ticket with what the list sorts and
// filters on, computed in Go as the reference.
type tkWorld struct {
	tickets    []model.Ticket
	deptOf     map[int64]int64  // category → department
	catName    map[int64]string // category → name
	deptName   map[int64]string
	userName   map[int64]string
	subscribed map[[2]int64]bool // (ticket, user)
	text       map[int64]string  // ticket → title + body + replies, lower case
}

func tkLoadWorld(t *testing.T, env *testEnv) *tkWorld {
	t.Helper()
	w := &tkWorld{deptOf: map[int64]int64{}, catName: map[int64]string{}, deptName: map[int64]string{},
		userName: map[int64]string{}, subscribed: map[[2]int64]bool{}, text: map[int64]string{}}
	testutil.Must(t, env.db.Order("id").Find(&w.tickets).Error)
	var cats []model.Category
	var depts []model.Department
	var users []model.User
	var subs []model.Subscription
	var posts []model.Post
	testutil.Must(t, env.db.Find(&cats).Error)
	testutil.Must(t, env.db.Find(&depts).Error)
	testutil.Must(t, env.db.Find(&users).Error)
	testutil.Must(t, env.db.Find(&subs).Error)
	testutil.Must(t, env.db.Find(&posts).Error)
	for _, c := range cats {
		w.deptOf[c.ID], w.catName[c.ID] = c.DepartmentID, c.Category
	}
	for _, d := range depts {
		w.deptName[d.ID] = d.Department
	}
	for _, u := range users {
		w.userName[u.ID] = u.Name
	}
	for _, s := range subs {
		w.subscribed[[2]int64{s.TicketID, s.UserID}] = true
	}
	for _, tk := range w.tickets {
		w.text[tk.ID] = strings.ToLower(tk.Title + "\n" + tk.Content)
	}
	for _, p := range posts {
		w.text[p.TicketID] += "\n" + strings.ToLower(p.Content)
	}
	return w
}

func (w *tkWorld) name(id *int64) string {
	if id == nil {
		return ""
	}
	return strings.ToLower(w.userName[*id])
}

func (w *tkWorld) where(keep func(tk model.Ticket) bool) []int64 {
	out := []int64{}
	for _, tk := range w.tickets {
		if keep(tk) {
			out = append(out, tk.ID)
		}
	}
	return out
}

func tkEqID(p *int64, id int64) bool { return p != nil && *p == id }

// tkSorted orders every ticket id the way the sort key says, ties by id.
func (w *tkWorld) sorted(key string) []int64 {
	desc := strings.HasSuffix(key, "_desc")
	key = strings.TrimSuffix(key, "_desc")
	ts := append([]model.Ticket{}, w.tickets...)
	cmp := func(a, b model.Ticket) int {
		str := func(x, y string) int { return strings.Compare(x, y) }
		num := func(x, y int64) int {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
		switch key {
		case "priority":
			return num(a.TicketPriorityID, b.TicketPriorityID)
		case "title":
			return str(strings.ToLower(a.Title), strings.ToLower(b.Title))
		case "ticketid":
			return num(a.ID, b.ID)
		case "addedby":
			return str(w.name(a.StartedID), w.name(b.StartedID))
		case "addedon":
			return num(a.DateAdded.UnixMilli(), b.DateAdded.UnixMilli())
		case "last_updated":
			return num(a.LastUpdated.UnixMilli(), b.LastUpdated.UnixMilli())
		case "replies":
			return num(a.NumReplies, b.NumReplies)
		case "department_category":
			if c := str(strings.ToLower(w.deptName[w.deptOf[a.CategoryID]]), strings.ToLower(w.deptName[w.deptOf[b.CategoryID]])); c != 0 {
				return c
			}
			return str(strings.ToLower(w.catName[a.CategoryID]), strings.ToLower(w.catName[b.CategoryID]))
		case "status":
			return num(a.StatusID, b.StatusID)
		case "assigned":
			return str(w.name(a.AssignedID), w.name(b.AssignedID))
		case "time":
			return num(int64(a.TotalHours), int64(b.TotalHours))
		}
		panic("unknown sort key " + key)
	}
	sort.SliceStable(ts, func(i, j int) bool {
		c := cmp(ts[i], ts[j])
		if desc {
			c = -c
		}
		if c != 0 {
			return c < 0
		}
		return ts[i].ID < ts[j].ID
	})
	out := make([]int64, len(ts))
	for i, tk := range ts {
		out[i] = tk.ID
	}
	return out
}

// tkListFixture builds a varied set of tickets: several departments and
// priorities, creators and assignees, replies with hours, closed tickets.
type tkListFixture struct {
	env               *testEnv
	james, mary, zed  *model.User
	asJames           reqOpt
	ids               map[string]int64
	percent, underbar int64
}

func newTkListFixture(t *testing.T, env *testEnv) *tkListFixture {
	t.Helper()
	f := &tkListFixture{env: env, ids: map[string]int64{}}
	f.james = testutil.NewUser(t, env.db, "james", nil, testutil.WithName("James Smith"))
	f.mary = testutil.NewUser(t, env.db, "mary", nil, testutil.WithName("Mary Adams"))
	f.zed = testutil.NewUser(t, env.db, "zed", nil, testutil.WithName("Zed Young"))
	f.asJames = env.as(f.james)
	asAdmin := env.as(env.admin)
	// category ids (setup order): 1 Design/Dataset, 4 Design/Other,
	// 5 Manufacturing/Process Planning, 8 Manufacturing/Other, 9 IT/Internet,
	// 11 IT/Other.
	specs := []struct {
		key     string
		by      *model.User
		title   string
		content string
		cat     int
		prio    int
		hours   float64
	}{
		{"a", f.james, "Alpha printer jam", "The printer jams.", 1, 1, 0},
		{"b", f.mary, "bravo vpn drops", "VPN drops every hour.", 9, 3, 2},
		{"c", f.zed, "Bravo laptop slow", "Laptop is slow.", 11, 2, 0.5},
		{"d", f.james, "Charlie badge", "Badge does not open doors.", 5, 3, 1},
		{"e", f.mary, "Delta discount 50% off", "Pricing question.", 4, 1, 0},
		{"f", f.zed, "Echo discount 500 off", "Another pricing question.", 8, 2, 0},
		{"g", f.james, "Foxtrot under_score", "Naming question.", 9, 3, 3},
	}
	for _, s := range specs {
		env.clock.Advance(time.Minute)
		f.ids[s.key] = tkCreate(t, env, s.by, map[string]any{
			"title": s.title, "content": s.content, "category_id": s.cat, "ticket_priority_id": s.prio, "hours": s.hours,
		})
	}
	f.percent, f.underbar = f.ids["e"], f.ids["g"]
	tkPost(t, env, f.ids["a"], f.mary, "Found a NEEDLE in the tray", 100)
	tkPost(t, env, f.ids["a"], f.zed, "second reply", 0)
	tkPost(t, env, f.ids["c"], f.james, "third reply", 25)
	env.clock.Advance(time.Minute)
	env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(f.ids["b"])+"/assign", map[string]any{"user_id": f.zed.ID}, asAdmin).expect(t, http.StatusOK)
	env.clock.Advance(time.Minute)
	env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(f.ids["d"])+"/assign", map[string]any{"user_id": f.mary.ID}, asAdmin).expect(t, http.StatusOK)
	env.clock.Advance(time.Minute)
	env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(f.ids["f"])+"/claim", nil, f.asJames).expect(t, http.StatusOK)
	env.clock.Advance(time.Minute)
	env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(f.ids["c"])+"/close", nil, env.as(f.zed)).expect(t, http.StatusOK)
	env.clock.Advance(time.Minute)
	env.call(http.MethodPost, "/flicket-api/ticket/"+itoa(f.ids["e"])+"/status", map[string]any{"status_id": 4}, asAdmin).expect(t, http.StatusOK)
	// james subscribes to mary's ticket e (subscriptions endpoint's job; a row will do).
	testutil.Must(t, env.db.Create(&model.Subscription{TicketID: f.ids["e"], UserID: f.james.ID, DateAdded: env.clock.Now()}).Error)
	return f
}

func TestTicketList(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		env := newTestEnv(t, tdb)
		f := newTkListFixture(t, env)
		as := f.asJames
		w := tkLoadWorld(t, env)
		all := w.where(func(model.Ticket) bool { return true })

		t.Run("unfiltered: every ticket by id, the original's links", func(t *testing.T) {
			l := tkGetList(t, env, as, "/flicket-api/tickets/")
			if fmt.Sprint(l.ids()) != fmt.Sprint(all) {
				t.Errorf("ids %v, want %v", l.ids(), all)
			}
			if l.Meta != (Meta{Page: 1, PerPage: 50, TotalItems: int64(len(all)), TotalPages: 1}) {
				t.Errorf("meta = %+v", l.Meta)
			}
			if l.Links.Self != testBase+"/tickets/1/?per_page=50" || l.Links.Next != nil || l.Links.Prev != nil {
				t.Errorf("links = %+v", l.Links)
			}
			// Every item has the full ticket shape.
			var raw struct{ Items []map[string]any }
			env.call(http.MethodGet, "/flicket-api/tickets/", nil, as).decode(t, &raw)
			for _, m := range raw.Items {
				tkCheckShape(t, m)
			}
		})

		t.Run("pagination arithmetic with filters kept in the links", func(t *testing.T) {
			open := w.where(func(tk model.Ticket) bool { return tk.StatusID != model.StatusClosed })
			l := tkGetList(t, env, as, "/flicket-api/tickets/2/?per_page=2&state=open&sort=title")
			wantMeta := Meta{Page: 2, PerPage: 2, TotalItems: int64(len(open)), TotalPages: int64((len(open) + 1) / 2)}
			if l.Meta != wantMeta {
				t.Errorf("meta = %+v, want %+v", l.Meta, wantMeta)
			}
			if l.Links.Self != testBase+"/tickets/2/?per_page=2&sort=title&state=open" ||
				l.Links.Prev == nil || *l.Links.Prev != testBase+"/tickets/1/?per_page=2&sort=title&state=open" ||
				l.Links.Next == nil || *l.Links.Next != testBase+"/tickets/3/?per_page=2&sort=title&state=open" {
				t.Errorf("links = self %s prev %v next %v", l.Links.Self, l.Links.Prev, l.Links.Next)
			}
			keepAll := "/flicket-api/tickets/?department=IT&category=Other&status=1&priority=high&user=james&assigned_id=" +
				itoa(f.james.ID) + "&created_id=" + itoa(f.james.ID) + "&q=x&view=mine&state=open&sort=time_desc"
			l = tkGetList(t, env, as, keepAll)
			u, err := url.Parse(l.Links.Self)
			testutil.Must(t, err)
			for _, k := range ticketListParams {
				if u.Query().Get(k) == "" {
					t.Errorf("self link %s drops %s", l.Links.Self, k)
				}
			}
			// ?page= is accepted too, but links put the page in the path; the
			// segment wins when both are given. A page past the end is empty.
			l = tkGetList(t, env, as, "/flicket-api/tickets/?per_page=3&page=2")
			if l.Meta.Page != 2 || l.Links.Self != testBase+"/tickets/2/?per_page=3" {
				t.Errorf("?page=2: %+v %s", l.Meta, l.Links.Self)
			}
			l = tkGetList(t, env, as, "/flicket-api/tickets/3/?per_page=3&page=2")
			if l.Meta.Page != 3 || len(l.Items) != 1 {
				t.Errorf("segment and ?page=: %+v", l.Meta)
			}
			l = tkGetList(t, env, as, "/flicket-api/tickets/9/?per_page=3")
			if len(l.Items) != 0 || l.Meta.TotalItems != int64(len(all)) || l.Links.Next != nil {
				t.Errorf("past the end = %+v", l)
			}
			env.call(http.MethodGet, "/flicket-api/tickets/0/", nil, as).expectError(t, http.StatusBadRequest, "")
		})

		t.Run("filters", func(t *testing.T) {
			inDept := func(d int64) func(model.Ticket) bool {
				return func(tk model.Ticket) bool { return w.deptOf[tk.CategoryID] == d }
			}
			other := func(tk model.Ticket) bool { return w.catName[tk.CategoryID] == "Other" }
			j, m := f.james.ID, f.mary.ID
			cases := []struct {
				query string
				want  []int64
			}{
				{"department=3", w.where(inDept(3))},
				{"department=IT", w.where(inDept(3))},
				{"department=Manufacturing", w.where(inDept(2))},
				{"category=9", w.where(func(tk model.Ticket) bool { return tk.CategoryID == 9 })},
				{"category=Other", w.where(other)},
				{"category=Other&department=Design", w.where(func(tk model.Ticket) bool { return other(tk) && w.deptOf[tk.CategoryID] == 1 })},
				{"status=Closed", w.where(func(tk model.Ticket) bool { return tk.StatusID == 2 })},
				{"status=3", w.where(func(tk model.Ticket) bool { return tk.StatusID == 3 })},
				{"status=In%20Work&department=IT", w.where(func(tk model.Ticket) bool { return tk.StatusID == 3 && w.deptOf[tk.CategoryID] == 3 })},
				{"state=open", w.where(func(tk model.Ticket) bool { return tk.StatusID != 2 })},
				{"state=closed", w.where(func(tk model.Ticket) bool { return tk.StatusID == 2 })},
				{"state=open&category=Other", w.where(func(tk model.Ticket) bool { return tk.StatusID != 2 && other(tk) })},
				{"priority=3", w.where(func(tk model.Ticket) bool { return tk.TicketPriorityID == 3 })},
				{"priority=high&state=open", w.where(func(tk model.Ticket) bool { return tk.TicketPriorityID == 3 && tk.StatusID != 2 })},
				{"user=james", w.where(func(tk model.Ticket) bool { return tkEqID(tk.StartedID, j) || tkEqID(tk.AssignedID, j) })},
				{"user=" + itoa(m), w.where(func(tk model.Ticket) bool { return tkEqID(tk.StartedID, m) || tkEqID(tk.AssignedID, m) })},
				{"user=MARY", w.where(func(tk model.Ticket) bool { return tkEqID(tk.StartedID, m) || tkEqID(tk.AssignedID, m) })},
				{"assigned_id=" + itoa(m), w.where(func(tk model.Ticket) bool { return tkEqID(tk.AssignedID, m) })},
				{"created_id=" + itoa(m), w.where(func(tk model.Ticket) bool { return tkEqID(tk.StartedID, m) })},
				{"created_id=" + itoa(m) + "&assigned_id=" + itoa(f.zed.ID), w.where(func(tk model.Ticket) bool { return tkEqID(tk.StartedID, m) && tkEqID(tk.AssignedID, f.zed.ID) })},
				{"view=mine", w.where(func(tk model.Ticket) bool { return tkEqID(tk.StartedID, j) || tkEqID(tk.AssignedID, j) })},
				{"view=subscribed", w.where(func(tk model.Ticket) bool { return w.subscribed[[2]int64{tk.ID, j}] })},
				{"view=subscribed&department=Design", w.where(func(tk model.Ticket) bool { return w.subscribed[[2]int64{tk.ID, j}] && w.deptOf[tk.CategoryID] == 1 })},
				// Search semantics are tested in ticket_search_test.go.
				{"q=needle&sort=ticketid", []int64{f.ids["a"]}},
				{"q=BRAVO&sort=ticketid", []int64{f.ids["b"], f.ids["c"]}},
				{"q=pricing%20QUESTION&sort=ticketid", []int64{f.ids["e"], f.ids["f"]}},
				{"q=50%25&sort=ticketid", []int64{f.percent}},
				{"q=under_score&sort=ticketid", []int64{f.underbar}},
				{"q=nothing-like-this&sort=ticketid", []int64{}},
				{"q=discount&state=open&priority=1&sort=ticketid", []int64{f.ids["e"]}},
			}
			for _, tc := range cases {
				l := tkGetList(t, env, as, "/flicket-api/tickets/?per_page=100&"+tc.query)
				if fmt.Sprint(l.ids()) != fmt.Sprint(tc.want) {
					t.Errorf("%s: ids %v, want %v", tc.query, l.ids(), tc.want)
				}
				if l.Meta.TotalItems != int64(len(tc.want)) {
					t.Errorf("%s: total_items %d, want %d", tc.query, l.Meta.TotalItems, len(tc.want))
				}
			}
			// view=mine is per caller.
			l := tkGetList(t, env, env.as(f.zed), "/flicket-api/tickets/?view=mine")
			want := w.where(func(tk model.Ticket) bool { return tkEqID(tk.StartedID, f.zed.ID) || tkEqID(tk.AssignedID, f.zed.ID) })
			if fmt.Sprint(l.ids()) != fmt.Sprint(want) {
				t.Errorf("zed's view=mine %v, want %v", l.ids(), want)
			}
		})

		t.Run("every sort key, ties by id", func(t *testing.T) {
			for _, key := range model.TicketSortKeys() {
				l := tkGetList(t, env, as, "/flicket-api/tickets/?per_page=100&sort="+key)
				if want := w.sorted(key); fmt.Sprint(l.ids()) != fmt.Sprint(want) {
					t.Errorf("sort=%s: %v, want %v", key, l.ids(), want)
				}
			}
			if len(model.TicketSortKeys()) != 22 {
				t.Errorf("%d sort keys", len(model.TicketSortKeys()))
			}
			// Sorted and paged: page 2 continues page 1.
			p1 := tkGetList(t, env, as, "/flicket-api/tickets/?per_page=3&sort=assigned_desc")
			p2 := tkGetList(t, env, as, "/flicket-api/tickets/2/?per_page=3&sort=assigned_desc")
			if got, want := fmt.Sprint(append(p1.ids(), p2.ids()...)), fmt.Sprint(w.sorted("assigned_desc")[:6]); got != want {
				t.Errorf("paged sort %s, want %s", got, want)
			}
		})

		t.Run("400 naming the parameter", func(t *testing.T) {
			cases := map[string]string{
				"department=Nowhere": "department", "department=0": "department", "department=999": "department",
				"category=Nothing": "category", "category=-3": "category",
				"status=Gone": "status", "status=99": "status",
				"priority=urgent": "priority", "priority=9": "priority",
				"user=nobody": "user", "user=99999": "user",
				"assigned_id=abc": "assigned_id", "assigned_id=99999": "assigned_id", "created_id=-1": "created_id",
				"view=all": "view", "state=pending": "state", "sort=bogus": "sort", "sort=title_asc": "sort",
				"q=" + strings.Repeat("q", 201): "q",
				"q=a%00b":                       "q", "q=%ff%fe": "q", "department=%00": "department", "status=a%00": "status",
				"category=%c3": "category", "user=%00": "user",
			}
			for query, field := range cases {
				r := env.call(http.MethodGet, "/flicket-api/tickets/?"+query, nil, as)
				body := r.expectError(t, http.StatusBadRequest, "request.invalid_parameter")
				if len(body.Errors) != 1 || body.Errors[0].Field != field {
					t.Errorf("%s: errors = %+v", query, body.Errors)
				}
			}
		})
	})
}

package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
	"github.com/flicket/flicket/backend/internal/testutil"
)

// The can objects say what the server would accept. These tests ask for
// them as every kind of user, on tickets in every state the rules tell
// apart, then try each action on a fresh ticket in that state: the action
// must succeed exactly when can said so.

// canWorld is the cast: the ticket's creator and assignee, an administrator,
// a super user, a stranger, and a bystander others subscribe.
type canWorld struct {
	env                 *testEnv
	people              map[string]*model.User
	as                  map[string]reqOpt
	creator, assignee   *model.User
	bystander, category int64
	// viewer is who the action being checked is tried as.
	viewer *model.User
}

var canViewers = []string{"admin", "super", "creator", "assignee", "stranger"}

func newCanWorld(t *testing.T, env *testEnv) *canWorld {
	w := &canWorld{env: env, people: map[string]*model.User{"admin": env.admin}, as: map[string]reqOpt{}}
	w.people["super"] = testutil.NewUser(t, env.db, "sam", []string{model.SuperUserGroup})
	w.people["creator"] = testutil.NewUser(t, env.db, "carl", nil)
	w.people["assignee"] = testutil.NewUser(t, env.db, "ann", nil)
	w.people["stranger"] = testutil.NewUser(t, env.db, "stan", nil)
	w.creator, w.assignee = w.people["creator"], w.people["assignee"]
	w.bystander = testutil.NewUser(t, env.db, "bea", nil).ID
	for name, u := range w.people {
		w.as[name] = env.as(u)
	}
	var cats []int64
	testutil.Must(t, env.db.Model(&model.Category{}).Where("id <> 1").Order("id").Limit(1).Pluck("id", &cats).Error)
	w.category = cats[0]
	return w
}

// ticket opens a ticket by the creator, with one reply of theirs, in the
// state: open, assigned (In Work, to the assignee) or closed. It returns the
// ticket's and the reply's ids.
func (w *canWorld) ticket(t *testing.T, state string) (int64, int64) {
	t.Helper()
	ids := w.tickets(t, state, 1)
	return ids[0][0], ids[0][1]
}

// tickets opens n such tickets in one transaction (through the model: only
// the action tried afterwards goes through the API) and returns their and
// their replies' ids.
func (w *canWorld) tickets(t *testing.T, state string, n int) [][2]int64 {
	t.Helper()
	ctx := t.Context()
	out := make([][2]int64, n)
	err := w.env.srv.write(ctx, func(tx *model.Tx) error {
		for i := range out {
			tk := &model.Ticket{Title: "A ticket title", Content: "Some ticket content", CategoryID: 1,
				TicketPriorityID: model.PriorityLow, StartedID: &w.creator.ID}
			if err := model.CreateTicket(ctx, tx, tk); err != nil {
				return err
			}
			post, err := model.CreatePost(ctx, tx, tk.ID, w.creator, model.PostInput{Content: "A reply of the creator"})
			if err != nil {
				return err
			}
			out[i] = [2]int64{tk.ID, post.ID}
			switch state {
			case "assigned":
				err = model.Assign(ctx, tx, tk.ID, w.env.admin, w.assignee.ID)
			case "closed":
				err = model.Close(ctx, tx, tk.ID, w.env.admin)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	testutil.Must(t, err)
	return out
}

func (w *canWorld) setCategorySwitches(t *testing.T, on, onlyAdminOrSuper bool) {
	t.Helper()
	w.env.call(http.MethodPatch, "/flicket-api/config", map[string]any{
		"change_category": on, "change_category_only_admin_or_super_user": onlyAdminOrSuper,
	}, w.as["admin"]).expect(t, http.StatusOK)
}

// ticketAction tries one action of a ticket's can.
type ticketAction struct {
	can string
	do  func(w *canWorld, id int64, state string, as reqOpt) *response
}

func post(path string, body any) func(w *canWorld, id int64, state string, as reqOpt) *response {
	return func(w *canWorld, id int64, _ string, as reqOpt) *response {
		return w.env.call(http.MethodPost, fmt.Sprintf(path, id), body, as)
	}
}

var ticketActions = []ticketAction{
	{"edit", func(w *canWorld, id int64, _ string, as reqOpt) *response {
		return w.env.call(http.MethodPatch, "/flicket-api/ticket/"+itoa(id), map[string]any{"title": "A new title"}, as)
	}},
	{"delete", func(w *canWorld, id int64, _ string, as reqOpt) *response {
		return w.env.call(http.MethodDelete, "/flicket-api/ticket/"+itoa(id), nil, as)
	}},
	{"reply", func(w *canWorld, id int64, _ string, as reqOpt) *response {
		return w.env.call(http.MethodPost, "/flicket-api/posts", map[string]any{"ticket_id": id, "content": "Another reply"}, as)
	}},
	{"claim", post("/flicket-api/ticket/%d/claim", nil)},
	{"release", post("/flicket-api/ticket/%d/release", nil)},
	{"assign", func(w *canWorld, id int64, _ string, as reqOpt) *response {
		return w.env.call(http.MethodPost, fmt.Sprintf("/flicket-api/ticket/%d/assign", id), map[string]any{"user_id": w.bystander}, as)
	}},
	{"close", post("/flicket-api/ticket/%d/close", nil)},
	{"change_status", func(w *canWorld, id int64, state string, as reqOpt) *response {
		to := model.StatusAwaitingInformation
		if state != "open" {
			to = model.StatusOpen
		}
		return w.env.call(http.MethodPost, fmt.Sprintf("/flicket-api/ticket/%d/status", id), map[string]any{"status_id": to}, as)
	}},
	{"change_priority", post("/flicket-api/ticket/%d/priority", map[string]any{"ticket_priority_id": model.PriorityMedium})},
	{"change_category", func(w *canWorld, id int64, _ string, as reqOpt) *response {
		return w.env.call(http.MethodPost, fmt.Sprintf("/flicket-api/ticket/%d/category", id), map[string]any{"category_id": w.category}, as)
	}},
	{"subscribe", func(w *canWorld, id int64, _ string, as reqOpt) *response {
		// The creator (and the assignee) are subscribed already: start afresh.
		w.env.db.Where("ticket_id = ? AND user_id = ?", id, w.viewer.ID).Delete(&model.Subscription{})
		return w.env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": id, "user_id": w.viewer.ID}, as)
	}},
	{"subscribe_others", func(w *canWorld, id int64, _ string, as reqOpt) *response {
		return w.env.call(http.MethodPost, "/flicket-api/subscriptions", map[string]any{"ticket_id": id, "user_id": w.bystander}, as)
	}},
}

// checkAllowed compares an answer with what can said.
func checkAllowed(t *testing.T, what string, can bool, r *response) {
	t.Helper()
	if ok := r.Code >= 200 && r.Code < 300; ok != can {
		t.Errorf("%s: can says %v, the server answered %d %s", what, can, r.Code, r.Body)
	} else if !ok && r.Code != http.StatusForbidden && r.Code != http.StatusConflict {
		t.Errorf("%s: refused with %d (want 403 or 409): %s", what, r.Code, r.Body)
	}
}

func TestTicketCanMatchesTheServer(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		w := newCanWorld(t, newTestEnv(t, tdb))
		check := func(t *testing.T, settings string, actions []ticketAction) {
			for _, state := range []string{"open", "assigned", "closed"} {
				for _, viewer := range canViewers {
					// One ticket to read can from and to try what it refuses
					// (a refusal changes nothing), one more per action allowed.
					id, _ := w.ticket(t, state)
					var got struct{ Can map[string]any }
					w.env.call(http.MethodGet, "/flicket-api/ticket/"+itoa(id), nil, w.as[viewer]).expect(t, http.StatusOK).decode(t, &got)
					allowed := 0
					for _, a := range actions {
						can, isBool := got.Can[a.can].(bool)
						if !isBool {
							t.Fatalf("can.%s = %v", a.can, got.Can[a.can])
						}
						if can {
							allowed++
						}
					}
					pool := w.tickets(t, state, allowed)
					for _, a := range actions {
						can := got.Can[a.can].(bool)
						target := id
						if can {
							target, pool = pool[0][0], pool[1:]
						}
						w.viewer = w.people[viewer]
						what := fmt.Sprintf("%s, %s ticket, %s: %s", settings, state, viewer, a.can)
						checkAllowed(t, what, can, a.do(w, target, state, w.as[viewer]))
					}
				}
			}
		}
		check(t, "default settings", ticketActions)
		var category []ticketAction
		for _, a := range ticketActions {
			if a.can == "change_category" {
				category = append(category, a)
			}
		}
		w.setCategorySwitches(t, true, false)
		check(t, "change_category on", category)
		w.setCategorySwitches(t, true, true)
		check(t, "admins and super users only", category)
	})
}

func TestTicketCanStatuses(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		w := newCanWorld(t, newTestEnv(t, tdb))
		id, _ := w.ticket(t, "closed")
		var got struct {
			Can struct {
				ChangeStatusTo []int64 `json:"change_status_to"`
			}
		}
		w.env.call(http.MethodGet, "/flicket-api/ticket/"+itoa(id), nil, w.as["stranger"]).expect(t, http.StatusOK).decode(t, &got)
		want := []int64{model.StatusOpen, model.StatusInWork, model.StatusAwaitingInformation}
		if fmt.Sprint(got.Can.ChangeStatusTo) != fmt.Sprint(want) {
			t.Fatalf("change_status_to = %v, want %v", got.Can.ChangeStatusTo, want)
		}
		// Each listed status is accepted by a status change and by a reply;
		// the one left out is refused by both.
		for _, st := range []int64{model.StatusOpen, model.StatusClosed, model.StatusInWork, model.StatusAwaitingInformation} {
			fresh, _ := w.ticket(t, "open")
			listed := st != model.StatusClosed
			r := w.env.call(http.MethodPost, "/flicket-api/posts", map[string]any{"ticket_id": fresh, "content": "Moving it along", "status_id": st}, w.as["stranger"])
			if ok := r.Code == http.StatusCreated; ok != listed {
				t.Errorf("reply with status %d: %d %s", st, r.Code, r.Body)
			}
			if st == model.StatusOpen {
				continue // the ticket is Open already: a conflict, not a refusal
			}
			r = w.env.call(http.MethodPost, fmt.Sprintf("/flicket-api/ticket/%d/status", fresh), map[string]any{"status_id": st}, w.as["stranger"])
			if ok := r.Code == http.StatusOK || r.Code == http.StatusConflict; ok != listed {
				t.Errorf("status change to %d: %d %s", st, r.Code, r.Body)
			}
		}
	})
}

func TestPostCanMatchesTheServer(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		w := newCanWorld(t, newTestEnv(t, tdb))
		for _, state := range []string{"open", "assigned", "closed"} {
			for _, viewer := range canViewers {
				for _, action := range []string{"edit", "delete"} {
					id, postID := w.ticket(t, state)
					var list struct {
						Items []struct {
							ID  int64
							Can map[string]bool
						}
					}
					w.env.call(http.MethodGet, fmt.Sprintf("/flicket-api/posts/%d/", id), nil, w.as[viewer]).expect(t, http.StatusOK).decode(t, &list)
					var one struct{ Can map[string]bool }
					w.env.call(http.MethodGet, "/flicket-api/post/"+itoa(postID), nil, w.as[viewer]).expect(t, http.StatusOK).decode(t, &one)
					if len(list.Items) != 1 || list.Items[0].ID != postID || fmt.Sprint(list.Items[0].Can) != fmt.Sprint(one.Can) {
						t.Fatalf("list %+v, one %+v", list.Items, one)
					}
					var r *response
					if action == "edit" {
						r = w.env.call(http.MethodPatch, "/flicket-api/post/"+itoa(postID), map[string]any{"content": "Edited content"}, w.as[viewer])
					} else {
						r = w.env.call(http.MethodDelete, "/flicket-api/post/"+itoa(postID), nil, w.as[viewer])
					}
					checkAllowed(t, fmt.Sprintf("%s ticket, %s: %s the creator's reply", state, viewer, action), one.Can[action], r)
				}
			}
		}
	})
}

func TestSubscriptionCanMatchesTheServer(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		w := newCanWorld(t, newTestEnv(t, tdb))
		// On an assigned ticket the creator and the assignee are subscribed.
		for _, viewer := range canViewers {
			for _, whose := range []*model.User{w.creator, w.assignee} {
				id, _ := w.ticket(t, "assigned")
				var list struct {
					Items []struct {
						ID     int64
						UserID int64 `json:"user_id"`
						Can    map[string]bool
					}
				}
				w.env.call(http.MethodGet, fmt.Sprintf("/flicket-api/subscriptions/%d/", id), nil, w.as[viewer]).expect(t, http.StatusOK).decode(t, &list)
				found := false
				for _, s := range list.Items {
					if s.UserID != whose.ID {
						continue
					}
					found = true
					r := w.env.call(http.MethodDelete, "/flicket-api/subscription/"+itoa(s.ID), nil, w.as[viewer])
					checkAllowed(t, fmt.Sprintf("%s removes %s's subscription", viewer, whose.Username), s.Can["remove"], r)
				}
				if !found {
					t.Fatalf("%s is not subscribed: %+v", whose.Username, list.Items)
				}
			}
		}
	})
}

func TestMeCanMatchesTheRouteGuards(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, tdb *testutil.TestDB) {
		w := newCanWorld(t, newTestEnv(t, tdb))
		tries := map[string]func(as reqOpt) *response{
			"manage_users": func(as reqOpt) *response {
				return w.env.call(http.MethodPost, "/flicket-api/groups", map[string]any{"group_name": testutil.Unique("team")}, as)
			},
			"manage_departments": func(as reqOpt) *response {
				return w.env.call(http.MethodPost, "/flicket-api/departments", map[string]any{"department": testutil.Unique("Dept ")}, as)
			},
			"manage_config": func(as reqOpt) *response {
				return w.env.call(http.MethodGet, "/flicket-api/config", nil, as)
			},
			"delete_tickets": func(as reqOpt) *response {
				id, _ := w.ticket(t, "open")
				return w.env.call(http.MethodDelete, "/flicket-api/ticket/"+itoa(id), nil, as)
			},
		}
		for _, viewer := range canViewers {
			var me struct{ Can map[string]bool }
			w.env.call(http.MethodGet, "/flicket-api/me", nil, w.as[viewer]).expect(t, http.StatusOK).decode(t, &me)
			if len(me.Can) != len(tries) {
				t.Fatalf("%s: can = %v", viewer, me.Can)
			}
			var session struct{ Can map[string]bool }
			w.env.call(http.MethodGet, "/flicket-api/session", nil, w.as[viewer]).expect(t, http.StatusOK).decode(t, &session)
			if fmt.Sprint(session.Can) != fmt.Sprint(me.Can) {
				t.Errorf("%s: the session's can %v differs from /me's %v", viewer, session.Can, me.Can)
			}
			for key, try := range tries {
				checkAllowed(t, viewer+": "+key, me.Can[key], try(w.as[viewer]))
			}
		}
	})
}

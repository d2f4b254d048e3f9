package model

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// The people of the permission tests: ids 1..5, the ticket started by 3 and
// (when assigned) assigned to 4.
var (
	ruleAdmin    = &User{ID: 1, IsAdmin: true}
	ruleSuper    = &User{ID: 2, IsSuperUser: true}
	ruleCreator  = &User{ID: 3}
	ruleAssignee = &User{ID: 4}
	ruleStranger = &User{ID: 5}
	rulePeople   = []*User{ruleAdmin, ruleSuper, ruleCreator, ruleAssignee, ruleStranger}
)

func ruleName(u *User) string {
	return map[int64]string{1: "admin", 2: "super", 3: "creator", 4: "assignee", 5: "stranger"}[u.ID]
}

// ruleTicket is a ticket in one of the states the rules tell apart.
func ruleTicket(state string) *Ticket {
	creator, assignee := int64(3), int64(4)
	t := &Ticket{ID: 7, StartedID: &creator, StatusID: StatusOpen}
	switch state {
	case "assigned":
		t.AssignedID, t.StatusID = &assignee, StatusInWork
	case "closed":
		t.StatusID = StatusClosed
	}
	return t
}

// allowed lists, per ticket state, who a rule lets through.
type allowed map[string][]string

func checkRule(t *testing.T, rule string, want allowed, may func(t *Ticket, u *User) error) {
	t.Helper()
	for _, state := range []string{"open", "assigned", "closed"} {
		for _, u := range rulePeople {
			err := may(ruleTicket(state), u)
			ok := slices.Contains(want[state], ruleName(u))
			if ok != (err == nil) {
				t.Errorf("%s, %s ticket, %s: allowed %v, want %v (%v)", rule, state, ruleName(u), err == nil, ok, err)
			}
			var fe *ForbiddenError
			var ce *ConflictError
			var ve *ValidationError
			if err != nil && !errors.As(err, &fe) && !errors.As(err, &ce) && !errors.As(err, &ve) {
				t.Errorf("%s: %v is not a forbidden, conflict or validation error", rule, err)
			}
		}
	}
}

var (
	everyone = []string{"admin", "super", "creator", "assignee", "stranger"}
	noone    = []string(nil)
)

func TestTicketRules(t *testing.T) {
	defaults, open := &Settings{}, &Settings{ChangeCategory: true}
	restricted := &Settings{ChangeCategory: true, ChangeCategoryOnlyAdminOrSuperUser: true}
	cases := []struct {
		rule string
		want allowed
		may  func(t *Ticket, u *User) error
	}{
		{"edit", allowed{"open": {"admin", "creator"}, "assigned": {"admin", "creator"}, "closed": noone},
			(*Ticket).CanEdit},
		{"delete", allowed{"open": {"admin"}, "assigned": {"admin"}, "closed": {"admin"}},
			(*Ticket).CanDelete},
		{"reply", allowed{"open": everyone, "assigned": everyone, "closed": everyone},
			(*Ticket).CanPost},
		{"claim", allowed{"open": everyone, "assigned": {"admin", "super", "creator", "stranger"}, "closed": noone},
			(*Ticket).CanClaim},
		{"release", allowed{"open": noone, "assigned": {"admin", "assignee"}, "closed": noone},
			(*Ticket).CanRelease},
		{"assign", allowed{"open": everyone, "assigned": everyone, "closed": noone},
			(*Ticket).CanAssign},
		{"close", allowed{"open": {"admin", "creator"}, "assigned": {"admin", "creator", "assignee"}, "closed": noone},
			(*Ticket).CanClose},
		{"change status", allowed{"open": everyone, "assigned": everyone, "closed": everyone},
			(*Ticket).CanChangeStatus},
		{"set status In Work", allowed{"open": everyone, "assigned": everyone, "closed": everyone},
			func(t *Ticket, u *User) error { return t.CanSetStatus(u, StatusInWork) }},
		{"set status Closed", allowed{},
			func(t *Ticket, u *User) error { return t.CanSetStatus(u, StatusClosed) }},
		{"change priority", allowed{"open": everyone, "assigned": everyone, "closed": noone},
			(*Ticket).CanChangePriority},
		{"change category, default settings", allowed{"open": {"admin"}, "assigned": {"admin"}, "closed": noone},
			func(t *Ticket, u *User) error { return t.CanChangeCategory(u, defaults) }},
		{"change category, switched on", allowed{"open": everyone, "assigned": everyone, "closed": noone},
			func(t *Ticket, u *User) error { return t.CanChangeCategory(u, open) }},
		{"change category, admins and super users only", allowed{"open": {"admin", "super"}, "assigned": {"admin", "super"}, "closed": noone},
			func(t *Ticket, u *User) error { return t.CanChangeCategory(u, restricted) }},
		{"subscribe others", allowed{"open": {"admin", "super", "creator"}, "assigned": {"admin", "super", "creator", "assignee"}, "closed": {"admin", "super", "creator"}},
			func(t *Ticket, u *User) error { return t.CanSubscribe(u, 0) }},
		{"subscribe oneself", allowed{"open": everyone, "assigned": everyone, "closed": everyone},
			func(t *Ticket, u *User) error { return t.CanSubscribe(u, u.ID) }},
	}
	for _, c := range cases {
		checkRule(t, c.rule, c.want, c.may)
	}
}

// TestTicketCan checks the can object reports each rule, field by field.
func TestTicketCan(t *testing.T) {
	statuses := []int64{StatusOpen, StatusClosed, StatusInWork, StatusAwaitingInformation}
	for _, s := range []*Settings{{}, {ChangeCategory: true}} {
		for _, state := range []string{"open", "assigned", "closed"} {
			for _, u := range rulePeople {
				tk := ruleTicket(state)
				got := tk.Can(u, s, statuses)
				ok := func(err error) bool { return err == nil }
				want := TicketCan{
					Edit: ok(tk.CanEdit(u)), Delete: ok(tk.CanDelete(u)), Reply: ok(tk.CanPost(u)),
					Claim: ok(tk.CanClaim(u)), Release: ok(tk.CanRelease(u)), Assign: ok(tk.CanAssign(u)),
					Close: ok(tk.CanClose(u)), ChangeStatus: ok(tk.CanChangeStatus(u)),
					ChangePriority: ok(tk.CanChangePriority(u)), ChangeCategory: ok(tk.CanChangeCategory(u, s)),
					Subscribe: ok(tk.CanSubscribe(u, u.ID)), SubscribeOthers: ok(tk.CanSubscribe(u, 0)),
					ChangeStatusTo: []int64{StatusOpen, StatusInWork, StatusAwaitingInformation},
				}
				if !slices.Equal(got.ChangeStatusTo, want.ChangeStatusTo) {
					t.Errorf("%s ticket, %s: change_status_to %v, want %v", state, ruleName(u), got.ChangeStatusTo, want.ChangeStatusTo)
				}
				got.ChangeStatusTo, want.ChangeStatusTo = nil, nil
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s ticket, %s: can %+v, want %+v", state, ruleName(u), got, want)
				}
			}
		}
	}
}

func TestPostRules(t *testing.T) {
	// The reply is the creator's.
	reply := &Post{ID: 9, UserID: idOf(ruleCreator)}
	checkRule(t, "edit reply", allowed{"open": {"admin", "creator"}, "assigned": {"admin", "creator"}, "closed": noone},
		func(tk *Ticket, u *User) error { return reply.CanEdit(u, tk) })
	checkRule(t, "delete reply", allowed{"open": {"admin", "creator"}, "assigned": {"admin", "creator"}, "closed": {"admin", "creator"}},
		func(_ *Ticket, u *User) error { return reply.CanDelete(u) })
	orphan := &Post{ID: 10}
	checkRule(t, "edit a reply whose author is gone", allowed{"open": {"admin"}, "assigned": {"admin"}, "closed": noone},
		func(tk *Ticket, u *User) error { return orphan.CanEdit(u, tk) })
	for _, u := range rulePeople {
		tk := ruleTicket("open")
		if got, want := reply.Can(u, tk), (PostCan{Edit: reply.CanEdit(u, tk) == nil, Delete: reply.CanDelete(u) == nil}); got != want {
			t.Errorf("%s: reply can %+v, want %+v", ruleName(u), got, want)
		}
	}
}

func TestSubscriptionRules(t *testing.T) {
	// The subscription is the assignee's.
	sub := &Subscription{ID: 3, TicketID: 7, UserID: ruleAssignee.ID}
	checkRule(t, "unsubscribe", allowed{"open": {"admin", "super", "assignee"}, "assigned": {"admin", "super", "assignee"}, "closed": {"admin", "super", "assignee"}},
		func(_ *Ticket, u *User) error { return sub.CanUnsubscribe(u) })
	view := &SubscriptionView{ID: 3, TicketID: 7, UserID: ruleAssignee.ID}
	for _, u := range rulePeople {
		if view.Can(u).Remove != (sub.CanUnsubscribe(u) == nil) {
			t.Errorf("%s: subscription view can.remove disagrees with the rule", ruleName(u))
		}
	}
}

func TestUserCan(t *testing.T) {
	want := map[string]UserCan{
		"admin":    {ManageUsers: true, ManageDepartments: true, ManageConfig: true, DeleteTickets: true},
		"super":    {ManageDepartments: true},
		"creator":  {},
		"assignee": {},
		"stranger": {},
	}
	for _, u := range rulePeople {
		if got := u.Can(); got != want[ruleName(u)] {
			t.Errorf("%s: can %+v, want %+v", ruleName(u), got, want[ruleName(u)])
		}
	}
	if (*User)(nil).Can() != (UserCan{}) {
		t.Error("no user may do something")
	}
	if !ruleStranger.CanSeeAccountOf(ruleStranger) || !ruleAdmin.CanSeeAccountOf(ruleStranger) ||
		ruleSuper.CanSeeAccountOf(ruleStranger) || ruleStranger.CanSeeAccountOf(ruleCreator) {
		t.Error("account settings: only oneself and who manages users see them")
	}
}

func idOf(u *User) *int64 { id := u.ID; return &id }

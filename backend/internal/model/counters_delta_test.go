package model_test

import (
	"maps"
	"testing"

	"github.com/flicket/flicket/backend/internal/model"
)

// TestCounterDeltas pins the one function every counter change comes from:
// each domain change's before/after state gives exactly these deltas.
func TestCounterDeltas(t *testing.T) {
	alice, bob, carol := int64(1), int64(2), int64(3)
	open := model.TicketCell{CategoryID: 5, StatusID: model.StatusOpen, PriorityID: model.PriorityLow}
	inWork := open
	inWork.StatusID = model.StatusInWork
	ticket := model.Counted{Exists: true, Cell: open, Starter: &alice, Hours: 150}
	assigned := ticket
	assigned.Cell, assigned.Assignee = inWork, &bob
	reassigned := assigned
	reassigned.Assignee = &carol
	selfAssigned := assigned
	selfAssigned.Assignee = &alice
	withReplies := func(c model.Counted, posts ...model.CountedPost) model.Counted {
		c.Posts = posts
		return c
	}
	bobsReply := model.CountedPost{Author: &bob, Hours: 25}
	bobsLongerReply := model.CountedPost{Author: &bob, Hours: 100}
	orphanReply := model.CountedPost{Hours: 10} // its author's account is gone

	cases := []struct {
		name          string
		before, after model.Counted
		want          model.CounterDelta
	}{
		{"create a ticket", model.Counted{}, ticket, model.CounterDelta{
			Tickets: map[model.TicketCell]int64{open: 1}, TotalPosts: map[int64]int64{alice: 1}, Assigned: map[int64]int64{},
			Started: map[int64]int64{alice: 1}, TotalHours: 150}},
		{"delete it with its replies", withReplies(assigned, bobsReply, orphanReply), model.Counted{}, model.CounterDelta{
			Tickets: map[model.TicketCell]int64{inWork: -1}, TotalPosts: map[int64]int64{alice: -1, bob: -1},
			Assigned: map[int64]int64{bob: -1}, Started: map[int64]int64{alice: -1}, NumReplies: -2, TotalHours: -185}},
		{"its starter takes it: self-assigned", ticket, selfAssigned, model.CounterDelta{
			Tickets: map[model.TicketCell]int64{open: -1, inWork: 1}, TotalPosts: map[int64]int64{}, Assigned: map[int64]int64{alice: 1},
			SelfAssigned: map[int64]int64{alice: 1}}},
		{"reassigned from its starter", selfAssigned, assigned, model.CounterDelta{
			Tickets: map[model.TicketCell]int64{}, TotalPosts: map[int64]int64{}, Assigned: map[int64]int64{alice: -1, bob: 1},
			SelfAssigned: map[int64]int64{alice: -1}}},
		{"delete a self-assigned ticket", selfAssigned, model.Counted{}, model.CounterDelta{
			Tickets: map[model.TicketCell]int64{inWork: -1}, TotalPosts: map[int64]int64{alice: -1}, Assigned: map[int64]int64{alice: -1},
			Started: map[int64]int64{alice: -1}, SelfAssigned: map[int64]int64{alice: -1}, TotalHours: -150}},
		{"assign: In Work, the assignee counted", ticket, assigned, model.CounterDelta{
			Tickets: map[model.TicketCell]int64{open: -1, inWork: 1}, TotalPosts: map[int64]int64{}, Assigned: map[int64]int64{bob: 1}}},
		{"reassign moves total_assigned only", assigned, reassigned, model.CounterDelta{
			Tickets: map[model.TicketCell]int64{}, TotalPosts: map[int64]int64{}, Assigned: map[int64]int64{bob: -1, carol: 1}}},
		{"reply", ticket, withReplies(ticket, bobsReply), model.CounterDelta{
			Tickets: map[model.TicketCell]int64{}, TotalPosts: map[int64]int64{bob: 1}, Assigned: map[int64]int64{}, NumReplies: 1, TotalHours: 25}},
		{"edit a reply's hours", withReplies(ticket, bobsReply), withReplies(ticket, bobsLongerReply), model.CounterDelta{
			Tickets: map[model.TicketCell]int64{}, TotalPosts: map[int64]int64{}, Assigned: map[int64]int64{}, TotalHours: 75}},
		{"delete an orphan reply", withReplies(ticket, orphanReply), ticket, model.CounterDelta{
			Tickets: map[model.TicketCell]int64{}, TotalPosts: map[int64]int64{}, Assigned: map[int64]int64{}, NumReplies: -1, TotalHours: -10}},
		{"nothing changes", assigned, assigned, model.CounterDelta{
			Tickets: map[model.TicketCell]int64{}, TotalPosts: map[int64]int64{}, Assigned: map[int64]int64{}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := model.CounterDeltas(c.before, c.after)
			// A nil map in want is an empty one.
			if !maps.Equal(got.Tickets, c.want.Tickets) || !maps.Equal(got.TotalPosts, c.want.TotalPosts) ||
				!maps.Equal(got.Assigned, c.want.Assigned) || !maps.Equal(got.Started, c.want.Started) ||
				!maps.Equal(got.SelfAssigned, c.want.SelfAssigned) || got.NumReplies != c.want.NumReplies || got.TotalHours != c.want.TotalHours {
				t.Errorf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

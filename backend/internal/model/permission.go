package model

// Every permission rule of Flicket, in one place. The role rules decide the
// route guards (api/routes.go) and GET /me's `can`; the object rules are
// checked by the domain functions (ChangeStatus, AddReply, ...) and reported
// to clients as the `can` objects of a ticket, a reply and a subscription,
// so the web app shows exactly the actions the server would accept.
//
// An object rule answers nil (allowed), a ForbiddenError (the user may not)
// or a ConflictError (nobody may, in this state). Checks that depend on the
// request's input (assigning to a disabled account, setting the status the
// ticket already has) stay in the domain function.

// UserCan is what a user may do outside any one ticket: the areas of the
// administration, by role.
type UserCan struct {
	// ManageUsers: create, edit and delete accounts, and the groups.
	ManageUsers bool
	// ManageDepartments: add, rename and delete departments and categories.
	ManageDepartments bool
	// ManageConfig: the configuration, the test mail and the mail outbox.
	ManageConfig bool
	// DeleteTickets: delete any ticket.
	DeleteTickets bool
}

// Can reports the role rules for u (nothing for nil).
func (u *User) Can() UserCan {
	if u == nil {
		return UserCan{}
	}
	return UserCan{
		ManageUsers:       u.IsAdmin,
		ManageDepartments: u.IsAdminOrSuper(),
		ManageConfig:      u.IsAdmin,
		DeleteTickets:     u.IsAdmin,
	}
}

// CanSeeAccountOf tells whether u sees other's account settings (locale,
// disabled, groups): their own, or anyone's for who manages users.
func (u *User) CanSeeAccountOf(other *User) bool {
	return u != nil && other != nil && (u.ID == other.ID || u.Can().ManageUsers)
}

// TicketCan is what a user may do to one ticket.
type TicketCan struct {
	Edit           bool
	Delete         bool
	Reply          bool
	Claim          bool
	Release        bool
	Assign         bool
	Close          bool
	ChangeStatus   bool
	ChangePriority bool
	ChangeCategory bool
	// Subscribe: oneself; SubscribeOthers: anyone.
	Subscribe       bool
	SubscribeOthers bool
	// ChangeStatusTo lists the statuses ChangeStatus (or a reply) may set:
	// every status but Closed.
	ChangeStatusTo []int64
}

// Can reports every ticket rule for u. statuses are the existing statuses'
// ids (for ChangeStatusTo).
func (t *Ticket) Can(u *User, s *Settings, statuses []int64) TicketCan {
	ok := func(err error) bool { return err == nil }
	c := TicketCan{
		Edit:            ok(t.CanEdit(u)),
		Delete:          ok(t.CanDelete(u)),
		Reply:           ok(t.CanPost(u)),
		Claim:           ok(t.CanClaim(u)),
		Release:         ok(t.CanRelease(u)),
		Assign:          ok(t.CanAssign(u)),
		Close:           ok(t.CanClose(u)),
		ChangeStatus:    ok(t.CanChangeStatus(u)),
		ChangePriority:  ok(t.CanChangePriority(u)),
		ChangeCategory:  ok(t.CanChangeCategory(u, s)),
		Subscribe:       ok(t.CanSubscribe(u, u.ID)),
		SubscribeOthers: ok(t.CanSubscribe(u, 0)),
		ChangeStatusTo:  []int64{},
	}
	if c.ChangeStatus {
		for _, id := range statuses {
			if ok(t.CanSetStatus(u, id)) {
				c.ChangeStatusTo = append(c.ChangeStatusTo, id)
			}
		}
	}
	return c
}

// CanEdit allows the creator or an administrator, and not once closed (§2.2).
// It covers the ticket's body, title, hours and attachments.
func (t *Ticket) CanEdit(u *User) error {
	if !t.IsCreator(u) && !u.IsAdmin {
		return Forbidden("Only the ticket's creator or an administrator may edit it.")
	}
	if t.IsClosed() {
		return Conflict("ticket.closed", "", "A closed ticket cannot be edited.")
	}
	return nil
}

// CanDelete allows administrators only.
func (t *Ticket) CanDelete(u *User) error {
	if !u.Can().DeleteTickets {
		return Forbidden("Only administrators may delete tickets.")
	}
	return nil
}

// CanPost lets anyone reply to any ticket; a reply to a closed ticket
// reopens it.
func (t *Ticket) CanPost(*User) error { return nil }

// CanClaim lets anyone take an open ticket that is not already theirs.
func (t *Ticket) CanClaim(u *User) error {
	if t.IsClosed() {
		return Conflict("ticket.closed", "", "A closed ticket cannot be claimed.")
	}
	if t.IsAssignee(u) {
		return Conflict("ticket.already_assigned", "", "You are already assigned this ticket.")
	}
	return nil
}

// CanRelease allows the assignee or an administrator, on an assigned ticket.
func (t *Ticket) CanRelease(u *User) error {
	if t.AssignedID == nil {
		return Conflict("ticket.not_assigned", "", "The ticket is not assigned to anyone.")
	}
	if !t.IsAssignee(u) && !u.IsAdmin {
		return Forbidden("Only the assignee or an administrator may release the ticket.")
	}
	return nil
}

// CanAssign lets anyone give an open ticket to someone.
func (t *Ticket) CanAssign(*User) error {
	if t.IsClosed() {
		return Conflict("ticket.closed", "", "A closed ticket cannot be assigned.")
	}
	return nil
}

// CanClose allows the creator, the assignee or an administrator (§2.2).
func (t *Ticket) CanClose(u *User) error {
	if !t.IsCreator(u) && !t.IsAssignee(u) && !u.IsAdmin {
		return Forbidden("Only the ticket's creator, its assignee or an administrator may close it.")
	}
	if t.IsClosed() {
		return Conflict("ticket.already_closed", "", "The ticket is already closed.")
	}
	return nil
}

// CanChangeStatus lets anyone change the status, closed tickets included
// (that reopens them); which status is CanSetStatus's question.
func (t *Ticket) CanChangeStatus(*User) error { return nil }

// CanSetStatus refuses Closed: closing is CanClose's, with its own rule and
// endpoint. (Setting the status the ticket already has is a conflict of the
// request, not a rule: ChangeStatus answers it.)
func (t *Ticket) CanSetStatus(u *User, statusID int64) error {
	if err := t.CanChangeStatus(u); err != nil {
		return err
	}
	if statusID == StatusClosed {
		return errClosedStatus(t.ID)
	}
	return nil
}

// CanChangePriority lets anyone change the priority of an open ticket.
func (t *Ticket) CanChangePriority(*User) error {
	if t.IsClosed() {
		return Conflict("ticket.closed", "", "A closed ticket's priority cannot be changed.")
	}
	return nil
}

// CanChangeCategory applies the config switches (§2.2, §3.9).
func (t *Ticket) CanChangeCategory(u *User, s *Settings) error {
	if !s.ChangeCategory && !u.IsAdmin {
		return Forbidden("Changing a ticket's category is switched off.")
	}
	if s.ChangeCategoryOnlyAdminOrSuperUser && !u.IsAdminOrSuper() {
		return Forbidden("Only administrators and super users may change a ticket's category.")
	}
	if t.IsClosed() {
		return Conflict("ticket.closed", "", "A closed ticket's category cannot be changed.")
	}
	return nil
}

// CanSubscribe lets anyone subscribe themself; subscribing someone else
// (who then gets mail from the help desk's address) is for administrators,
// super users, and the ticket's creator and assignee. userID is who would be
// subscribed (0: someone other than actor).
func (t *Ticket) CanSubscribe(actor *User, userID int64) error {
	if userID == actor.ID || actor.IsAdminOrSuper() || t.IsCreator(actor) || t.IsAssignee(actor) {
		return nil
	}
	return Forbidden("Only administrators, super users, and the ticket's creator and assignee may subscribe other people.")
}

// PostCan is what a user may do to one reply.
type PostCan struct {
	Edit   bool
	Delete bool
}

// Can reports the reply rules for u; t is the reply's ticket.
func (p *Post) Can(u *User, t *Ticket) PostCan {
	return PostCan{Edit: p.CanEdit(u, t) == nil, Delete: p.CanDelete(u) == nil}
}

// CanAsCreated is Can for a reply CreatePost has just written: its ticket
// is open then (a reply reopens a closed ticket and may not close one).
func (p *Post) CanAsCreated(u *User) PostCan {
	return p.Can(u, &Ticket{ID: p.TicketID, StatusID: StatusOpen})
}

// CanEdit lets the author or an administrator edit the reply, and only
// while the ticket is open.
func (p *Post) CanEdit(u *User, t *Ticket) error {
	if !p.IsAuthor(u) && !u.IsAdmin {
		return Forbidden("Only the reply's author or an administrator may edit it.")
	}
	if t.IsClosed() {
		return Conflict("ticket.closed", "", "Replies on a closed ticket cannot be edited.")
	}
	return nil
}

// CanDelete lets the author or an administrator delete the reply (the
// original let anyone, S3).
func (p *Post) CanDelete(u *User) error {
	if !p.IsAuthor(u) && !u.IsAdmin {
		return Forbidden("Only the reply's author or an administrator may delete it.")
	}
	return nil
}

// SubscriptionCan is what a user may do to one subscription.
type SubscriptionCan struct {
	Remove bool
}

// Can reports the subscription rules for u.
func (s *Subscription) Can(u *User) SubscriptionCan {
	return SubscriptionCan{Remove: s.CanUnsubscribe(u) == nil}
}

// CanUnsubscribe lets a user end their own subscription, and administrators
// and super users end anyone's.
func (s *Subscription) CanUnsubscribe(u *User) error {
	if s.UserID != u.ID && !u.IsAdminOrSuper() {
		return Forbidden("Only administrators and super users may unsubscribe other people.")
	}
	return nil
}

// Can applies Subscription.Can.
func (s *SubscriptionView) Can(u *User) SubscriptionCan { return s.row().Can(u) }

// CanUnsubscribe applies Subscription.CanUnsubscribe.
func (s *SubscriptionView) CanUnsubscribe(u *User) error { return s.row().CanUnsubscribe(u) }

func (s *SubscriptionView) row() *Subscription {
	return &Subscription{ID: s.ID, TicketID: s.TicketID, UserID: s.UserID}
}

/**
 * What the signed-in user may do to a ticket, mirroring the server's rules
 * (model.Ticket.Can*): buttons for actions the server would refuse are not
 * shown. The server still decides.
 */
import type { Ticket, User } from '../../api/types'

export const STATUS_CLOSED = 2

export interface TicketPermissions {
  edit: boolean
  close: boolean
  claim: boolean
  release: boolean
  assign: boolean
  delete: boolean
  changeCategory: boolean
  reply: boolean
  /** Subscribe someone other than oneself. */
  subscribeOthers: boolean
  /** Remove this user's subscription. */
  unsubscribe: (userId: number | undefined) => boolean
}

export function ticketPermissions(
  t: Ticket | undefined,
  u: User | null | undefined,
): TicketPermissions {
  const none: TicketPermissions = {
    edit: false,
    close: false,
    claim: false,
    release: false,
    assign: false,
    delete: false,
    changeCategory: false,
    reply: false,
    subscribeOthers: false,
    unsubscribe: () => false,
  }
  if (!t || !u) return none
  const admin = u.is_admin
  const super_ = u.is_super_user
  const closed = t.status_id === STATUS_CLOSED
  const creator = t.started_id === u.id
  const assignee = t.assigned_id === u.id
  return {
    edit: (creator || admin) && !closed,
    close: (creator || assignee || admin) && !closed,
    claim: !assignee && !closed,
    release: (assignee || admin) && t.assigned_id !== null,
    assign: !closed,
    delete: admin,
    changeCategory: (admin || super_) && !closed,
    reply: true,
    subscribeOthers: admin || super_ || creator || assignee,
    unsubscribe: (userId) => userId === u.id || admin || super_,
  }
}

/**
 * Triage from the ticket page: one field changed is one call to the
 * workflow endpoint of that field, and its undo is the change back, through
 * the same endpoints. The server holds the change's mails for its undo
 * window, so an undo by the same user sends nothing (api ticket_workflow.go).
 */
import type { TicketDetail } from '../../api/types'
import {
  assignTicket,
  changeCategory,
  changePriority,
  claimTicket,
  releaseTicket,
  setTicketStatus,
} from './api'

/** The seeded statuses' fixed ids (see labels.ts). */
export const STATUS_OPEN = 1
export const STATUS_CLOSED = 2
export const STATUS_IN_WORK = 3

/** How long the undo toast stays (the server holds mails 15 s). */
export const UNDO_MS = 10_000

export type TriageField = 'status' | 'priority' | 'category' | 'assignee'

/** One call to a workflow endpoint. */
export type TriageOp =
  | { kind: 'status'; id: number }
  | { kind: 'priority'; id: number }
  | { kind: 'category'; id: number }
  | { kind: 'assign'; userId: number }
  | { kind: 'claim' }
  | { kind: 'release' }

/**
 * The call that sets the assignee to userId (null: nobody) for the signed-in
 * user meId, or null when the ticket's can does not allow it.
 */
export function assigneeOp(tk: TicketDetail, userId: number | null, meId: number): TriageOp | null {
  if (userId === null) return tk.can.release ? { kind: 'release' } : null
  if (userId === meId) return tk.can.claim ? { kind: 'claim' } : null
  return tk.can.assign ? { kind: 'assign', userId } : null
}

const assigneeId = (tk: TicketDetail) => tk.assigned_to?.id ?? null

/**
 * The calls that undo the change of field from before to after, in order,
 * as after's can allows them; null when the undo is not allowed (or there
 * is nothing to undo). Undoing an assignment also puts the status back,
 * since assigning set it to In Work.
 */
export function undoOps(
  before: TicketDetail,
  after: TicketDetail,
  field: TriageField,
  meId: number,
): TriageOp[] | null {
  const can = after.can
  switch (field) {
    case 'status':
      // A reopen is undone by closing, which is its own action (and mail).
      if (before.status_id === after.status_id || before.status_id === STATUS_CLOSED) return null
      return can.change_status_to.includes(before.status_id)
        ? [{ kind: 'status', id: before.status_id }]
        : null
    case 'priority':
      if (before.ticket_priority_id === after.ticket_priority_id || !can.change_priority)
        return null
      return [{ kind: 'priority', id: before.ticket_priority_id }]
    case 'category':
      if (before.category_id === after.category_id || !can.change_category) return null
      return [{ kind: 'category', id: before.category_id }]
    case 'assignee': {
      const was = assigneeId(before)
      if (was === assigneeId(after)) return null
      const back = assigneeOp(after, was, meId)
      if (!back) return null
      // Releasing sets Open, assigning In Work: then the status it had.
      const statusAfterBack = was === null ? STATUS_OPEN : STATUS_IN_WORK
      const ops: TriageOp[] = [back]
      if (before.status_id !== statusAfterBack) {
        if (!can.change_status_to.includes(before.status_id)) return null
        ops.push({ kind: 'status', id: before.status_id })
      }
      return ops
    }
  }
}

/** Runs one call; the answer is the ticket as changed. */
export function runOp(ticketId: number, op: TriageOp): Promise<TicketDetail> {
  switch (op.kind) {
    case 'status':
      return setTicketStatus(ticketId, op.id)
    case 'priority':
      return changePriority(ticketId, op.id)
    case 'category':
      return changeCategory(ticketId, op.id)
    case 'assign':
      return assignTicket(ticketId, op.userId)
    case 'claim':
      return claimTicket(ticketId)
    case 'release':
      return releaseTicket(ticketId)
  }
}

/** Runs calls one after the other; the answer is the last one's. */
export async function runOps(ticketId: number, ops: TriageOp[]): Promise<TicketDetail | null> {
  let last: TicketDetail | null = null
  for (const op of ops) last = await runOp(ticketId, op)
  return last
}

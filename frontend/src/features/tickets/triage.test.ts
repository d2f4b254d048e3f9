import { describe, expect, it } from 'vitest'
import { ticketDetailFixture } from '../../test/fixtures'
import { assigneeOp, undoOps } from './triage'

const ME = 5
const ann = { id: 7, name: 'Ann', username: 'ann' }
const me = { id: ME, name: 'Me', username: 'me' }
const all = {
  assign: true,
  claim: true,
  release: true,
  change_status: true,
  change_status_to: [1, 3, 4],
}

describe('assigneeOp', () => {
  const tk = ticketDetailFixture({}, all)
  it('claims for me, assigns anyone else, releases for nobody', () => {
    expect(assigneeOp(tk, ME, ME)).toEqual({ kind: 'claim' })
    expect(assigneeOp(tk, 7, ME)).toEqual({ kind: 'assign', userId: 7 })
    expect(assigneeOp(tk, null, ME)).toEqual({ kind: 'release' })
  })
  it('asks nothing the ticket can refuses', () => {
    const none = ticketDetailFixture({}, {})
    expect(assigneeOp(none, ME, ME)).toBeNull()
    expect(assigneeOp(none, 7, ME)).toBeNull()
    expect(assigneeOp(none, null, ME)).toBeNull()
  })
})

describe('undoOps', () => {
  it('sets the status, priority or category back', () => {
    const before = ticketDetailFixture({ status_id: 4, ticket_priority_id: 3, category_id: 1 })
    const after = ticketDetailFixture(
      { status_id: 1, ticket_priority_id: 1, category_id: 9 },
      { ...all, change_priority: true, change_category: true },
    )
    expect(undoOps(before, after, 'status', ME)).toEqual([{ kind: 'status', id: 4 }])
    expect(undoOps(before, after, 'priority', ME)).toEqual([{ kind: 'priority', id: 3 }])
    expect(undoOps(before, after, 'category', ME)).toEqual([{ kind: 'category', id: 1 }])
  })

  it('offers no undo the changed ticket can refuses, nor of a reopen', () => {
    const before = ticketDetailFixture({ status_id: 4, ticket_priority_id: 3 })
    const after = ticketDetailFixture({ status_id: 1, ticket_priority_id: 1 }, {})
    expect(undoOps(before, after, 'status', ME)).toBeNull()
    expect(undoOps(before, after, 'priority', ME)).toBeNull()
    const closed = ticketDetailFixture({ status_id: 2 })
    expect(undoOps(closed, ticketDetailFixture({ status_id: 1 }, all), 'status', ME)).toBeNull()
  })

  it('undoes "assign to me" by a release, then puts the status back', () => {
    const before = ticketDetailFixture({ status_id: 4, assigned_to: null })
    const after = ticketDetailFixture({ status_id: 3, assigned_to: me }, all)
    expect(undoOps(before, after, 'assignee', ME)).toEqual([
      { kind: 'release' },
      { kind: 'status', id: 4 },
    ])
    // From Open, the release alone brings it back.
    const open = ticketDetailFixture({ status_id: 1, assigned_to: null })
    expect(undoOps(open, after, 'assignee', ME)).toEqual([{ kind: 'release' }])
  })

  it('undoes a reassignment by assigning the previous assignee again', () => {
    const before = ticketDetailFixture({ status_id: 3, assigned_to: ann })
    const after = ticketDetailFixture({ status_id: 3, assigned_to: me }, all)
    expect(undoOps(before, after, 'assignee', ME)).toEqual([{ kind: 'assign', userId: 7 }])
  })

  it('offers no undo of an assignment when the release would be refused', () => {
    const before = ticketDetailFixture({ assigned_to: null })
    const after = ticketDetailFixture(
      { status_id: 3, assigned_to: ann },
      { ...all, release: false },
    )
    expect(undoOps(before, after, 'assignee', ME)).toBeNull()
  })
})

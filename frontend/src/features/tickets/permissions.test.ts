import { describe, expect, it } from 'vitest'
import { ticketFixture as ticket, userFixture } from '../../test/fixtures'
import { ticketPermissions } from './permissions'

const user = (id: number, roles: { admin?: boolean; super?: boolean } = {}) =>
  userFixture({ id, is_admin: roles.admin ?? false, is_super_user: roles.super ?? false })

describe('ticket permissions', () => {
  it('lets the creator edit and close, not delete', () => {
    const p = ticketPermissions(ticket({ started_id: 5 }), user(5))
    expect(p).toMatchObject({
      edit: true,
      close: true,
      delete: false,
      release: false,
      claim: true,
      subscribeOthers: true,
    })
  })

  it('lets the assignee close and release but not edit', () => {
    const p = ticketPermissions(ticket({ started_id: 1, assigned_id: 6 }), user(6))
    expect(p).toMatchObject({
      edit: false,
      close: true,
      release: true,
      claim: false,
      subscribeOthers: true,
    })
  })

  it('gives a stranger only claim, assign and reply', () => {
    const p = ticketPermissions(ticket({ started_id: 1, assigned_id: 6 }), user(7))
    expect(p).toMatchObject({
      edit: false,
      close: false,
      release: false,
      delete: false,
      claim: true,
      assign: true,
      reply: true,
      subscribeOthers: false,
    })
    expect(p.unsubscribe(7)).toBe(true)
    expect(p.unsubscribe(6)).toBe(false)
    expect(p.changeCategory).toBe(false)
  })

  it('gives an administrator everything', () => {
    const p = ticketPermissions(ticket({ started_id: 1, assigned_id: 6 }), user(9, { admin: true }))
    expect(p).toMatchObject({
      edit: true,
      close: true,
      release: true,
      delete: true,
      changeCategory: true,
    })
    expect(p.unsubscribe(6)).toBe(true)
  })

  it('lets a super user change the category and unsubscribe others, not delete', () => {
    const p = ticketPermissions(ticket({ started_id: 1 }), user(9, { super: true }))
    expect(p).toMatchObject({ changeCategory: true, delete: false, subscribeOthers: true })
    expect(p.unsubscribe(3)).toBe(true)
  })

  it('freezes a closed ticket', () => {
    const p = ticketPermissions(ticket({ started_id: 5, status_id: 2 }), user(5, { admin: true }))
    expect(p).toMatchObject({
      edit: false,
      close: false,
      assign: false,
      claim: false,
      changeCategory: false,
      reply: true,
    })
  })
})

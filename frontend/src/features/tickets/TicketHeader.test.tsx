import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ticketFixture, userFixture } from '../../test/fixtures'
import { mockApi, renderPage } from '../../test/render'
import { ticketPermissions } from './permissions'
import { TicketHeader } from './TicketHeader'

const ticket = ticketFixture({
  id: 42,
  number: '00042',
  title: 'Printer',
  started_id: 1,
  assigned_id: 7,
  assigned_to: { id: 7, name: 'Ann Signee', username: 'asignee' },
})
const show = (user: { id: number; is_admin?: boolean }) => {
  mockApi({})
  renderPage(<TicketHeader ticket={ticket} perms={ticketPermissions(ticket, userFixture(user))} />)
}

describe('TicketHeader actions', () => {
  it('shows an administrator every action', () => {
    show({ id: 9, is_admin: true })
    for (const id of [
      'action-claim',
      'action-release',
      'action-assign',
      'action-close',
      'action-edit',
      'action-delete',
    ]) {
      expect(screen.getByTestId(id)).toBeInTheDocument()
    }
    expect(screen.getByTestId('ticket-heading')).toHaveTextContent('#00042 Printer')
  })

  it('hides what a stranger may not do', () => {
    show({ id: 5 })
    expect(screen.getByTestId('action-claim')).toBeInTheDocument()
    for (const id of ['action-release', 'action-close', 'action-edit', 'action-delete']) {
      expect(screen.queryByTestId(id)).toBeNull()
    }
  })

  it('lets the assignee release and close but not claim', () => {
    show({ id: 7 })
    expect(screen.getByTestId('action-release')).toBeInTheDocument()
    expect(screen.getByTestId('action-close')).toBeInTheDocument()
    expect(screen.queryByTestId('action-claim')).toBeNull()
  })
})

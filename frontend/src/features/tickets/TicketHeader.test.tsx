import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { TicketDetail } from '../../api/types'
import { meFixture, ticketDetailFixture } from '../../test/fixtures'
import { mockApi, renderPage } from '../../test/render'
import { TicketHeader } from './TicketHeader'

const user = meFixture({ id: 5 })

// Each button and the can key that shows it (assigning, claiming, releasing
// and re-filing are the triage fields' now: TriageFields.test.tsx).
const buttons: [string, keyof TicketDetail['can']][] = [
  ['action-close', 'close'],
  ['action-edit', 'edit'],
  ['action-delete', 'delete'],
]

const show = (can: Partial<TicketDetail['can']>) => {
  mockApi({})
  const ticket = ticketDetailFixture(
    {
      id: 42,
      number: '00042',
      title: 'Printer',
      started_id: 1,
      assigned_id: 7,
      assigned_to: { id: 7, name: 'Ann Signee', username: 'asignee' },
    },
    can,
  )
  renderPage(<TicketHeader ticket={ticket} />, { user })
}

describe('TicketHeader actions', () => {
  it('shows every action the ticket can allows', () => {
    show(Object.fromEntries(buttons.map(([, key]) => [key, true])))
    for (const [id] of buttons) expect(screen.getByTestId(id)).toBeInTheDocument()
    expect(screen.getByTestId('ticket-heading')).toHaveTextContent('#00042 Printer')
  })

  it('shows none when can allows none', () => {
    show({})
    for (const [id] of buttons) expect(screen.queryByTestId(id)).toBeNull()
  })

  it.each(buttons)('shows %s for can.%s alone', (id, key) => {
    show({ [key]: true })
    for (const [other] of buttons) {
      if (other === id) expect(screen.getByTestId(other)).toBeInTheDocument()
      else expect(screen.queryByTestId(other)).toBeNull()
    }
  })
})

describe('a closed ticket', () => {
  it('shows its status and offers Reopen when it may be set Open', async () => {
    const calls = mockApi({ 'POST /flicket-api/ticket/42/status': [200, ticketDetailFixture()] })
    renderPage(
      <TicketHeader
        ticket={ticketDetailFixture(
          { id: 42, status_id: 2, status: 'Closed' },
          { change_status: true, change_status_to: [1, 3, 4] },
        )}
      />,
      { user },
    )
    expect(screen.getByTestId('ticket-status')).toHaveTextContent('Closed')
    await userEvent.click(screen.getByTestId('action-reopen'))
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST')).toMatchObject({
        path: '/flicket-api/ticket/42/status',
        body: { status_id: 1 },
      }),
    )
  })

  it('offers no Reopen on an open ticket', () => {
    mockApi({})
    renderPage(
      <TicketHeader
        ticket={ticketDetailFixture({ id: 42, status_id: 1 }, { change_status_to: [1, 3, 4] })}
      />,
      { user },
    )
    expect(screen.queryByTestId('action-reopen')).toBeNull()
  })
})

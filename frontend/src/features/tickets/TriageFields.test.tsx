import { Notifications, notifications } from '@mantine/notifications'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import type { TicketDetail } from '../../api/types'
import { meFixture, pageOf, ticketDetailFixture, userFixture } from '../../test/fixtures'
import { mockApi, renderPage, type MockAnswer } from '../../test/render'
import { TriageFields } from './TriageFields'

const statuses = pageOf(
  ['Open', 'Closed', 'In Work', 'Awaiting Information'].map((status, i) => ({
    id: i + 1,
    status,
    links: { self: '', statuses: '' },
  })),
)
const priorities = pageOf(
  ['low', 'medium', 'high'].map((priority, i) => ({
    id: i + 1,
    priority,
    links: { self: '', priorities: '' },
  })),
)
const ME = 5
const everything: Partial<TicketDetail['can']> = {
  assign: true,
  claim: true,
  change_status: true,
  change_status_to: [1, 3, 4],
  change_priority: true,
}

function show(tk: TicketDetail, more: Record<string, MockAnswer> = {}) {
  const calls = mockApi({
    'GET /flicket-api/statuses/': [200, statuses],
    'GET /flicket-api/priorities/': [200, priorities],
    ...more,
  })
  renderPage(
    <>
      <Notifications />
      <TriageFields ticket={tk} />
    </>,
    { user: meFixture({ id: ME, name: 'Me Myself', username: 'me' }) },
  )
  return calls
}

const posts = (calls: ReturnType<typeof mockApi>) =>
  calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body])

describe('TriageFields', () => {
  // The toasts' store outlives each test's page.
  beforeEach(() => notifications.clean())

  it('saves a priority at once, and Undo sets it back', async () => {
    const tk = ticketDetailFixture({ id: 42, ticket_priority_id: 3, priority: 'high' }, everything)
    const calls = show(tk, {
      'POST /flicket-api/ticket/42/priority': (_u, body) => {
        const id = (body as { ticket_priority_id: number }).ticket_priority_id
        return [200, { ...tk, ticket_priority_id: id, priority: id === 1 ? 'low' : 'high' }]
      },
    })
    await userEvent.click(screen.getByTestId('triage-priority'))
    await userEvent.click(await screen.findByRole('option', { name: 'Low' }))
    expect(await screen.findByTestId('triage-toast')).toHaveTextContent('Priority set to Low.')
    await userEvent.click(screen.getByTestId('triage-undo'))
    await waitFor(() =>
      expect(posts(calls)).toEqual([
        ['/flicket-api/ticket/42/priority', { ticket_priority_id: 1 }],
        ['/flicket-api/ticket/42/priority', { ticket_priority_id: 3 }],
      ]),
    )
    expect(await screen.findByText('The change has been undone.')).toBeInTheDocument()
  })

  it('"Assign to me" claims, and says the status became In Work', async () => {
    const tk = ticketDetailFixture(
      { id: 42, status_id: 4, status: 'Awaiting Information' },
      everything,
    )
    const calls = show(tk, {
      'POST /flicket-api/ticket/42/claim': [
        200,
        {
          ...tk,
          status_id: 3,
          status: 'In Work',
          assigned_to: { id: ME, name: 'Me Myself', username: 'me' },
          can: { ...tk.can, claim: false, release: true },
        },
      ],
    })
    await userEvent.click(screen.getByTestId('triage-assign-me'))
    const toast = await screen.findByTestId('triage-toast')
    expect(toast).toHaveTextContent('Assigned to Me Myself. The status is now In work.')
    expect(posts(calls)).toEqual([['/flicket-api/ticket/42/claim', undefined]])
    // The undo releases, then puts Awaiting information back.
    expect(screen.getByTestId('triage-undo')).toBeInTheDocument()
  })

  it('suggests people for this ticket as soon as the assignee box has focus, enabled accounts only', async () => {
    const tk = ticketDetailFixture({ id: 42 }, everything)
    const calls = show(tk, {
      'GET /flicket-api/users/': [
        200,
        pageOf([userFixture({ id: 7, name: 'Ann Signee', username: 'ann' })]),
      ],
      'POST /flicket-api/ticket/42/assign': [
        200,
        {
          ...tk,
          status_id: 3,
          status: 'In Work',
          assigned_to: { id: 7, name: 'Ann Signee', username: 'ann' },
        },
      ],
    })
    await userEvent.click(screen.getByTestId('triage-assignee'))
    await userEvent.click(await screen.findByRole('option', { name: 'Ann Signee (ann)' }))
    const search = calls.find((c) => c.path === '/flicket-api/users/')
    expect(search?.query.get('disabled')).toBe('false')
    expect(search?.query.get('for_ticket')).toBe('42')
    expect(search?.query.get('q')).toBeNull()
    await waitFor(() =>
      expect(posts(calls)).toEqual([['/flicket-api/ticket/42/assign', { user_id: 7 }]]),
    )
    expect(await screen.findByTestId('triage-toast')).toHaveTextContent(
      'Assigned to Ann Signee. The status is now In work.',
    )
  })

  it('shows a closed ticket as Closed, never blank, and fields it may not change read-only', async () => {
    const tk = ticketDetailFixture(
      { id: 42, status_id: 2, status: 'Closed' },
      { change_status: true, change_status_to: [1, 3, 4] },
    )
    show(tk)
    await waitFor(() => expect(screen.getByTestId('triage-status')).toHaveValue('Closed'))
    expect(screen.getByTestId('triage-priority')).toBeDisabled()
    expect(screen.getByTestId('triage-assignee')).toBeDisabled()
    expect(screen.getByTestId('triage-category')).toBeDisabled()
    expect(screen.queryByTestId('triage-assign-me')).toBeNull()
    await userEvent.click(screen.getByTestId('triage-status'))
    const listbox = await screen.findByRole('listbox')
    expect(
      within(listbox)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Open', 'Closed', 'In work', 'Awaiting information'])
  })
})

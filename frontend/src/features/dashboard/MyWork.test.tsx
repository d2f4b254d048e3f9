import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { meFixture, pageOf, ticketFixture } from '../../test/fixtures'
import { renderApp } from '../../test/app'
import { mockApi } from '../../test/render'

const me = meFixture({ id: 7, username: 'tess' })
const section = (total: number, items: ReturnType<typeof ticketFixture>[], query: string) => ({
  total,
  items,
  query,
})

describe('my work on the dashboard, and the queue counts', () => {
  it('shows each section with its total, unread in bold and a see-all link', async () => {
    mockApi({
      'GET /flicket-api/me/dashboard': [
        200,
        {
          assigned: section(
            7,
            [ticketFixture({ id: 3, title: 'Printer', unread: true })],
            'assigned_id=7&state=open',
          ),
          waiting: section(0, [], 'view=waiting'),
          following: section(1, [ticketFixture({ id: 4, title: 'Mail' })], 'view=subscribed'),
        },
      ],
      'GET /flicket-api/me/queues': [
        200,
        { all: 30, mine: 9, created: 2, assigned: 7, subscribed: 12, waiting: 0 },
      ],
      'GET /flicket-api/stats': [200, { high_priority_open: [], departments: [] }],
      'GET /flicket-api/tickets/': [200, pageOf([])],
    })
    renderApp('/', me)
    expect(await screen.findByTestId('my-assigned-total')).toHaveTextContent('7')
    expect(screen.getByTestId('my-assigned-all')).toHaveAttribute(
      'href',
      '/tickets?assigned_id=7&state=open',
    )
    expect(screen.getByTestId('my-assigned-all')).toHaveTextContent('See all 7 tickets')
    expect(screen.getByText('#00003 Printer')).toHaveAttribute('data-unread')
    expect(screen.getByTestId('my-waiting')).toHaveTextContent('Nothing waits on you.')
    expect(screen.queryByTestId('my-waiting-all')).toBeNull()
    expect(await screen.findByTestId('nav-assigned-count')).toHaveTextContent('7')
    expect(screen.getByTestId('nav-tickets-count')).toHaveTextContent('30')
  })
})

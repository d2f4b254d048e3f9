/**
 * Point 4 of the daily-use work, "what changed": unread rows are bold in the
 * list, and opening a ticket marks it seen and says how many replies are new.
 */
import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import {
  meFixture,
  pageOf,
  postFixture,
  ticketDetailFixture,
  ticketFixture,
} from '../test/fixtures'
import { renderApp } from '../test/app'
import { mockApi } from '../test/render'

const me = meFixture({ id: 7, username: 'tess' })

describe('unread markers', () => {
  it('marks unread rows, with a word for screen readers', async () => {
    mockApi({
      'GET /flicket-api/tickets/': [
        200,
        pageOf([
          ticketFixture({ id: 1, title: 'Seen one', unread: false }),
          ticketFixture({ id: 2, title: 'New one', unread: true }),
        ]),
      ],
    })
    renderApp('/tickets', me)
    const rows = await screen.findAllByTestId('ticket-row')
    expect(rows[0]).not.toHaveAttribute('data-unread')
    expect(rows[1]).toHaveAttribute('data-unread')
    expect(rows[1]).toHaveTextContent('Unread: New one')
  })

  it('marks the ticket seen on opening and says how many replies are new', async () => {
    const calls = mockApi({
      'GET /flicket-api/ticket/45': [200, ticketDetailFixture({ id: 45, title: 'Printer' })],
      'GET /flicket-api/posts/45/1/': [
        200,
        pageOf([postFixture({ id: 100 }), postFixture({ id: 101 }), postFixture({ id: 102 })]),
      ],
      'PUT /flicket-api/ticket/45/seen': [
        200,
        {
          ticket_id: 45,
          last_seen_post_id: 102,
          seen_at: 'Thu, 26 Nov 2026 17:58:16 GMT',
          previous_seen_at: 'Wed, 25 Nov 2026 17:58:16 GMT',
          new_replies: 2,
          first_unread_post_id: 101,
        },
      ],
    })
    renderApp('/tickets/45', me)
    expect(await screen.findByTestId('new-replies')).toHaveTextContent(
      '2 new replies since your last visit',
    )
    expect(calls.filter((c) => c.method === 'PUT' && c.path.endsWith('/seen'))).toHaveLength(1)
    // The first new reply is the one brought into view.
    await waitFor(() =>
      expect(document.getElementById('post-101')).toHaveAttribute('data-matched', 'true'),
    )
  })
})

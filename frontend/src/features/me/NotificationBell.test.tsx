import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { meFixture, pageOf, ticketFixture } from '../../test/fixtures'
import { renderApp } from '../../test/app'
import { mockApi } from '../../test/render'
import type { Notification } from './api'

const me = meFixture({ id: 7, username: 'tess' })
const note = (o: Partial<Notification>): Notification => ({
  actor: { id: 3, name: 'Rita Requester', username: 'rita' },
  created_at: 'Thu, 26 Nov 2026 17:58:16 GMT',
  id: 1,
  kind: 'reply',
  links: { read: '', ticket: '' },
  post_id: 17,
  read: false,
  read_at: null,
  ticket_id: 45,
  ticket_title: 'Printer jams',
  ...o,
})

describe('NotificationBell', () => {
  it('shows the unread count, lists, marks one read and opens its ticket at the reply', async () => {
    const items = [note({ id: 2 }), note({ id: 1, kind: 'assigned', post_id: null, read: true })]
    const calls = mockApi({
      'GET /flicket-api/me/notifications': (url) =>
        url.searchParams.get('unread') === 'true'
          ? [200, pageOf([items[0]], { total_items: 1 })]
          : [200, pageOf(items)],
      'GET /flicket-api/tickets/': [200, pageOf([ticketFixture()])],
    })
    renderApp('/tickets', me)
    const bell = await screen.findByTestId('notification-bell')
    await waitFor(() => expect(bell).toHaveAttribute('aria-label', 'Notifications, 1 unread'))
    await userEvent.click(bell)
    const rows = await screen.findAllByTestId('notification-item')
    expect(rows[0]).toHaveTextContent('Rita Requester replied on “Printer jams”')
    expect(rows[1]).toHaveTextContent('Rita Requester assigned you “Printer jams”')
    await userEvent.click(rows[0]!)
    await waitFor(() =>
      expect(
        calls.some((c) => c.method === 'POST' && c.path === '/flicket-api/me/notification/2/read'),
      ).toBe(true),
    )
  })

  it('marks all read', async () => {
    const calls = mockApi({
      'GET /flicket-api/me/notifications': [200, pageOf([note({})], { total_items: 1 })],
      'POST /flicket-api/me/notifications/read': [200, { marked: 1 }],
    })
    renderApp('/tickets', me)
    await userEvent.click(await screen.findByTestId('notification-bell'))
    await userEvent.click(await screen.findByTestId('notifications-read-all'))
    await waitFor(() =>
      expect(calls.some((c) => c.path === '/flicket-api/me/notifications/read')).toBe(true),
    )
  })
})

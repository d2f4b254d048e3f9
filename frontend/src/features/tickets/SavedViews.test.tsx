import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { meFixture, pageOf, ticketFixture } from '../../test/fixtures'
import { renderApp } from '../../test/app'
import { mockApi } from '../../test/render'
import type { SavedView } from './views'

const me = meFixture({ id: 7, username: 'tess' })
const view = (o: Partial<SavedView>): SavedView => ({
  can: { edit: true },
  created_at: 'Thu, 26 Nov 2026 17:58:16 GMT',
  updated_at: 'Thu, 26 Nov 2026 17:58:16 GMT',
  id: 1,
  links: { self: '', tickets: '' },
  name: 'Urgent printers',
  owner: { id: 7, name: 'Tess', username: 'tess' },
  query: 'priority=3&state=open',
  shared: false,
  ...o,
})

describe('saved views', () => {
  it('saves the filters shown, without the page, and names a taken name in its field', async () => {
    let taken = true
    const calls = mockApi({
      'GET /flicket-api/tickets/': [200, pageOf([ticketFixture()])],
      'GET /flicket-api/me/views': [
        200,
        pageOf([view({ id: 2, name: 'Team queue', shared: true, can: { edit: false } })]),
      ],
      'POST /flicket-api/me/views': () =>
        taken
          ? [
              409,
              {
                error: 'Conflict',
                code: 'view.duplicate',
                message: 'A view named "Mine" already exists.',
                errors: [
                  { field: 'name', code: 'view.duplicate', message: '', params: { name: 'Mine' } },
                ],
                params: { name: 'Mine' },
              },
            ]
          : [201, view({ id: 3, name: 'Mine' })],
    })
    renderApp('/tickets?state=closed&q=printer&page=2', me)
    await userEvent.click(await screen.findByTestId('saved-views'))
    expect(await screen.findByTestId('saved-view')).toHaveTextContent('Team queue')
    expect(screen.queryByTestId('saved-view-delete')).toBeNull()
    await userEvent.click(screen.getByTestId('saved-view-save'))
    await userEvent.type(await screen.findByTestId('saved-view-name'), 'Mine')
    expect(screen.queryByTestId('saved-view-shared')).toBeNull() // not an administrator
    await userEvent.click(screen.getByTestId('saved-view-submit'))
    expect(
      await screen.findByText(
        'You already have a view named “Mine” (or one is shared under that name).',
      ),
    ).toBeInTheDocument()
    taken = false
    await userEvent.click(screen.getByTestId('saved-view-submit'))
    await waitFor(() => expect(screen.queryByTestId('saved-view-name')).toBeNull())
    const posts = calls.filter((c) => c.method === 'POST' && c.path === '/flicket-api/me/views')
    expect(posts.at(-1)?.body).toEqual({
      name: 'Mine',
      query: 'state=closed&q=printer',
      shared: false,
    })
  })
})

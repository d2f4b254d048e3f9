import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { meFixture, pageOf, userFixture } from '../../test/fixtures'
import { mockApi, renderPage } from '../../test/render'
import { UsersPage } from './UsersPage'

const people = [
  userFixture({ id: 1, username: 'admin', name: 'Ada Min', is_admin: true, total_posts: 1234 }),
  userFixture({ id: 2, username: 'sue', name: 'Sue Perr', is_super_user: true, total_assigned: 3 }),
  userFixture({ id: 7, username: 'tess', name: 'Tess Tech', job_title: 'Technician' }),
]

function show(url = '/users') {
  const calls = mockApi({ 'GET /flicket-api/users/': [200, pageOf(people)] })
  renderPage(<UsersPage />, { path: '/users', url, user: meFixture(people[2]) })
  return calls
}

const row = (username: string) => {
  const tr = screen.getByRole('link', { name: username }).closest('tr')
  if (!tr) throw new Error(`no row for ${username}`)
  return within(tr)
}

describe('UsersPage', () => {
  it('lists people with their role, counts and a link to their profile', async () => {
    show()
    await screen.findByRole('link', { name: 'tess' })
    expect(screen.getByRole('link', { name: 'tess' })).toHaveAttribute('href', '/users/7')
    expect(row('admin').getByText('admin', { selector: '.mantine-Badge-label' })).toBeVisible()
    expect(row('admin').getByText('1,234')).toBeInTheDocument()
    expect(row('sue').getByText('super user')).toBeInTheDocument()
    expect(row('sue').getByText('3')).toBeInTheDocument()
    expect(row('tess').getByText('Technician')).toBeInTheDocument()
    expect(row('tess').queryByText('admin')).toBeNull()
    expect(row('tess').getByRole('link', { name: 'user@example.com' })).toHaveAttribute(
      'href',
      'mailto:user@example.com',
    )
  })

  it('searches as one types, once the typing pauses', async () => {
    const calls = show()
    await screen.findByRole('link', { name: 'tess' })
    await userEvent.type(screen.getByTestId('users-search'), 'tes')
    await waitFor(() =>
      expect(
        calls
          .filter((c) => c.path === '/flicket-api/users/')
          .at(-1)
          ?.query.get('q'),
      ).toBe('tes'),
    )
    // Typing is debounced: one request for the word, not one per letter.
    expect(calls.filter((c) => c.query.get('q') !== null)).toHaveLength(1)
  })

  it('starts from the search in the URL', async () => {
    const calls = show('/users?q=sue')
    expect(screen.getByTestId('users-search')).toHaveValue('sue')
    await waitFor(() => expect(calls[0]?.query.get('q')).toBe('sue'))
  })
})

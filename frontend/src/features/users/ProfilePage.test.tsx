import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { meFixture, userFixture } from '../../test/fixtures'
import { mockApi, renderPage } from '../../test/render'
import { ProfilePage } from './ProfilePage'

describe('ProfilePage', () => {
  it('shows a person and links their counts to their tickets', async () => {
    mockApi({
      'GET /flicket-api/user/7': [
        200,
        userFixture({
          id: 7,
          username: 'tess',
          name: 'Tess Tech',
          email: 'tess@example.com',
          job_title: 'Technician',
          total_posts: 12,
          total_assigned: 4,
        }),
      ],
    })
    renderPage(<ProfilePage />, { path: '/users/:id', url: '/users/7', user: meFixture() })
    expect(await screen.findByTestId('profile-name')).toHaveTextContent('Tess Tech')
    expect(screen.getByText('tess')).toBeInTheDocument()
    expect(screen.getByText('Technician')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'tess@example.com' })).toHaveAttribute(
      'href',
      'mailto:tess@example.com',
    )
    expect(screen.getByRole('link', { name: '12' })).toHaveAttribute(
      'href',
      '/tickets?state=all&created_id=7',
    )
    expect(screen.getByRole('link', { name: '4' })).toHaveAttribute(
      'href',
      '/tickets?assigned_id=7',
    )
  })

  it('says so when there is no such person', async () => {
    mockApi({
      'GET /flicket-api/user/99': [
        404,
        { error: 'Not Found', code: 'not_found', message: 'user not found', errors: [] },
      ],
    })
    renderPage(<ProfilePage />, { path: '/users/:id', url: '/users/99', user: meFixture() })
    const banner = await screen.findByTestId('error-banner')
    expect(banner).toHaveTextContent('Page not found')
    expect(banner).toHaveTextContent('This item does not exist (any more).')
    expect(screen.queryByTestId('profile-name')).toBeNull()
  })
})

import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ADMIN_CAN, SUPER_CAN, groupFixture, meFixture, pageOf } from '../test/fixtures'
import { renderApp } from '../test/app'
import { mockApi } from '../test/render'

const admin = meFixture({ id: 1, username: 'admin', is_admin: true }, ADMIN_CAN)
const superUser = meFixture({ id: 2, username: 'sue', is_super_user: true }, SUPER_CAN)
const plain = meFixture({ id: 5, username: 'tess' })
const adminPages = ['/admin/users', '/admin/groups', '/admin/config', '/admin/mail']

describe('administration pages', () => {
  it.each(
    adminPages.flatMap((url) => [
      [url, 'a plain user', plain] as const,
      [url, 'a super user', superUser] as const,
    ]),
  )('%s is forbidden, and not in the menu, for %s', async (url, _who, user) => {
    const calls = mockApi({})
    renderApp(url, user)
    expect(await screen.findByTestId('page-403')).toHaveTextContent('Forbidden')
    expect(screen.getByTestId('user-menu')).toBeInTheDocument()
    for (const id of [
      'nav-admin-users',
      'nav-admin-groups',
      'nav-admin-config',
      'nav-admin-mail',
    ]) {
      expect(screen.queryByTestId(id)).toBeNull()
    }
    // Nothing of the administration was even asked for.
    expect(calls.filter((c) => /\/(users|groups|config|mail)\b/.test(c.path))).toEqual([])
  })

  it('are in the menu and open for an administrator', async () => {
    mockApi({
      'GET /flicket-api/users/': [200, pageOf([admin, plain])],
      'GET /flicket-api/groups/': [200, pageOf([groupFixture()])],
    })
    renderApp('/admin/users', admin)
    const table = await screen.findByTestId('admin-users-table')
    expect(await within(table).findByText('tess')).toBeInTheDocument()
    expect(screen.queryByTestId('page-403')).toBeNull()
    for (const id of [
      'nav-admin-users',
      'nav-admin-groups',
      'nav-admin-config',
      'nav-admin-mail',
    ]) {
      expect(screen.getByTestId(id)).toBeInTheDocument()
    }
  })

  it('send a signed-out visitor to the sign-in page', async () => {
    mockApi({})
    renderApp('/admin/users', null)
    expect(await screen.findByTestId('login-form')).toBeInTheDocument()
  })
})

import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { ADMIN_CAN, groupFixture, meFixture, pageOf } from '../../test/fixtures'
import { mockApi, renderPage, type MockAnswer } from '../../test/render'
import { GroupsPage } from './GroupsPage'

const groups = [
  groupFixture({ id: 1, group_name: 'flicket_admin' }),
  groupFixture({ id: 2, group_name: 'super_user' }),
]

function show(more: Record<string, MockAnswer> = {}) {
  const calls = mockApi({ 'GET /flicket-api/groups/': [200, pageOf(groups)], ...more })
  renderPage(<GroupsPage />, { user: meFixture({ id: 1, is_admin: true }, ADMIN_CAN) })
  return calls
}

const row = async (name: string) =>
  within((await screen.findByRole('cell', { name })).closest('tr')!)

describe('GroupsPage', () => {
  it('protects flicket_admin; other groups can be renamed and deleted', async () => {
    show()
    const admins = await row('flicket_admin')
    expect(admins.queryByRole('button')).toBeNull()
    const supers = await row('super_user')
    expect(supers.getByRole('button', { name: 'Rename' })).toBeInTheDocument()
    expect(supers.getByRole('button', { name: 'Delete' })).toBeInTheDocument()
  })

  it('checks a new group’s name, then creates it', async () => {
    const calls = show({
      'POST /flicket-api/groups': [201, groupFixture({ id: 3, group_name: 'night_shift' })],
    })
    await row('super_user')
    const name = screen.getByRole('textbox', { name: 'Group name' })
    await userEvent.type(name, 'ab')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    expect(await screen.findByText('Must be between 3 and 64 characters long.')).toBeInTheDocument()
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)
    await userEvent.type(name, 'c night_shift')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    await waitFor(() =>
      expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
        { group_name: 'abc night_shift' },
      ]),
    )
  })

  it('renames a group in place', async () => {
    const calls = show({
      'PATCH /flicket-api/group/2': [200, groupFixture({ id: 2, group_name: 'supervisors' })],
    })
    await userEvent.click((await row('super_user')).getByRole('button', { name: 'Rename' }))
    const inputs = screen.getAllByRole('textbox', { name: 'Group name' })
    const renaming = inputs.find((i) => (i as HTMLInputElement).value === 'super_user')!
    await userEvent.clear(renaming)
    await userEvent.type(renaming, 'supervisors')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({
        path: '/flicket-api/group/2',
        body: { group_name: 'supervisors' },
      }),
    )
  })
})

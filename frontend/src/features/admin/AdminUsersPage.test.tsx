import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { ADMIN_CAN, groupFixture, meFixture, pageOf, userFixture } from '../../test/fixtures'
import { mockApi, renderPage, type MockAnswer } from '../../test/render'
import { AdminUsersPage } from './AdminUsersPage'

const admin = meFixture(
  {
    id: 1,
    username: 'admin',
    name: 'Ada Min',
    is_admin: true,
    groups: ['flicket_admin'],
  },
  ADMIN_CAN,
)
const jane = userFixture({
  id: 8,
  username: 'jdoe',
  name: 'Jane Doe',
  email: 'jane@example.com',
  job_title: 'unknown',
  locale: 'fr',
  groups: ['super_user', 'night_shift'],
  disabled: true,
})
const groups = [
  groupFixture({ id: 1, group_name: 'flicket_admin' }),
  groupFixture({ id: 2, group_name: 'super_user' }),
  groupFixture({ id: 3, group_name: 'night_shift' }),
]

function show(more: Record<string, MockAnswer> = {}) {
  const calls = mockApi({
    'GET /flicket-api/users/': [200, pageOf([admin, jane])],
    'GET /flicket-api/groups/': [200, pageOf(groups)],
    ...more,
  })
  renderPage(<AdminUsersPage />, { user: admin })
  return calls
}

const row = async (username: string) => {
  const table = await screen.findByTestId('admin-users-table')
  const cell = await within(table).findByText(username)
  return within(cell.closest('tr')!)
}

const sent = (calls: ReturnType<typeof mockApi>, method: string) =>
  calls.filter((c) => c.method === method).map((c) => ({ path: c.path, body: c.body }))

describe('AdminUsersPage', () => {
  it('lists accounts with their groups and whether they are disabled', async () => {
    show()
    const j = await row('jdoe')
    expect(j.getByText('disabled')).toBeInTheDocument()
    expect(j.getByText('super_user, night_shift')).toBeInTheDocument()
    expect(j.getByText('jane@example.com')).toBeInTheDocument()
    const a = await row('admin')
    expect(a.queryByText('disabled')).toBeNull()
    expect(a.getByText('flicket_admin')).toBeInTheDocument()
  })

  it('never offers to delete the first administrator', async () => {
    show()
    expect((await row('admin')).queryByRole('button', { name: 'Delete' })).toBeNull()
    expect((await row('jdoe')).getByRole('button', { name: 'Delete' })).toBeInTheDocument()
  })

  it('checks a new account before asking the server', async () => {
    const calls = show()
    await userEvent.click(screen.getByTestId('admin-add-user'))
    await userEvent.type(await screen.findByTestId('user-username'), 'jo')
    await userEvent.type(screen.getByTestId('user-email'), 'not-an-address')
    await userEvent.type(screen.getByTestId('user-password'), '123456')
    await userEvent.type(screen.getByTestId('user-confirm'), '654321')
    await userEvent.click(screen.getByTestId('user-submit'))
    const form = within(screen.getByTestId('user-form'))
    expect(await form.findByText('Must be between 4 and 24 characters long.')).toBeInTheDocument()
    expect(form.getByText('Must be between 4 and 60 characters long.')).toBeInTheDocument()
    expect(form.getByText('Enter a valid e-mail address.')).toBeInTheDocument()
    expect(form.getByText('The password must contain a letter.')).toBeInTheDocument()
    expect(form.getByText('The passwords do not match.')).toBeInTheDocument()
    expect(sent(calls, 'POST')).toEqual([])
  })

  it('creates an account with the fields given', async () => {
    const calls = show({
      'POST /flicket-api/users': [201, userFixture({ id: 9, username: 'mmoe' })],
    })
    await userEvent.click(screen.getByTestId('admin-add-user'))
    await userEvent.type(await screen.findByTestId('user-username'), ' mmoe ')
    await userEvent.type(screen.getByTestId('user-name'), 'Mary Moe')
    await userEvent.type(screen.getByTestId('user-email'), 'mary@example.com')
    await userEvent.type(screen.getByTestId('user-password'), 'Secret-pass1')
    await userEvent.type(screen.getByTestId('user-confirm'), 'Secret-pass1')
    await userEvent.click(screen.getByTestId('user-submit'))
    await waitFor(() => expect(screen.queryByTestId('user-form')).toBeNull())
    expect(sent(calls, 'POST')).toEqual([
      {
        path: '/flicket-api/users',
        body: {
          username: 'mmoe',
          name: 'Mary Moe',
          email: 'mary@example.com',
          job_title: '',
          password: 'Secret-pass1',
          locale: 'en',
          groups: [],
          disabled: false,
        },
      },
    ])
  })

  it('shows a taken username under its field', async () => {
    show({
      'POST /flicket-api/users': [
        409,
        {
          error: 'Conflict',
          code: 'validation.failed',
          message: 'username is already taken.',
          errors: [{ field: 'username', code: 'duplicate', message: 'username is already taken.' }],
        },
      ],
    })
    await userEvent.click(screen.getByTestId('admin-add-user'))
    await userEvent.type(await screen.findByTestId('user-username'), 'jdoe')
    await userEvent.type(screen.getByTestId('user-name'), 'John Doe')
    await userEvent.type(screen.getByTestId('user-email'), 'john@example.com')
    await userEvent.type(screen.getByTestId('user-password'), 'Secret-pass1')
    await userEvent.type(screen.getByTestId('user-confirm'), 'Secret-pass1')
    await userEvent.click(screen.getByTestId('user-submit'))
    expect(
      await within(screen.getByTestId('user-form')).findByText('This is already taken.'),
    ).toBeInTheDocument()
    expect(screen.getByTestId('user-form')).toBeInTheDocument()
  })

  it('edits an account from its current values and keeps its password when left empty', async () => {
    const calls = show({
      'PATCH /flicket-api/user/8': (_url, body) => [200, { ...jane, ...(body as object) }],
    })
    await userEvent.click((await row('jdoe')).getByRole('button', { name: 'Edit' }))
    const form = within(await screen.findByTestId('user-form'))
    expect(form.getByTestId('user-username')).toHaveValue('jdoe')
    expect(form.getByTestId('user-email')).toHaveValue('jane@example.com')
    expect(form.getByLabelText('Job title')).toHaveValue('')
    expect(form.getByRole('checkbox', { name: /Account disabled/ })).toBeChecked()
    await userEvent.click(form.getByRole('checkbox', { name: /Account disabled/ }))
    await userEvent.click(form.getByTestId('user-submit'))
    await waitFor(() => expect(sent(calls, 'PATCH')).toHaveLength(1))
    expect(sent(calls, 'PATCH')[0]).toEqual({
      path: '/flicket-api/user/8',
      body: {
        username: 'jdoe',
        name: 'Jane Doe',
        email: 'jane@example.com',
        job_title: '',
        locale: 'fr',
        groups: ['super_user', 'night_shift'],
        disabled: false,
      },
    })
  })

  it('deletes an account after asking', async () => {
    const calls = show({ 'DELETE /flicket-api/user/8': [204] })
    await userEvent.click((await row('jdoe')).getByRole('button', { name: 'Delete' }))
    expect(
      await screen.findByText('Delete the account "jdoe"? Their tickets and replies are kept.'),
    ).toBeInTheDocument()
    expect(sent(calls, 'DELETE')).toEqual([])
    await userEvent.click(screen.getAllByRole('button', { name: 'Delete' }).at(-1)!)
    await waitFor(() =>
      expect(sent(calls, 'DELETE')).toEqual([{ path: '/flicket-api/user/8', body: undefined }]),
    )
  })
})

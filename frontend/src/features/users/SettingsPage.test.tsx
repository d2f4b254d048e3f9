import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { meFixture } from '../../test/fixtures'
import { mockApi, renderPage, type MockAnswer } from '../../test/render'
import { SettingsPage } from './SettingsPage'

const me = meFixture({
  id: 7,
  username: 'tess',
  name: 'Tess Tech',
  email: 'tess@example.com',
  job_title: 'unknown',
  locale: 'en',
  avatar: '/flicket-api/user/7/avatar',
})

function show(more: Record<string, MockAnswer> = {}) {
  const calls = mockApi({
    'PATCH /flicket-api/me': (_url, body) => [200, { ...me, ...(body as object) }],
    ...more,
  })
  renderPage(<SettingsPage />, { user: me })
  return calls
}

const patches = (calls: ReturnType<typeof mockApi>) =>
  calls.filter((c) => c.method === 'PATCH').map((c) => c.body)

describe('SettingsPage', () => {
  it('starts from the account, the username fixed', () => {
    show()
    expect(screen.getByTestId('settings-name')).toHaveValue('Tess Tech')
    expect(screen.getByLabelText(/^E-mail/)).toHaveValue('tess@example.com')
    // The original's placeholder job title is not shown as one.
    expect(screen.getByLabelText('Job title')).toHaveValue('')
    expect(screen.getByLabelText('Username')).toHaveAttribute('readonly')
  })

  it('saves name, e-mail, job title and language without touching the password', async () => {
    const calls = show()
    const name = screen.getByTestId('settings-name')
    await userEvent.clear(name)
    await userEvent.type(name, '  Tess Technician ')
    await userEvent.type(screen.getByLabelText('Job title'), 'Technician')
    await userEvent.click(screen.getByTestId('settings-save'))
    await waitFor(() =>
      expect(patches(calls)).toEqual([
        {
          name: 'Tess Technician',
          email: 'tess@example.com',
          job_title: 'Technician',
          locale: 'en',
        },
      ]),
    )
  })

  it('checks a new password before asking the server', async () => {
    const calls = show()
    await userEvent.type(screen.getByLabelText('New password'), 'short')
    await userEvent.click(screen.getByTestId('settings-save'))
    expect(
      await screen.findByText('The password must be at least 8 characters long.'),
    ).toBeInTheDocument()
    expect(screen.getByText('Enter your current password to change it.')).toBeInTheDocument()
    expect(screen.getByText('The passwords do not match.')).toBeInTheDocument()
    await userEvent.clear(screen.getByLabelText('New password'))
    await userEvent.type(screen.getByLabelText('New password'), 'alllowercase1')
    await userEvent.click(screen.getByTestId('settings-save'))
    expect(
      await screen.findByText(
        'The password needs a lower-case letter, an upper-case letter and a digit.',
      ),
    ).toBeInTheDocument()
    expect(patches(calls)).toEqual([])
  })

  it('sends a new password with the current one, and clears them once saved', async () => {
    const calls = show()
    await userEvent.type(screen.getByLabelText('Current password'), 'Old-pass-1')
    await userEvent.type(screen.getByLabelText('New password'), 'New-pass-2')
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'New-pass-2')
    await userEvent.click(screen.getByTestId('settings-save'))
    await waitFor(() => expect(patches(calls)).toHaveLength(1))
    expect(patches(calls)[0]).toMatchObject({
      password: 'New-pass-2',
      current_password: 'Old-pass-1',
    })
    await waitFor(() => expect(screen.getByLabelText('New password')).toHaveValue(''))
    expect(screen.getByLabelText('Current password')).toHaveValue('')
  })

  it('shows a refused current password under its field', async () => {
    show({
      'PATCH /flicket-api/me': [
        422,
        {
          error: 'Unprocessable Entity',
          code: 'validation.failed',
          message: 'current_password is wrong.',
          errors: [
            {
              field: 'current_password',
              code: 'mismatch',
              message: 'The current password is wrong.',
            },
          ],
        },
      ],
    })
    await userEvent.type(screen.getByLabelText('Current password'), 'Not-it-123')
    await userEvent.type(screen.getByLabelText('New password'), 'New-pass-2')
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'New-pass-2')
    await userEvent.click(screen.getByTestId('settings-save'))
    // Worded by the app from the code, not the server's English.
    expect(await screen.findByText('This is not your current password.')).toBeInTheDocument()
    expect(screen.queryByTestId('error-banner')).toBeNull()
  })

  it('uploads a new picture and shows it at once', async () => {
    const calls = show({ 'PUT /flicket-api/me/avatar': [200, me] })
    const picture = new File([new Uint8Array([137, 80, 78, 71])], 'me.png', { type: 'image/png' })
    await userEvent.upload(screen.getByTestId('avatar-input'), picture)
    await waitFor(() =>
      expect(calls.some((c) => c.method === 'PUT' && c.path === '/flicket-api/me/avatar')).toBe(
        true,
      ),
    )
    await waitFor(() =>
      expect(screen.getByTestId('settings-avatar').querySelector('img')).toHaveAttribute(
        'src',
        '/flicket-api/user/7/avatar?v=1',
      ),
    )
  })
})

import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { Schema } from '../../api/types'
import { ADMIN_CAN, meFixture } from '../../test/fixtures'
import { mockApi, renderPage, type MockAnswer } from '../../test/render'
import { ConfigPage } from './ConfigPage'

const config: Schema<'Config'> = {
  allowed_extensions: 'txt, png, pdf',
  application_title: 'Helpdesk',
  base_url: 'https://help.example.com',
  change_category: true,
  change_category_only_admin_or_super_user: false,
  csv_dump_limit: 1000,
  id: 1,
  mail_ascii_attachments: false,
  mail_debug: false,
  mail_default_sender: 'help@example.com',
  mail_max_emails: 10,
  mail_password_set: true,
  mail_port: 587,
  mail_server: 'smtp.example.com',
  mail_suppress_send: false,
  mail_use_ssl: false,
  mail_use_tls: true,
  mail_username: 'help',
  posts_per_page: 50,
}

function show(more: Record<string, MockAnswer> = {}) {
  const calls = mockApi({
    'GET /flicket-api/config': [200, config],
    'PATCH /flicket-api/config': (_url, body) => [200, { ...config, ...(body as object) }],
    ...more,
  })
  renderPage(<ConfigPage />, { user: meFixture({ id: 1, is_admin: true }, ADMIN_CAN) })
  return calls
}

const patches = (calls: ReturnType<typeof mockApi>) =>
  calls.filter((c) => c.method === 'PATCH').map((c) => c.body)

describe('ConfigPage', () => {
  it('shows the saved settings, and that a mail password is kept', async () => {
    show()
    await waitFor(() => expect(screen.getByLabelText('Application title')).toHaveValue('Helpdesk'))
    expect(screen.getByLabelText('Mail server')).toHaveValue('smtp.example.com')
    expect(screen.getByLabelText('Port')).toHaveValue('587')
    expect(screen.getByLabelText('Use STARTTLS')).toBeChecked()
    expect(screen.getByLabelText("Let people change a ticket's category")).toBeChecked()
    expect(screen.getByText('A password is saved; leave empty to keep it.')).toBeInTheDocument()
  })

  it('checks the settings before asking the server', async () => {
    const calls = show()
    const title = screen.getByLabelText('Application title')
    await waitFor(() => expect(title).toHaveValue('Helpdesk'))
    await userEvent.clear(title)
    await userEvent.type(title, 'HD')
    const url = screen.getByLabelText('Base URL (for links in e-mails)')
    await userEvent.clear(url)
    await userEvent.type(url, 'help.example.com')
    await userEvent.clear(screen.getByLabelText('Allowed attachment extensions (comma separated)'))
    await userEvent.click(screen.getByTestId('config-save'))
    expect(await screen.findByText('Must be between 3 and 32 characters long.')).toBeInTheDocument()
    expect(screen.getByText('Enter an absolute http(s) address.')).toBeInTheDocument()
    expect(screen.getByText('This field is required.')).toBeInTheDocument()
    expect(patches(calls)).toEqual([])
  })

  it('saves every setting, and the mail password only when one is typed', async () => {
    const calls = show()
    await waitFor(() => expect(screen.getByLabelText('Application title')).toHaveValue('Helpdesk'))
    await userEvent.click(screen.getByLabelText('Use STARTTLS'))
    await userEvent.click(screen.getByTestId('config-save'))
    await waitFor(() => expect(patches(calls)).toHaveLength(1))
    // Everything but the read-only id and mail_password_set, as the form shows it.
    const settings: Record<string, unknown> = { ...config, mail_use_tls: false }
    delete settings.id
    delete settings.mail_password_set
    expect(patches(calls)[0]).toEqual(settings)

    await userEvent.type(screen.getByLabelText('Password'), 'smtp-secret')
    await userEvent.click(screen.getByTestId('config-save'))
    await waitFor(() => expect(patches(calls)).toHaveLength(2))
    expect(patches(calls)[1]).toMatchObject({ mail_password: 'smtp-secret' })
  })

  it('sends a test e-mail to a valid address only', async () => {
    const calls = show({ 'POST /flicket-api/config/test-email': [202, { message: 'queued' }] })
    const to = screen.getByLabelText('Send a test e-mail to')
    await userEvent.type(to, 'nobody')
    await userEvent.click(screen.getByRole('button', { name: 'Send test e-mail' }))
    expect(await screen.findByText('Enter a valid e-mail address.')).toBeInTheDocument()
    await userEvent.type(to, '@example.com')
    await userEvent.click(screen.getByRole('button', { name: 'Send test e-mail' }))
    await waitFor(() =>
      expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
        { email_address: 'nobody@example.com' },
      ]),
    )
  })
})

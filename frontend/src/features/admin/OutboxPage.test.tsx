import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Schema } from '../../api/types'
import { ADMIN_CAN, meFixture, pageOf } from '../../test/fixtures'
import { mockApi, renderPage } from '../../test/render'
import { OutboxPage } from './OutboxPage'

const mail = (o: Partial<Schema<'OutboxMail'>>): Schema<'OutboxMail'> => ({
  attempts: 1,
  created_at: 'Thu, 26 Nov 2026 17:58:16 GMT',
  id: 1,
  kind: 'reply',
  last_error: null,
  links: { recipient: null, ticket: null },
  locale: 'en',
  next_attempt_at: 'Thu, 26 Nov 2026 17:58:16 GMT',
  recipient_email: 'tess@example.com',
  recipient_user_id: 7,
  sent_at: null,
  status: 'sent',
  subject: 'New reply on #00042',
  ticket_id: 42,
  ...o,
})

const admin = meFixture({ id: 1, is_admin: true }, ADMIN_CAN)

describe('OutboxPage', () => {
  it('lists each mail with its recipient, subject, status and attempts', async () => {
    mockApi({
      'GET /flicket-api/mail/outbox': [
        200,
        pageOf([
          mail({ id: 1 }),
          mail({
            id: 2,
            status: 'failed',
            attempts: 5,
            recipient_email: 'gone@example.com',
            last_error: 'mailbox unavailable',
          }),
        ]),
      ],
    })
    renderPage(<OutboxPage />, { user: admin })
    const failed = within((await screen.findByText('gone@example.com')).closest('tr')!)
    // The badge tells why on hover.
    expect(failed.getByText('failed').closest('[title]')).toHaveAttribute(
      'title',
      'mailbox unavailable',
    )
    expect(failed.getByText('5')).toBeInTheDocument()
    const sent = within(screen.getByText('tess@example.com').closest('tr')!)
    expect(sent.getByText('New reply on #00042')).toBeInTheDocument()
    expect(sent.getByText('sent')).toBeInTheDocument()
    expect(screen.queryByText('No e-mails yet.')).toBeNull()
  })

  it('says when nothing has been sent', async () => {
    mockApi({ 'GET /flicket-api/mail/outbox': [200, pageOf([])] })
    renderPage(<OutboxPage />, { user: admin })
    expect(await screen.findByText('No e-mails yet.')).toBeInTheDocument()
  })
})

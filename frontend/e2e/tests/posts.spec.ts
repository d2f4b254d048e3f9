// Replies: markdown, hours and a status change in one reply.
import { expect, test } from '../support/fixtures.ts'

test('reply with hours and a status change', async ({ app }) => {
  await app.signInAdmin()
  await app.createTicket('VPN drops every hour', 'The VPN connection drops every hour.')
  await app.tid('reply-content').fill('Have you tried **turning it off** and on again?')
  await app.select('reply-status', 'In work')
  await app.tid('reply-hours').fill('1.5')
  await app.tid('reply-submit').click()
  const reply = app.tid('reply').filter({ hasText: 'turning it off' })
  await expect(reply).toBeVisible()
  await expect(reply.locator('strong', { hasText: 'turning it off' })).toBeVisible()
  await expect(reply.getByText('Hours: 1.5')).toBeVisible()
  await expect(app.tid('ticket-status').filter({ hasText: 'In work' })).toBeVisible()
  await expect(app.tid('ticket-total-hours').filter({ hasText: '1.5' })).toBeVisible()
  await expect(
    app.tid('action-line').filter({ hasText: 'Status changed to In work' }),
  ).toBeVisible()
  // The form is ready for the next reply.
  await expect(app.tid('reply-content'), 'the reply box was not emptied').toHaveValue('')
})

test('reply and close in one step', async ({ app }) => {
  await app.signInAdmin()
  await app.createTicket('Toner replaced', 'The toner of the second floor printer is empty.')
  await app.tid('reply-content').fill('New toner fitted, closing.')
  await app.tid('reply-and-close').click()
  await expect(app.tid('reply').filter({ hasText: 'New toner fitted' })).toBeVisible()
  await expect(app.tid('ticket-status').filter({ hasText: 'Closed' })).toBeVisible()
  await expect(app.tid('action-line').filter({ hasText: 'Closed by' })).toBeVisible()
})

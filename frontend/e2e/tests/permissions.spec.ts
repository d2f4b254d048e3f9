// What people without a role do not see.
import { expect, test } from '../support/fixtures.ts'
import { TECH } from '../support/server.ts'

test('a non-admin sees no admin actions on a ticket', async ({ page, app }) => {
  await app.signInAdmin()
  const id = await app.createTicket('Admin only actions', 'Only admins may delete this.')
  await expect(app.tid('action-delete')).toBeVisible()
  await app.signOut()
  await app.signIn(TECH.username, TECH.password)
  await page.goto(`/tickets/${id}`)
  await expect(app.tid('ticket-heading')).toBeVisible()
  await expect(app.tid('action-delete'), 'delete shown to a non-admin').toHaveCount(0)
  await expect(app.tid('action-edit'), 'edit shown to a stranger').toHaveCount(0)
  await expect(app.tid('action-close'), 'close shown to a stranger').toHaveCount(0)
  await expect(app.tid('action-category'), 'category change shown').toHaveCount(0)
  await expect(app.tid('action-claim')).toBeVisible()
  await page.goto('/departments')
  await expect(app.tid('department').first()).toBeVisible()
  await expect(app.tid('new-department'), 'department form shown to a user').toHaveCount(0)
})

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
  await expect(app.tid('triage-category'), 'category change allowed').toBeDisabled()
  await expect(app.tid('triage-assign-me')).toBeVisible()
  await page.goto('/departments')
  await expect(app.tid('department').first()).toBeVisible()
  await expect(app.tid('new-department'), 'department form shown to a user').toHaveCount(0)
})

// The buttons come from the ticket's can (the server's rules): with the
// default settings nobody but administrators may re-file a ticket, super
// users included; once the setting allows it, anyone may.
test('change category follows the server: not for a super user by default, for a plain user once allowed', async ({
  page,
  app,
  flicket,
}) => {
  const sue = {
    username: 'superuser',
    name: 'Sue Perr',
    password: 'Super-pass-1',
    email: 'sue@example.com',
  }
  await flicket.api('POST', '/users', { ...sue, groups: ['super_user'] })
  const { id } = await flicket.api<{ id: number }>('POST', '/tickets', {
    title: 'Filed in the wrong place',
    content: 'This belongs to the intranet team.',
    category_id: 1,
    ticket_priority_id: 1,
  })
  await app.signIn(sue.username, sue.password)
  await page.goto(`/tickets/${id}`)
  await expect(app.tid('triage-assign-me'), 'the actions are shown').toBeVisible()
  await expect(
    app.tid('triage-category'),
    'allowed to a super user with the setting off',
  ).toBeDisabled()
  await app.signOut()

  await flicket.api('PATCH', '/config', { change_category: true })
  try {
    await app.signIn(TECH.username, TECH.password)
    await page.goto(`/tickets/${id}`)
    await app.select('triage-category', 'Intranet')
    await expect(app.tid('triage-toast')).toHaveText('Filed under IT / Intranet.')
    await expect(app.tid('triage-category')).toHaveValue('Intranet')
  } finally {
    await flicket.api('PATCH', '/config', { change_category: false })
  }
})

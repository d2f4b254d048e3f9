// Administration: users, groups, configuration, the mail outbox.
import { expect, test } from '../support/fixtures.ts'

test('an admin creates a user who then signs in; no admin actions for them', async ({
  page,
  app,
}) => {
  await app.signInAdmin()
  await page.goto('/admin/users')
  await app.tid('admin-add-user').click()
  await app.tid('user-username').fill('jdoe')
  await app.tid('user-name').fill('Jane Doe')
  await app.tid('user-email').fill('jane@example.com')
  await app.tid('user-password').fill('Secret-pass1')
  await app.tid('user-confirm').fill('Secret-pass1')
  await app.tid('user-submit').click()
  await expect(app.tid('admin-users-table').getByText('jdoe', { exact: true })).toBeVisible()
  await app.signOut()
  await app.signIn('jdoe', 'Secret-pass1')
  await expect(app.tid('nav-admin-users'), 'a non-admin sees the admin menu').toHaveCount(0)
  await page.goto('/admin/config')
  await expect(app.tid('page-403')).toBeVisible()
})

test('every other page opens without an error', async ({ page, app, consoleErrors }) => {
  await app.signInAdmin()
  const pages = [
    ['/users', 'users-table'],
    ['/users/1', 'profile-name'],
    ['/admin/users', 'admin-users-table'],
    ['/admin/groups', 'nav-admin-groups'],
    ['/admin/config', 'config-form'],
    ['/admin/mail', 'nav-admin-mail'],
    ['/markdown-help', 'nav-dashboard'],
  ] as const
  for (const [path, testId] of pages) {
    await page.goto(path)
    await expect(app.tid(testId).first()).toBeVisible()
    await page.waitForLoadState('networkidle')
    await expect(app.tid('error-banner'), `${path} shows an error`).toHaveCount(0)
  }
  // The configuration saves as it is.
  await page.goto('/admin/config')
  await app.tid('config-save').click()
  await expect(page.getByText('saved', { exact: false }).first()).toBeVisible()
  // Groups: both built-in groups are listed.
  await page.goto('/admin/groups')
  await expect(page.getByRole('cell', { name: 'flicket_admin', exact: true })).toBeVisible()
  await expect(page.getByRole('cell', { name: 'super_user', exact: true })).toBeVisible()
  // Unknown pages and tickets say so.
  await page.goto('/no-such-page')
  await expect(app.tid('page-404')).toBeVisible()
  consoleErrors.expectHttpError(404)
  await page.goto('/tickets/99999')
  await expect(app.tid('page-404')).toBeVisible()
})

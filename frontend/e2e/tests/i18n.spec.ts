// Languages: the choice is saved on the account and follows the user.
import { expect, test } from '../support/fixtures.ts'

test('switch to French and see French', async ({ page, app, newSession }) => {
  await app.signInAdmin()
  await app.language('Français')
  await expect(app.tid('nav-dashboard').filter({ hasText: 'Tableau de bord' })).toBeVisible()
  // Saved on the account: another browser gets French after signing in.
  const other = await newSession()
  await other.app.signInAdmin()
  await expect(other.app.tid('nav-dashboard').filter({ hasText: 'Tableau de bord' })).toBeVisible()
  await page.goto('/users')
  await expect(page.getByRole('heading', { name: 'Utilisateurs' })).toBeVisible()
  await page.goto('/tickets/new')
  await expect(page.getByRole('heading', { name: 'Créer un ticket' })).toBeVisible()
  await app.language('English')
  await expect(app.tid('nav-dashboard').filter({ hasText: 'Dashboard' })).toBeVisible()
})

// French complete: the server's errors in French from their code and params
// (never its English, never an internal field name), Mantine's own labels
// translated, and menus wide enough for their French labels.
import { expect, test } from '../support/fixtures.ts'

test('French: server errors, hidden labels and the sort menu', async ({
  page,
  app,
  flicket,
  consoleErrors,
}) => {
  const username = `fr${Math.random().toString(36).slice(2, 8)}`
  await flicket.api('POST', '/users', {
    username,
    name: 'Camille Dupont',
    email: `${username}@example.com`,
    password: 'Camille-pass1',
    locale: 'fr',
    groups: ['flicket_admin'],
  })
  await app.signIn(username, 'Camille-pass1')

  // A duplicate name: the server's 409 worded in French with the name it sent.
  consoleErrors.expectHttpError(409)
  await page.goto('/admin/groups')
  const name = page.getByRole('textbox', { name: 'Nom du groupe' })
  await name.fill('flicket_admin')
  await page.getByRole('button', { name: 'Ajouter' }).click()
  await expect(page.getByText('Un groupe nommé « flicket_admin » existe déjà.')).toBeVisible()
  await expect(page.getByText(/already exists/)).toHaveCount(0)

  // No mail server: a sentence, not "set mail_server".
  await page.goto('/admin/config')
  await page.getByRole('textbox', { name: 'Envoyer un courriel de test à' }).fill('a@example.com')
  await page.getByRole('button', { name: 'Envoyer le courriel de test' }).click()
  await expect(
    page.getByText('Aucun serveur de courriel n’est encore configuré', { exact: false }),
  ).toBeVisible()
  await expect(page.locator('main')).not.toContainText('mail_server')
  await expect(page.locator('main')).not.toContainText('No mail server')

  // Mantine's password toggle speaks French.
  await page.goto('/settings')
  await expect(
    page.getByRole('button', { name: 'Afficher ou masquer le mot de passe' }).first(),
  ).toBeVisible()
  await expect(page.getByRole('button', { name: 'Toggle password visibility' })).toHaveCount(0)

  // The sort menu shows its longest French label whole.
  await page.goto('/tickets?sort=priority_desc')
  await app.tid('more-filters').click() // the sort menu lives with the other filters
  const sort = app.tid('filter-sort')
  await expect(sort).toHaveValue('Priorité, la plus haute d’abord')
  const cut = await sort.evaluate((el) => el.scrollWidth > el.clientWidth)
  expect(cut, 'the sort menu cuts its label').toBe(false)
})

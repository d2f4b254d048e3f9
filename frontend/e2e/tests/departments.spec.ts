// Departments and their categories, as an administrator.
import { expect, test } from '../support/fixtures.ts'

test('departments and categories: add, rename, delete', async ({ page, app, consoleErrors }) => {
  consoleErrors.expectHttpError(409)
  await app.signInAdmin()
  await page.goto('/departments')
  // Too short: the form says so before asking the server.
  await app.tid('new-department').fill('Fa')
  await app.tid('new-department-submit').click()
  await expect(page.getByText('Must be between 3 and 30 characters long.')).toBeVisible()
  await app.tid('new-department').fill('Facilities')
  await app.tid('new-department-submit').click()
  const dept = app.tid('department').filter({ hasText: 'Facilities' })
  await expect(dept).toBeVisible()
  await dept.getByTestId('new-category').fill('Heating')
  await dept.getByTestId('new-category-submit').click()
  const cat = dept.getByTestId('category').filter({ hasText: 'Heating' })
  await expect(cat).toBeVisible()
  await cat.getByTestId('rename-category').click()
  await dept.getByTestId('rename-category-name').fill('Heating and cooling')
  await dept.getByTestId('rename-category-name-submit').click()
  await expect(
    dept.getByTestId('category').filter({ hasText: 'Heating and cooling' }),
  ).toBeVisible()
  // The new category is offered when creating a ticket.
  await app.createTicket('Radiator cold', 'The radiator in room 12 is cold.', {
    department: 'Facilities',
    category: 'Heating and cooling',
  })
  await page.goto('/departments')
  // In use: the category cannot be deleted, and the dialog says why.
  const used = app.tid('department').filter({ hasText: 'Facilities' }).getByTestId('category')
  await used.getByTestId('delete-category').click()
  await app.tid('delete-category-confirm').click()
  await expect(page.getByRole('dialog').getByTestId('error-banner')).toBeVisible()
  await page.keyboard.press('Escape')
  // A department renamed, and one with no categories deleted.
  await app.tid('new-department').fill('Old stock')
  await app.tid('new-department-submit').click()
  await app
    .tid('department')
    .filter({ hasText: 'Old stock' })
    .getByTestId('rename-department')
    .click()
  // While renaming, the name is in a text box, not in the card's text.
  const renaming = app.tid('department').filter({ has: app.tid('rename-department-name') })
  await renaming.getByTestId('rename-department-name').fill('Archive')
  await renaming.getByTestId('rename-department-name-submit').click()
  const archive = app.tid('department').filter({ hasText: 'Archive' })
  await expect(archive).toBeVisible()
  await archive.getByTestId('delete-department').click()
  await app.tid('delete-department-confirm').click()
  await expect(archive).toHaveCount(0)
})

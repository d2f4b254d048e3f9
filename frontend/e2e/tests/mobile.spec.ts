// A phone-sized screen, and the keyboard alone.
import { expect, test } from '../support/fixtures.ts'
import { ADMIN_PASSWORD } from '../support/server.ts'

test.use({ viewport: { width: 375, height: 812 } })

test('works at 375 px wide and by keyboard', async ({ page, app }) => {
  // Sign in with the keyboard only.
  await page.goto('/login')
  await app.tid('login-username').focus()
  await page.keyboard.type('admin')
  await page.keyboard.press('Tab')
  await page.keyboard.type(ADMIN_PASSWORD)
  await page.keyboard.press('Enter')
  await expect(app.tid('user-menu')).toBeVisible()
  for (const path of ['/', '/tickets', '/tickets/new', '/users', '/departments', '/settings']) {
    await page.goto(path)
    await expect(app.tid('user-menu')).toBeVisible()
    // Measure once the page has its data (and so its final width).
    await page.waitForLoadState('networkidle')
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), {
        message: `${path} scrolls sideways at 375 px`,
      })
      .toBeLessThanOrEqual(0)
  }
  await app.tid('nav-burger').click()
  await app.tid('nav-users').click()
  await expect(page).toHaveURL(/\/users$/)
  // Keyboard: the search box takes focus and typing filters.
  await app.tid('users-search').focus()
  await page.keyboard.type('adm')
  await expect(page).toHaveURL(/q=adm/)
  // A ticket created with the keyboard: Tab moves through the form,
  // Enter submits it.
  await page.goto('/tickets/new')
  await app.tid('ticket-title').focus()
  await page.keyboard.type('Typed at the keyboard')
  // A Mantine list resets its highlight in a timeout once it opens: let
  // that run before the arrow keys move the highlight.
  const settle = () => page.evaluate(() => new Promise((r) => setTimeout(r, 0)))
  await app.tid('ticket-department').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('option', { name: 'IT', exact: true })).toBeVisible()
  await settle()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await app.tid('ticket-category').focus()
  await page.keyboard.press('Enter')
  // The categories load once the department is picked: wait for this
  // list's own options (the department's list may still be closing).
  const list = await page
    .locator('[data-testid="ticket-category"][aria-controls]')
    .getAttribute('aria-controls')
  await expect(page.locator(`[id="${list}"] [role="option"]`).first()).toBeVisible()
  await settle()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await app.tid('ticket-content').focus()
  await page.keyboard.type('Written without a mouse.')
  await app.tid('ticket-title').press('Enter')
  await expect(page).toHaveURL(/\/tickets\/\d+$/)
  await expect(app.tid('ticket-heading').filter({ hasText: 'Typed at the keyboard' })).toBeVisible()
  await app.screenshot('mobile-en')
})

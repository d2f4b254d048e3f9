// Keyboard and accessibility: shortcuts for a day of tickets (off while
// typing), a skip link, and axe-core on every page with zero violations.
import { expect, test } from '../support/fixtures.ts'
import type { Flicket } from '../support/fixtures.ts'
import { expectNoViolations } from '../support/axe.ts'

async function seedTicket(flicket: Flicket, title: string): Promise<number> {
  const tk = await flicket.api<{ id: number }>('POST', '/tickets', {
    title,
    content: `${title}: details, with **markdown**.`,
    category_id: 1,
    ticket_priority_id: 3,
  })
  return tk.id
}

test('shortcuts: j/k/Enter, /, c, r, e and ? — never while typing', async ({
  page,
  app,
  flicket,
}) => {
  const word = `Kbd${Date.now()}`
  const first = await seedTicket(flicket, `${word} alpha`)
  await seedTicket(flicket, `${word} beta`)
  await app.signInAdmin()
  await page.goto(`/tickets?q=${word}&sort=id`)
  const links = app.tid('ticket-link')
  await expect(links).toHaveCount(2)
  await page.locator('body').click({ position: { x: 1, y: 1 } })
  await page.keyboard.press('j')
  await expect(links.nth(0)).toBeFocused()
  await page.keyboard.press('j')
  await expect(links.nth(1)).toBeFocused()
  await page.keyboard.press('k')
  await expect(links.nth(0)).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(new RegExp(`/tickets/${first}$`))
  await expect(app.tid('ticket-heading')).toBeFocused()

  // r: the reply box; typing there is text, not shortcuts.
  await page.keyboard.press('r')
  await expect(app.tid('reply-content')).toBeFocused()
  await page.keyboard.type('c e j k ? /')
  await expect(app.tid('reply-content')).toHaveValue('c e j k ? /')
  await expect(page).toHaveURL(new RegExp(`/tickets/${first}$`))
  await app.tid('reply-content').fill('')
  await page.locator('body').click({ position: { x: 1, y: 1 } })

  // ?: the help overlay lists them.
  await page.keyboard.press('?')
  await expect(app.tid('shortcut-help')).toBeVisible()
  await expect(app.tid('shortcut-help')).toContainText('Search tickets')
  await page.keyboard.press('Escape')
  await expect(app.tid('shortcut-help')).toHaveCount(0)

  // e: close the ticket.
  await page.keyboard.press('e')
  await expect(app.tid('ticket-status')).toHaveText('Closed')

  // /: the header's search box, on this page as on any other.
  await page.keyboard.press('/')
  await expect(app.tid('header-search')).toBeFocused()
  await expect(page).toHaveURL(new RegExp(`/tickets/${first}$`))
  await page.keyboard.type(word)
  await expect(app.tid('header-search')).toHaveValue(word)
  await expect(app.tid('search-result')).toHaveCount(2)
  await expectNoViolations(page, 'the search results')
  await page.keyboard.press('Escape')
  await expect(app.tid('search-panel')).toHaveCount(0)

  // c: a new ticket (from outside any field).
  await page.locator('body').click({ position: { x: 1, y: 1 } })
  await page.keyboard.press('c')
  await expect(page).toHaveURL(/\/tickets\/new$/)
})

for (const lang of ['en', 'fr'] as const) {
  test(`skip link and axe on every page, ${lang}`, async ({ page, app, flicket }) => {
    test.setTimeout(180_000)
    const id = await seedTicket(flicket, `Accessible ${lang} ticket`)
    await flicket.api('POST', '/posts', { ticket_id: id, content: 'A reply, to have one.' })
    const closed = await seedTicket(flicket, `Closed ${lang} ticket`)
    await flicket.api('POST', `/ticket/${closed}/close`)
    const username = `ax${lang}${Math.random().toString(36).slice(2, 8)}`

    // Signed out.
    for (const path of ['/login', '/forgot-password', '/reset-password?token=x']) {
      await page.goto(path)
      if (lang === 'fr') await app.tid('language-switch').getByText('Français').click()
      await page.waitForLoadState('networkidle')
      await expectNoViolations(page, path)
    }

    // An administrator (every page is open to them) who speaks lang.
    await flicket.api('POST', '/users', {
      username,
      name: 'Axe User',
      email: `${username}@example.com`,
      password: 'Axe-user-pass1',
      locale: lang,
      groups: ['flicket_admin'],
    })
    await app.signIn(username, 'Axe-user-pass1')
    // The skip link is the first stop of Tab and lands on the page.
    await page.goto('/tickets')
    await expect(app.tid('ticket-link').first()).toBeVisible()
    await page.keyboard.press('Tab')
    await expect(app.tid('skip-link')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.locator('#main-content')).toBeFocused()

    const pages = [
      '/',
      '/tickets',
      '/tickets?state=all',
      `/tickets/${id}`,
      `/tickets/${closed}`,
      '/tickets/new',
      '/departments',
      '/users',
      '/users/1',
      '/settings',
      '/markdown-help',
      '/admin/users',
      '/admin/groups',
      '/admin/config',
      '/admin/mail',
      '/no-such-page',
    ]
    for (const path of pages) {
      await page.goto(path)
      await expect(app.tid('user-menu')).toBeVisible()
      await page.waitForLoadState('networkidle')
      await expectNoViolations(page, path)
    }
    // A form showing its errors, and the shortcut help.
    await page.goto('/tickets/new')
    await app.tid('ticket-submit').click()
    await expectNoViolations(page, '/tickets/new with errors')
    await page.locator('body').click({ position: { x: 1, y: 1 } })
    await page.keyboard.press('?')
    await expect(app.tid('shortcut-help')).toBeVisible()
    // Wait out the dialog's fade-in: axe measured a half-transparent <kbd>
    // against the page behind it once (a contrast "violation" of the animation).
    await expect(page.getByRole('dialog')).toHaveCSS('opacity', '1')
    await page.waitForTimeout(300)
    await expectNoViolations(page, 'the shortcut help')
  })
}

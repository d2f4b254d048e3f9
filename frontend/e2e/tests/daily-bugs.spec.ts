// What a daily user hit: a search box that dropped typing, lists with no
// sign of work, pagers, long titles, focus and tab titles, queue headings,
// a department delete that asked then refused, no Reopen, short replies.
import { expect, test } from '../support/fixtures.ts'
import type { Flicket } from '../support/fixtures.ts'

async function seedTicket(flicket: Flicket, title: string, extra: object = {}): Promise<number> {
  const tk = await flicket.api<{ id: number }>('POST', '/tickets', {
    title,
    content: `${title}: details.`,
    category_id: 1,
    ticket_priority_id: 2,
    ...extra,
  })
  return tk.id
}

test('the search box keeps focus and typing while its search runs', async ({ page, app }) => {
  await app.signInAdmin()
  await page.goto('/tickets')
  const box = app.tid('filter-q')
  await box.click()
  await page.keyboard.type('printer')
  // The search fires after a pause and the list reloads...
  await expect(page).toHaveURL(/q=printer$/)
  // ...and the typing goes on in the same box.
  await page.keyboard.type(' blank')
  await expect(box).toHaveValue('printer blank')
  await expect(box).toBeFocused()
  await expect(page).toHaveURL(/q=printer(\+|%20)blank$/)
  await expect(box).toHaveValue('printer blank')
})

test('lists show skeletons, then mark old rows stale while a filter loads', async ({
  page,
  app,
  flicket,
}) => {
  const word = `Stalecheck${Date.now()}`
  await seedTicket(flicket, `${word} open one`)
  const closed = await seedTicket(flicket, `${word} closed one`)
  await flicket.api('POST', `/ticket/${closed}/close`)
  await app.signInAdmin()
  // A slow list answer.
  let gate: () => void = () => undefined
  await page.route('**/flicket-api/tickets/?**', async (route) => {
    await new Promise<void>((r) => (gate = r))
    await route.continue()
  })
  await page.goto(`/tickets?q=${word}`)
  await expect(app.tid('ticket-row-skeleton').first()).toBeVisible()
  await expect(app.tid('list-progress')).toBeVisible()
  gate()
  const rows = app.tid('ticket-row')
  await expect(rows.filter({ hasText: 'open one' })).toBeVisible()
  await expect(app.tid('ticket-list')).not.toHaveAttribute('data-stale', 'true')
  await app.tid('filter-state').getByText('Closed', { exact: true }).click()
  // The open row is still there, but marked as old while "Closed" loads.
  await expect(app.tid('ticket-list')).toHaveAttribute('data-stale', 'true')
  await expect(app.tid('ticket-list')).toHaveAttribute('aria-busy', 'true')
  gate()
  await expect(rows.filter({ hasText: 'closed one' })).toBeVisible()
  await expect(rows.filter({ hasText: 'open one' })).toHaveCount(0)
  await expect(app.tid('ticket-list')).not.toHaveAttribute('data-stale', 'true')
})

test('pagers start the next page at its top; a page past the end shows the last', async ({
  page,
  app,
  flicket,
}) => {
  const word = `Pagerfill${Date.now()}`
  for (let i = 1; i <= 55; i++) await seedTicket(flicket, `${word} number ${i}`)
  await app.signInAdmin()
  await page.goto(`/tickets?q=${word}`)
  await expect(app.tid('ticket-row')).toHaveCount(50)
  const bottom = app.tid('pagination').last()
  await bottom.scrollIntoViewIfNeeded()
  await bottom.getByRole('button', { name: '2', exact: true }).click()
  await expect(page).toHaveURL(/page=2/)
  await expect(app.tid('ticket-row')).toHaveCount(5)
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0)

  await page.goto(`/tickets?q=${word}&page=999`)
  await expect(page).toHaveURL(/page=2$/)
  await expect(app.tid('pagination').first()).toContainText('Page 2 of 2')
  await expect(app.tid('ticket-row')).toHaveCount(5)
})

for (const lang of ['en', 'fr'] as const) {
  test.describe(`at 375 px, ${lang}`, () => {
    test.use({ viewport: { width: 375, height: 812 } })

    test('long titles wrap; tabs and headings name the page; focus follows', async ({
      page,
      app,
      flicket,
    }) => {
      const username = `b${lang}${Math.random().toString(36).slice(2, 9)}`
      const password = 'Daily-user-pass1'
      const me = await flicket.api<{ id: number }>('POST', '/users', {
        username,
        name: `Bug ${lang}`,
        email: `${username}@example.com`,
        password,
        locale: lang,
      })
      const long = `Unbreakable${'x'.repeat(110)}`
      const id = await seedTicket(flicket, long)
      await flicket.api('POST', `/ticket/${id}/assign`, { user_id: me.id })
      await app.signIn(username, password)
      const fr = lang === 'fr'

      for (const path of ['/', `/tickets?assigned_id=${me.id}`, `/tickets/${id}`]) {
        await page.goto(path)
        await expect(app.tid('user-menu')).toBeVisible()
        await page.waitForLoadState('networkidle')
        await expect
          .poll(
            () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
            {
              message: `${path} scrolls sideways`,
            },
          )
          .toBeLessThanOrEqual(0)
      }
      // The ticket's tab is named after it.
      await expect(page).toHaveTitle(new RegExp(`^#\\d+ ${long} · Flicket$`))

      // The queues from the menu say what they are.
      await app.tid('nav-burger').click()
      await app.tid('nav-assigned').click()
      const heading = page.getByRole('heading', { level: 1 })
      await expect(heading).toHaveText(fr ? 'Qui me sont assignés' : 'Assigned to me')
      await expect(page).toHaveTitle(
        fr ? 'Qui me sont assignés · Flicket' : 'Assigned to me · Flicket',
      )
      // Focus moved to the new page's heading.
      await expect(heading).toBeFocused()
      await app.tid('nav-burger').click()
      await app.tid('nav-created').click()
      await expect(heading).toHaveText(fr ? 'Créés par moi' : 'Created by me')
      await expect(heading).toBeFocused()

      // A form refused: focus on its first invalid field.
      await page.goto('/tickets/new')
      await expect(page).toHaveTitle(fr ? 'Créer un ticket · Flicket' : 'Create a ticket · Flicket')
      await app.tid('ticket-content').fill('Only a description.')
      await app.tid('ticket-submit').click()
      await expect(app.tid('ticket-title')).toBeFocused()
    })
  })
}

test('a department with categories says why it cannot go, before any confirm', async ({
  page,
  app,
  flicket,
}) => {
  const name = `Dept${Date.now().toString(36)}`.slice(0, 20)
  const dep = await flicket.api<{ id: number }>('POST', '/departments', { department: name })
  await flicket.api('POST', '/categories', { category: 'Printers', department_id: dep.id })
  await app.signInAdmin()
  await page.goto('/departments')
  const card = app.tid('department').filter({ hasText: name })
  await card.getByTestId('delete-department').click()
  await expect(app.tid('delete-department-message')).toContainText('still has 1 categor')
  await expect(app.tid('delete-department-confirm')).toHaveCount(0)
})

test('a closed ticket shows its status and can be reopened; a short reply is a reply', async ({
  page,
  app,
  flicket,
}) => {
  const id = await seedTicket(flicket, 'Reopen me later')
  await flicket.api('POST', `/ticket/${id}/close`)
  await app.signInAdmin()
  await page.goto(`/tickets/${id}`)
  await expect(app.tid('ticket-status')).toHaveText('Closed')
  await expect(app.tid('reply-status')).toHaveAttribute('placeholder', 'Closed')
  await app.tid('action-reopen').click()
  await expect(app.tid('ticket-status')).toHaveText('Open')
  await expect(app.tid('action-reopen')).toHaveCount(0)
  await app.tid('reply-content').fill('Thx')
  await app.tid('reply-submit').click()
  await expect(app.tid('reply').filter({ hasText: 'Thx' })).toBeVisible()
})

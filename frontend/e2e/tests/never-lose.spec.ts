// Never lose one's place or text: sign-in follows the link one came from,
// a reply survives an expired session, leaving with unsent text asks first,
// and a double click creates one ticket.
import { expect, test } from '../support/fixtures.ts'
import type { Flicket } from '../support/fixtures.ts'
import type { App } from '../support/app.ts'
import { ADMIN_PASSWORD } from '../support/server.ts'

const PASSWORD = 'Daily-user-pass1'

/** A new user speaking lang, signed in. */
async function signInNewUser(flicket: Flicket, app: App, lang: 'en' | 'fr'): Promise<string> {
  const username = `${lang}${Math.random().toString(36).slice(2, 10)}`
  await flicket.api('POST', '/users', {
    username,
    name: `Daily ${lang}`,
    email: `${username}@example.com`,
    password: PASSWORD,
    locale: lang,
  })
  await app.signIn(username, PASSWORD)
  return username
}

/** A ticket made through the API; returns its id. */
async function seedTicket(flicket: Flicket, title: string): Promise<number> {
  const tk = await flicket.api<{ id: number }>('POST', '/tickets', {
    title,
    content: `${title}: details.`,
    category_id: 1,
    ticket_priority_id: 2,
  })
  return tk.id
}

test('a link opened signed out lands on its ticket after sign-in', async ({
  page,
  app,
  flicket,
}) => {
  const id = await seedTicket(flicket, 'Badge reader broken')
  await page.goto(`/tickets/${id}`)
  await expect(page).toHaveURL(new RegExp(`/login\\?next=%2Ftickets%2F${id}$`))
  await app.tid('login-username').fill('admin')
  await app.tid('login-password').fill(ADMIN_PASSWORD)
  await app.tid('login-submit').click()
  await expect(app.tid('ticket-heading').filter({ hasText: 'Badge reader broken' })).toBeVisible()
  await expect(page).toHaveURL(new RegExp(`/tickets/${id}$`))
})

for (const lang of ['en', 'fr'] as const) {
  test.describe(`at 375 px, ${lang}`, () => {
    test.use({ viewport: { width: 375, height: 812 } })

    test('a reply being typed survives an expired session and a reload', async ({
      page,
      app,
      context,
      flicket,
      consoleErrors,
    }) => {
      consoleErrors.expectHttpError(401)
      const username = await signInNewUser(flicket, app, lang)
      const id = await seedTicket(flicket, 'Projector flickers')
      await page.goto(`/tickets/${id}`)
      const text = 'Checked the cable; a new one is on its way.'
      await app.tid('reply-content').fill(text)
      // A reload keeps the draft (the browser asks first: accept).
      page.once('dialog', (d) => void d.accept())
      await page.reload()
      await expect(app.tid('reply-content')).toHaveValue(text)
      await expect(app.tid('reply-draft-restored')).toBeVisible()
      // The page marks the ticket seen once drawn, and the side bar's counts
      // refresh after that: let them finish while still signed in.
      await page.waitForLoadState('networkidle')

      // The session ends (cookie gone) while typing; sending goes to sign-in.
      await context.clearCookies()
      await app.tid('reply-submit').click()
      await expect(page).toHaveURL(new RegExp(`/login\\?next=%2Ftickets%2F${id}$`))
      await expect(app.tid('leave-dialog')).toHaveCount(0)
      await app.tid('login-username').fill(username)
      await app.tid('login-password').fill(PASSWORD)
      await app.tid('login-submit').click()
      await expect(app.tid('reply-content')).toHaveValue(text)
      await app.tid('reply-submit').click()
      await expect(app.tid('reply').filter({ hasText: 'a new one is on its way' })).toBeVisible()
      await expect(app.tid('reply-content')).toHaveValue('')
      // Sent: the draft is gone, a reload shows an empty box.
      await page.reload()
      await expect(app.tid('reply-content')).toHaveValue('')
      await expect(app.tid('reply-draft-restored')).toHaveCount(0)
      const posts = await flicket.api<{ items: { content: string }[] }>('GET', `/posts/${id}/`)
      expect(posts.items.filter((p) => p.content === text)).toHaveLength(1)
    })

    test('leaving with unsent text asks first; the new ticket waits as a draft', async ({
      page,
      app,
      flicket,
    }) => {
      await signInNewUser(flicket, app, lang)
      await page.goto('/tickets/new')
      await app.tid('ticket-title').fill('Keyboard missing keys')
      await app.tid('ticket-content').fill('The Q and W keys are gone.')
      await app.tid('nav-burger').click()
      await app.tid('nav-dashboard').click()
      const dialog = app.tid('leave-dialog')
      await expect(dialog).toBeVisible()
      await expect(page.getByRole('dialog')).toContainText(
        lang === 'fr' ? 'Quitter cette page' : 'Leave this page',
      )
      await app.tid('leave-stay').click()
      await expect(page).toHaveURL(/\/tickets\/new$/)
      await expect(app.tid('ticket-title')).toHaveValue('Keyboard missing keys')
      await app.tid('nav-burger').click()
      await app.tid('nav-dashboard').click()
      await app.tid('leave-confirm').click()
      await expect(page).toHaveURL(/\/$/)
      // Back later: the draft is there.
      await page.goto('/tickets/new')
      await expect(app.tid('ticket-title')).toHaveValue('Keyboard missing keys')
      await expect(app.tid('ticket-content')).toHaveValue('The Q and W keys are gone.')
      await expect(app.tid('ticket-draft-restored')).toBeVisible()
    })
  })
}

test('a double click on "Create the ticket" creates one ticket', async ({ page, app, flicket }) => {
  await app.signInAdmin()
  await page.goto('/tickets/new')
  const title = `Scanner jams ${Date.now()}`
  await app.tid('ticket-title').fill(title)
  await app.select('ticket-department', 'IT')
  await app.select('ticket-category', 'Internet')
  await app.tid('ticket-content').fill('The scanner jams on every page.')
  // A slow server: the second click lands while the first is in flight.
  const keys: (string | null)[] = []
  let body = ''
  await page.route('**/flicket-api/tickets', async (route) => {
    keys.push(await route.request().headerValue('Idempotency-Key'))
    body = route.request().postData() ?? ''
    await new Promise((r) => setTimeout(r, 400))
    await route.continue()
  })
  await app.tid('ticket-submit').dblclick()
  await expect(app.tid('ticket-heading').filter({ hasText: title })).toBeVisible()
  const found = await flicket.api<{ items: unknown[] }>(
    'GET',
    `/tickets/?q=${encodeURIComponent(title)}`,
  )
  expect(found.items).toHaveLength(1)
  expect(keys).toHaveLength(1)
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}\./)

  // The same key again (a retry whose first answer was lost) answers the
  // first ticket instead of making another; with another body it is refused.
  const headers = {
    'X-Requested-With': 'flicket',
    'Idempotency-Key': keys[0] ?? '',
    'Content-Type': 'application/json',
  }
  const again = await page.request.post('/flicket-api/tickets', { headers, data: body })
  expect(again.status()).toBe(201)
  expect(again.headers()['idempotent-replayed']).toBe('true')
  const id = Number(new URL(page.url()).pathname.split('/').pop())
  expect(((await again.json()) as { id: number }).id).toBe(id)
  const other = await page.request.post('/flicket-api/tickets', {
    headers,
    data: body.replace('The scanner', 'A scanner'),
  })
  expect(other.status()).toBe(409)
  expect(((await other.json()) as { code: string }).code).toBe('idempotency.key_reused')
  const after = await flicket.api<{ items: unknown[] }>(
    'GET',
    `/tickets/?q=${encodeURIComponent(title)}`,
  )
  expect(after.items).toHaveLength(1)
})

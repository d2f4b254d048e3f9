// Faster to first paint (issue 13, point 7): what the browser fetches before
// the first useful screen after sign-in, and the ticket page's data asked for
// in parallel with its code.
import type { Page, Request } from '@playwright/test'
import { expect, test, type Flicket } from '../support/fixtures.ts'
import { expectNoViolations } from '../support/axe.ts'

const BUDGET_KB = 200
const PASSWORD = 'First-paint-1'

/** A new agent (administrators' group) whose saved language is lang. */
export async function userIn(flicket: Flicket, lang: 'en' | 'fr'): Promise<string> {
  const username = `fp${lang}${Math.random().toString(36).slice(2, 8)}`
  await flicket.api('POST', '/users', {
    username,
    name: lang === 'fr' ? 'Camille Dupont' : 'Casey Jones',
    email: `${username}@example.com`,
    password: PASSWORD,
    locale: lang,
    groups: ['flicket_admin'],
  })
  return username
}

/** The JavaScript the page received (gzip, as sent), from now on. */
function jsReceived(page: Page) {
  const done: Promise<number>[] = []
  const files: string[] = []
  page.on('requestfinished', (r: Request) => {
    if (!new URL(r.url()).pathname.endsWith('.js')) return
    files.push(new URL(r.url()).pathname)
    done.push(r.sizes().then((s) => s.responseBodySize))
  })
  return {
    files,
    async kb() {
      const sizes = await Promise.all(done)
      return sizes.reduce((a, b) => a + b, 0) / 1024
    },
  }
}

for (const lang of ['en', 'fr'] as const) {
  test.describe(lang, () => {
    test.use({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB' })

    test(`sign-in to a useful dashboard within ${BUDGET_KB} KB of JavaScript, chart later, ${lang}`, async ({
      page,
      app,
      flicket,
    }) => {
      await flicket.api('POST', '/tickets', {
        title: `First paint ${lang}`,
        content: 'A high-priority ticket for the dashboard.',
        category_id: 1,
        ticket_priority_id: 3,
      })
      // What comes after the first screen is held back (the chart, the
      // account menu, the toasts' container, the bell and the saved views, which
      // the layout loads just after): the dashboard must be useful
      // without it, and the JavaScript it took is what the budget counts.
      let release = () => undefined as void
      const held = new Promise<void>((r) => (release = r))
      await page.route(
        /\/assets\/(StatsChart|UserMenu|Toasts|NotificationBell|SavedViewLinks)-[^/]*\.js$/,
        async (route) => {
          await held
          await route.continue()
        },
      )
      const js = jsReceived(page)

      await page.goto('/login')
      await app.tid('login-username').fill(await userIn(flicket, lang))
      await app.tid('login-password').fill(PASSWORD)
      await app.tid('login-submit').click()
      const table = app.tid('high-priority')
      await expect(table.getByText(`First paint ${lang}`)).toBeVisible()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(
        lang === 'fr' ? 'Tableau de bord' : 'Dashboard',
      )
      const kb = await js.kb()
      test.info().annotations.push({
        type: 'first-screen JavaScript',
        description: `${kb.toFixed(1)} KB gzip in ${js.files.length} files`,
      })
      console.log(`first screen after sign-in (${lang}): ${kb.toFixed(1)} KB of JavaScript (gzip)`)
      expect(kb, js.files.join('\n')).toBeLessThanOrEqual(BUDGET_KB)
      expect(js.files.some((f) => f.includes('StatsChart'))).toBe(false)

      // Then the chart arrives below, and the account menu.
      await expect(app.tid('stats-chart-loading')).toBeVisible()
      release()
      await expect(app.tid('stats-chart')).toBeVisible()
      await expect(app.tid('user-menu')).toBeVisible()
      await expectNoViolations(page, `dashboard (${lang})`)
    })
  })
}

for (const lang of ['en', 'fr'] as const) {
  test(`the ticket page's data is asked for while its code downloads, ${lang}`, async ({
    page,
    app,
    flicket,
  }) => {
    const title = `Parallel ${lang} ${Date.now()}`
    const tk = await flicket.api<{ id: number }>('POST', '/tickets', {
      title,
      content: 'The data must not wait for the code.',
      category_id: 1,
      ticket_priority_id: 3,
    })
    await flicket.api('POST', '/posts', { ticket_id: tk.id, content: `First reply ${lang}` })
    await app.signIn(await userIn(flicket, lang), PASSWORD)

    // The ticket page's code arrives 1.5 s late; when was its data asked for?
    let released = Infinity
    await page.route(/\/assets\/TicketRoute-[^/]*\.js$/, async (route) => {
      await new Promise((r) => setTimeout(r, 1500))
      released = Date.now()
      await route.continue()
    })
    // One request brings the ticket and its replies (ticket-one-request.spec.ts).
    const asked = new Map<string, number>()
    page.on('request', (r) => {
      const url = new URL(r.url())
      if (url.pathname !== `/flicket-api/ticket/${tk.id}`) return
      const include = url.searchParams.get('include')?.split(',') ?? []
      if (!asked.has('ticket')) asked.set('ticket', Date.now())
      if (include.includes('posts') && !asked.has('replies')) asked.set('replies', Date.now())
    })
    const expectAskedBeforeCode = async () => {
      await expect(app.tid('ticket-heading').filter({ hasText: title })).toBeVisible()
      await expect(page.getByText(`First reply ${lang}`)).toBeVisible()
      for (const what of ['ticket', 'replies']) {
        const at = asked.get(what)
        expect(at, `${what} never requested`).toBeDefined()
        expect(at!, `${what} requested after the page's code arrived`).toBeLessThan(released)
      }
    }

    // From a link (pointed at, then clicked) on the dashboard.
    await page.goto('/')
    await app
      .tid('high-priority')
      .getByRole('link', { name: new RegExp(title) })
      .click()
    await expectAskedBeforeCode()
    await expectNoViolations(page, `ticket page (${lang})`)

    // A first visit straight to the ticket's address.
    asked.clear()
    released = Infinity
    await page.goto(`/tickets/${tk.id}`)
    await expectAskedBeforeCode()
  })
}

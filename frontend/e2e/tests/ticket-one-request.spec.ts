// The ticket page drawn from one request (issue 13, point 7): opened from the
// list, the ticket, its replies, activity, subscribers and attachments come in
// one GET of /flicket-api/ticket/{id}?include=..., not one request each.
import type { Request } from '@playwright/test'
import { expect, test } from '../support/fixtures.ts'

const PASSWORD = 'One-request-1'

/** Every GET that reads a ticket's data (the ticket, replies, activity, subscribers, attachments). */
const ticketData =
  /^\/flicket-api\/(ticket\/\d+\/?$|posts\/|actions\/|subscriptions\/\d|uploads\/?$|histories\/)/

for (const lang of ['en', 'fr'] as const) {
  test.describe(lang, () => {
    test.use({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB' })

    test(`a ticket opened from the list is drawn after one GET of its data, ${lang}`, async ({
      page,
      app,
      flicket,
    }) => {
      const title = `One request ${lang} ${Date.now()}`
      const tk = await flicket.api<{ id: number }>('POST', '/tickets', {
        title,
        content: 'Everything the page shows first, in one answer.',
        category_id: 1,
        ticket_priority_id: 2,
      })
      await flicket.api('POST', '/posts', { ticket_id: tk.id, content: `The reply ${lang}` })
      await flicket.api('POST', `/ticket/${tk.id}/priority`, { ticket_priority_id: 3 })
      const username = `one${lang}${Math.random().toString(36).slice(2, 8)}`
      await flicket.api('POST', '/users', {
        username,
        name: lang === 'fr' ? 'Claude Martin' : 'Charlie Brown',
        email: `${username}@example.com`,
        password: PASSWORD,
        locale: lang,
      })
      await app.signIn(username, PASSWORD)
      await page.goto('/tickets')
      const link = app.tid('ticket-row').filter({ hasText: title }).getByTestId('ticket-link')
      await expect(link).toBeVisible()

      // From the pointer reaching the link to the page drawn: what the API was asked.
      const asked: string[] = []
      const onRequest = (r: Request) => {
        const url = new URL(r.url())
        if (url.pathname.startsWith('/flicket-api/')) {
          asked.push(`${r.method()} ${url.pathname}${url.search}`)
        }
      }
      page.on('request', onRequest)
      // The click points at the link first: its prefetch and the route's loader share one request.
      await link.click()
      await expect(app.tid('ticket-heading').filter({ hasText: title })).toBeVisible()
      await expect(app.tid('replies').getByText(`The reply ${lang}`)).toBeVisible()
      await expect(app.tid('subscriber').first()).toBeVisible()
      await expect(app.tid('action-line').first()).toBeVisible()
      page.off('request', onRequest)

      const reads = asked.filter((a) => {
        const [method, rest] = a.split(' ')
        return method === 'GET' && ticketData.test(new URL(rest ?? '', 'http://x').pathname)
      })
      console.log(`ticket page (${lang}), API requests until drawn:\n  ${asked.join('\n  ')}`)
      expect(reads, `GETs of ticket data:\n${asked.join('\n')}`).toHaveLength(1)
      expect(reads[0]).toMatch(new RegExp(`^GET /flicket-api/ticket/${tk.id}\\?include=`))
    })
  })
}

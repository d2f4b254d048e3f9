// CORS in a real browser: a page on another origin (an integrator's
// dashboard, here on the same host but another port, so the same site)
// calls the API with a bearer token; the session cookie gets it nothing.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '../support/fixtures.ts'
import { ADMIN_PASSWORD } from '../support/server.ts'

let dashboard: Server
let origin = ''

test.beforeAll(async () => {
  dashboard = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(
      '<!DOCTYPE html><html lang="en"><head><title>Dashboard</title></head><body>dashboard</body></html>',
    )
  })
  await new Promise<void>((resolve) => dashboard.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(dashboard.address() as AddressInfo).port}`
})

test.afterAll(async () => {
  await new Promise((resolve) => dashboard.close(resolve))
})

interface Outcome {
  status?: number
  location?: string | null
  error?: string
}

test('another origin: bearer token allowed, session cookie refused', async ({
  page,
  app,
  flicket,
  consoleErrors,
}) => {
  // Signed in to Flicket in this browser: the cookie exists and, the site
  // being the same, SameSite=Strict alone would not keep it back.
  await app.signInAdmin()
  await page.goto(origin)
  expect(new URL(page.url()).origin).not.toBe(flicket.base)

  const bearer = await page.evaluate(
    async ({ base, password }): Promise<Outcome> => {
      const t = await fetch(`${base}/flicket-api/tokens`, {
        method: 'POST',
        headers: { Authorization: `Basic ${btoa(`admin:${password}`)}` },
      })
      const { token } = (await t.json()) as { token: string }
      const r = await fetch(`${base}/flicket-api/tickets`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          title: 'From the dashboard',
          content: 'Sent with a token',
          category_id: 1,
          ticket_priority_id: 1,
        }),
      })
      return { status: r.status, location: r.headers.get('Location') }
    },
    { base: flicket.base, password: ADMIN_PASSWORD },
  )
  expect(bearer.status, 'bearer POST from another origin').toBe(201)
  expect(bearer.location, 'Location is exposed').toMatch(/\/flicket-api\/ticket\/\d+$/)

  // With the cookie: the preflight grants no credentials, so the browser
  // never sends the request (and logs the refusal).
  consoleErrors.expectError(/blocked by CORS policy|net::ERR_FAILED/)
  const withCookie = await page.evaluate(async (base): Promise<Outcome> => {
    try {
      const r = await fetch(`${base}/flicket-api/tickets`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'flicket' },
        body: JSON.stringify({
          title: 'Cookie from elsewhere',
          content: 'Must not exist',
          category_id: 1,
          ticket_priority_id: 1,
        }),
      })
      return { status: r.status }
    } catch (e) {
      return { error: String(e) }
    }
  }, flicket.base)
  expect(withCookie.error, 'a credentialed cross-origin request went through').toContain(
    'Failed to fetch',
  )

  // A request needing no preflight (a form's) carries the cookie but not
  // the header or our origin: refused by the server.
  consoleErrors.expectHttpError(403)
  await page.evaluate(async (base) => {
    await fetch(`${base}/flicket-api/tickets`, {
      method: 'POST',
      mode: 'no-cors',
      credentials: 'include',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({
        title: 'Cookie from elsewhere',
        content: 'Must not exist',
        category_id: 1,
        ticket_priority_id: 1,
      }),
    })
  }, flicket.base)
  const found = await flicket.api<{ items: unknown[] }>(
    'GET',
    `/tickets/?q=${encodeURIComponent('Cookie from elsewhere')}`,
  )
  expect(found.items, 'a ticket was created with the cookie from another origin').toHaveLength(0)
})

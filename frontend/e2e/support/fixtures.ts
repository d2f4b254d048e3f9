// The journeys' fixtures: one real server per worker (a fresh SQLite
// database, so a retried or parallel journey never sees another worker's
// data), the page object, and the rule that any console error fails a test.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test'
import { App } from './app.ts'
import { adminApi, startServer, TECH, type AdminApi, type FlicketServer } from './server.ts'

/** Console errors and uncaught page errors of every browser context it watches. */
export class ConsoleErrors {
  private readonly seen: string[] = []
  private readonly allowed: RegExp[] = []

  watch(ctx: BrowserContext) {
    ctx.on('console', (m) => {
      if (m.type() === 'error') this.seen.push(m.text())
    })
    ctx.on('weberror', (e) => this.seen.push(String(e.error())))
  }

  /** Chrome logs every 4xx answer; a journey that provokes one says so. */
  expectHttpError(status: number) {
    this.allowed.push(new RegExp(`status of ${status}\\b`))
  }

  /** Any other console error a journey provokes on purpose (a CORS refusal). */
  expectError(pattern: RegExp) {
    this.allowed.push(pattern)
  }

  /** The errors left once those provoked on purpose are removed. */
  unexpected(): string[] {
    return this.seen.filter((e) => !this.allowed.some((re) => re.test(e)))
  }
}

export interface Flicket extends FlicketServer {
  /** The API as the administrator, for seeding. */
  api: AdminApi
}

export interface Session {
  page: Page
  app: App
}

interface TestFixtures {
  consoleErrors: ConsoleErrors
  app: App
  /** Another browser (a new context, watched for console errors too). */
  newSession: () => Promise<Session>
}

interface WorkerFixtures {
  flicket: Flicket
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  flicket: [
    // Playwright reads a fixture's dependencies from this (empty) pattern.
    async ({}, use) => {
      const server = await startServer()
      try {
        const api = await adminApi(server.base)
        await api('POST', '/users', { ...TECH, email: 'tech@example.com' })
        await use({ ...server, api })
      } finally {
        await server.stop()
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  baseURL: async ({ flicket }, use) => {
    await use(flicket.base)
  },

  consoleErrors: [
    async ({ context, flicket }, use, testInfo) => {
      const errors = new ConsoleErrors()
      errors.watch(context)
      const logFrom = flicket.log.length
      await use(errors)
      const log = flicket.log.slice(logFrom).join('')
      if (log && testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('flicket.log', { body: log, contentType: 'text/plain' })
      }
      expect(flicket.exited(), `flicket exited during the test:\n${log}`).toBe(false)
      expect(errors.unexpected(), 'console errors').toEqual([])
    },
    { auto: true },
  ],

  app: async ({ page }, use) => {
    await use(new App(page))
  },

  newSession: async ({ browser, baseURL, locale, viewport, consoleErrors }, use) => {
    const contexts: BrowserContext[] = []
    await use(async () => {
      const ctx = await browser.newContext({ baseURL, locale, viewport })
      contexts.push(ctx)
      consoleErrors.watch(ctx)
      const page = await ctx.newPage()
      return { page, app: new App(page) }
    })
    for (const ctx of contexts) await ctx.close()
  },
})

export { expect }

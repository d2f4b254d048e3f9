// What journeys do over and over, in the words of the app: sign in, pick in a
// Mantine select, create a ticket, switch language, take a README picture.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, type Locator, type Page } from '@playwright/test'
import { ADMIN_PASSWORD, ROOT } from './server.ts'

/** README pictures go to FLICKET_E2E_SCREENSHOTS (`make screenshots`), else to results/. */
const SHOTS = process.env.FLICKET_E2E_SCREENSHOTS
  ? resolve(ROOT, process.env.FLICKET_E2E_SCREENSHOTS)
  : join(import.meta.dirname, '..', 'results', 'screenshots')

// A 2×2 red PNG (avatars) and a text file (attachments).
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGO4YGAARAwQCgAjzgTBL1P/5wAAAABJRU5ErkJggg==',
  'base64',
)
export const NOTES = 'Event log of the printer, 26 November.\nError 0x42 at 09:12.\n'

export interface TicketPlace {
  department?: string
  category?: string
}

export class App {
  readonly page: Page

  constructor(page: Page) {
    this.page = page
  }

  tid(id: string): Locator {
    return this.page.getByTestId(id)
  }

  async signIn(username: string, password: string, remember = false) {
    await this.page.goto('/login')
    await this.tid('login-username').fill(username)
    await this.tid('login-password').fill(password)
    if (remember) await this.tid('login-remember').check()
    await this.tid('login-submit').click()
    await expect(this.tid('user-menu')).toBeVisible()
  }

  async signInAdmin() {
    await this.signIn('admin', ADMIN_PASSWORD)
  }

  async signOut() {
    // By keyboard, as a user may: a toast (top right, shown once its lazily
    // loaded component arrives, and held open while the pointer is over it)
    // can cover the account menu at any moment, and a pointer click on it
    // would wait for a toast that never closes.
    await this.tid('user-menu').press('Enter')
    await this.tid('sign-out').press('Enter')
    await expect(this.tid('login-form')).toBeVisible()
  }

  /** Picks a value in a Mantine Select by its visible label. */
  async select(testId: string, optionLabel: string) {
    await this.tid(testId).click()
    await this.page.getByRole('option', { name: optionLabel, exact: true }).click()
  }

  /** Types into a user autocomplete and picks the first suggestion matching. */
  async pickUser(testId: string, text: string, optionPattern: RegExp) {
    await this.tid(testId).fill(text)
    await this.page.getByRole('option', { name: optionPattern }).first().click()
  }

  /** Chooses files through the file picker a click opens. */
  async chooseFiles(testId: string, files: { name: string; mimeType: string; buffer: Buffer }) {
    const chooser = this.page.waitForEvent('filechooser')
    await this.tid(testId).click()
    await (await chooser).setFiles(files)
  }

  /** Switches the language and checks it was saved on the account. */
  async language(label: string) {
    const saved = this.page.waitForResponse(
      (r) => r.url().endsWith('/flicket-api/me') && r.request().method() === 'PATCH',
    )
    await this.tid('language-switch').getByText(label, { exact: true }).click()
    expect((await saved).status(), `the language ${label} was not saved to the account`).toBe(200)
  }

  /** Creates a ticket through the form (priority High) and returns its id. */
  async createTicket(
    title: string,
    content: string,
    { department = 'IT', category = 'Internet' }: TicketPlace = {},
  ): Promise<number> {
    await this.page.goto('/tickets/new')
    await this.tid('ticket-title').fill(title)
    await this.select('ticket-department', department)
    await this.select('ticket-category', category)
    await this.select('ticket-priority', 'High')
    await this.tid('ticket-content').fill(content)
    await this.tid('ticket-submit').click()
    await expect(this.page).toHaveURL(/\/tickets\/\d+$/)
    await expect(this.tid('ticket-heading').filter({ hasText: title })).toBeVisible()
    return Number(new URL(this.page.url()).pathname.split('/').pop())
  }

  /** Waits until no toast is shown (an undo toast stays up to 10 s). */
  async toastsClosed() {
    await expect(this.page.locator('.mantine-Notification-root')).toHaveCount(0, {
      timeout: 15_000,
    })
  }

  /** Takes a README picture once the notifications have faded out. */
  async screenshot(name: string) {
    mkdirSync(SHOTS, { recursive: true })
    // The page's CSP refuses an injected style, so wait for them to go
    // rather than hide them.
    await this.toastsClosed()
    await this.page.screenshot({ path: join(SHOTS, `${name}.png`) })
  }
}

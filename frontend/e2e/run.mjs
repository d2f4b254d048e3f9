// End-to-end journeys of the SPA, in Debian's chromium (playwright-core, no
// browser download), against the real bin/flicket on a fresh SQLite
// database in a temporary folder. Each journey runs in a fresh browser
// context and fails on any console error. Screenshots for the README are
// taken along the way: into results/screenshots (not committed), or into
// the folder FLICKET_E2E_SCREENSHOTS names (`make screenshots` updates the
// README's pictures in frontend/e2e/screenshots). Prints "N passed, N failed".
//
//   node run.mjs            every journey
//   node run.mjs reply      the journeys whose name contains "reply"
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const binary = join(root, 'bin', 'flicket')
const shots = process.env.FLICKET_E2E_SCREENSHOTS
  ? resolve(root, process.env.FLICKET_E2E_SCREENSHOTS)
  : join(here, 'results', 'screenshots')
const ADMIN_PASSWORD = 'e2e-Admin-pass1'
// A plain user (no group), created through the API before the journeys.
const TECH = { username: 'tech', name: 'Tess Tech', password: 'Tech-pass-123' }
const only = process.argv[2]

// A 2×2 red PNG (avatars) and a text file (attachments).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGO4YGAARAwQCgAjzgTBL1P/5wAAAABJRU5ErkJggg==',
  'base64',
)
const NOTES = 'Event log of the printer, 26 November.\nError 0x42 at 09:12.\n'

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'flicket-e2e-'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const log = []
  const proc = spawn(binary, ['serve'], {
    env: {
      ...process.env,
      FLICKET_DATABASE_URL: `sqlite://${join(dir, 'flicket.db')}`,
      FLICKET_UPLOAD_DIR: join(dir, 'uploads'),
      FLICKET_LISTEN: `127.0.0.1:${port}`,
      FLICKET_BASE_URL: base,
      FLICKET_ADMIN_PASSWORD: ADMIN_PASSWORD,
      FLICKET_BCRYPT_COST: '4',
      FLICKET_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  proc.stdout.on('data', (d) => log.push(String(d)))
  proc.stderr.on('data', (d) => log.push(String(d)))
  for (let i = 0; i < 150; i++) {
    if (proc.exitCode !== null) throw new Error(`flicket exited: ${log.join('')}`)
    try {
      const r = await fetch(`${base}/healthz`)
      if (r.ok) return { base, proc, dir, log }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`flicket did not start: ${log.join('')}`)
}

/** Calls the API as the administrator (a token from POST /tokens): seeding only. */
async function adminApi(base) {
  const basic = Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')
  const r = await fetch(`${base}/flicket-api/tokens`, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}` },
  })
  if (!r.ok) throw new Error(`token: ${r.status} ${await r.text()}`)
  const { token } = await r.json()
  return async (method, path, body) => {
    const res = await fetch(`${base}/flicket-api${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
}

const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

// ---------------------------------------------------------------- helpers

class Journey {
  constructor(browser, base, viewport = { width: 1280, height: 900 }) {
    this.browser = browser
    this.base = base
    this.viewport = viewport
    this.consoleErrors = []
    this.expectedErrors = []
  }
  async open() {
    this.ctx = await this.browser.newContext({
      viewport: this.viewport,
      locale: 'en-GB',
      acceptDownloads: true,
    })
    this.page = await this.ctx.newPage()
    this.page.setDefaultTimeout(10_000)
    this.page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text())
    })
    this.page.on('pageerror', (e) => this.consoleErrors.push(String(e)))
    return this.page
  }
  async close() {
    await this.ctx?.close()
  }
  /** Console errors left once those the journey provoked on purpose are removed. */
  unexpectedErrors() {
    return this.consoleErrors.filter((e) => !this.expectedErrors.some((re) => re.test(e)))
  }
  /** Chrome logs every 4xx answer; a journey that provokes one says so. */
  expectHttpError(status) {
    this.expectedErrors.push(new RegExp(`status of ${status}\\b`))
  }
  tid(id) {
    return this.page.getByTestId(id)
  }
  async goto(path) {
    await this.page.goto(this.base + path)
  }
  async signIn(username, password, remember = false) {
    await this.goto('/login')
    await this.tid('login-username').fill(username)
    await this.tid('login-password').fill(password)
    if (remember) await this.tid('login-remember').check()
    await this.tid('login-submit').click()
    await this.tid('user-menu').waitFor()
  }
  async signInAdmin() {
    await this.signIn('admin', ADMIN_PASSWORD)
  }
  async signOut() {
    await this.tid('user-menu').click()
    await this.tid('sign-out').click()
    await this.tid('login-form').waitFor()
  }
  /** Picks a value in a Mantine Select by its visible label. */
  async select(testId, optionLabel) {
    await this.tid(testId).click()
    await this.page.getByRole('option', { name: optionLabel, exact: true }).click()
  }
  /** Types into a user autocomplete and picks the first suggestion matching. */
  async pickUser(testId, text, optionPattern) {
    await this.tid(testId).fill(text)
    await this.page.getByRole('option', { name: optionPattern }).first().click()
  }
  /** Chooses files through the file picker a click opens. */
  async chooseFiles(testId, files) {
    const [chooser] = await Promise.all([
      this.page.waitForEvent('filechooser'),
      this.tid(testId).click(),
    ])
    await chooser.setFiles(files)
  }
  async language(label) {
    const saved = this.page.waitForResponse(
      (r) => r.url().endsWith('/flicket-api/me') && r.request().method() === 'PATCH',
    )
    await this.tid('language-switch').getByText(label, { exact: true }).click()
    expect((await saved).status() === 200, `the language ${label} was not saved to the account`)
  }
  async screenshot(name) {
    mkdirSync(shots, { recursive: true })
    // Notifications fade in and out: leave them out of the pictures (the
    // page's CSP refuses an injected style, so wait for them to go).
    await this.page.waitForFunction(() => !document.querySelector('.mantine-Notification-root'))
    await this.page.screenshot({ path: join(shots, `${name}.png`) })
  }
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg)
}

/** Waits until a test id is shown exactly n times. */
async function countIs(j, testId, n) {
  await j.page.waitForFunction(
    ([id, want]) => document.querySelectorAll(`[data-testid="${id}"]`).length === want,
    [testId, n],
  )
}

async function createTicket(j, title, content, { department = 'IT', category = 'Internet' } = {}) {
  await j.goto('/tickets/new')
  await j.tid('ticket-title').fill(title)
  await j.select('ticket-department', department)
  await j.select('ticket-category', category)
  await j.select('ticket-priority', 'High')
  await j.tid('ticket-content').fill(content)
  await j.tid('ticket-submit').click()
  await j.page.waitForURL(/\/tickets\/\d+$/)
  await j.tid('ticket-heading').filter({ hasText: title }).waitFor()
  return Number(new URL(j.page.url()).pathname.split('/').pop())
}

// --------------------------------------------------------------- journeys

const journeys = {
  async 'sign in, session cookie, sign out'(j) {
    await j.signIn('admin', ADMIN_PASSWORD, true)
    await j.tid('nav-dashboard').waitFor()
    // The token lives in an HttpOnly cookie only: invisible to scripts.
    const seen = await j.page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }))
    expect(
      !seen.cookie.includes('flicket_session'),
      `session cookie readable by JS: ${seen.cookie}`,
    )
    expect(!/eyJ[\w-]+\.[\w-]+\./.test(seen.local + seen.session), 'a token is in web storage')
    const cookies = await j.ctx.cookies()
    const ck = cookies.find((c) => c.name === 'flicket_session')
    expect(ck && ck.httpOnly && ck.sameSite === 'Strict', `cookie flags: ${JSON.stringify(ck)}`)
    // A reload keeps the session.
    await j.page.reload()
    await j.tid('user-menu').waitFor()
    await j.signOut()
    await j.goto('/users')
    await j.page.waitForURL(/\/login\?next=%2Fusers/)
  },

  async 'wrong password shows an error, no session'(j) {
    j.expectHttpError(401)
    await j.goto('/login')
    await j.tid('login-username').fill('admin')
    await j.tid('login-password').fill('not-the-password')
    await j.tid('login-submit').click()
    await j.tid('error-banner').filter({ hasText: 'wrong' }).waitFor()
    expect((await j.tid('user-menu').count()) === 0, 'signed in with a wrong password')
  },

  async 'forgot-password form answers'(j) {
    await j.goto('/login')
    await j.page.getByRole('link', { name: 'Forgot your password?' }).click()
    await j.page.waitForURL(/\/forgot-password$/)
    // An address that is not one is refused before anything is sent.
    await j.tid('forgot-email').fill('not-an-address')
    await j.tid('forgot-submit').click()
    await j.page.getByText('Enter a valid e-mail address.').waitFor()
    // Any well-formed address gets the same answer: no account is revealed.
    const answer = j.page.waitForResponse((r) => r.url().endsWith('/flicket-api/password-reset'))
    await j.tid('forgot-email').fill('nobody@example.com')
    await j.tid('forgot-submit').click()
    expect((await answer).status() === 202, 'the reset request was not accepted')
    await j.tid('reset-sent').waitFor()
  },

  async 'create a ticket with a live markdown preview'(j) {
    await j.signInAdmin()
    await j.goto('/tickets/new')
    await j.tid('ticket-content-split-tab').click()
    await j.tid('ticket-content').fill('Printer **on fire** <script>alert(1)</script>')
    const preview = j.tid('ticket-content-preview')
    await preview.locator('strong', { hasText: 'on fire' }).waitFor()
    expect((await preview.locator('script').count()) === 0, 'the preview kept a script')
    // The preview follows the typing.
    await j.tid('ticket-content').fill('Printer **on fire**\n\n* paper tray\n* toner')
    await preview.locator('li', { hasText: 'toner' }).waitFor()
    await j.tid('ticket-content-preview-tab').click()
    await preview.locator('li', { hasText: 'paper tray' }).waitFor()
    await j.tid('ticket-content-write').click()
    await createTicket(j, 'Printer on fire', 'The printer is **on fire**.')
    await j.tid('ticket-content-html').locator('strong', { hasText: 'on fire' }).waitFor()
  },

  async 'reply with hours and a status change'(j) {
    await j.signInAdmin()
    await createTicket(j, 'VPN drops every hour', 'The VPN connection drops every hour.')
    await j.tid('reply-content').fill('Have you tried **turning it off** and on again?')
    await j.select('reply-status', 'In work')
    await j.tid('reply-hours').fill('1.5')
    await j.tid('reply-submit').click()
    const reply = j.tid('reply').filter({ hasText: 'turning it off' })
    await reply.waitFor()
    await reply.locator('strong', { hasText: 'turning it off' }).waitFor()
    await reply.getByText('Hours: 1.5').waitFor()
    await j.tid('ticket-status').filter({ hasText: 'In work' }).waitFor()
    await j.tid('ticket-total-hours').filter({ hasText: '1.5' }).waitFor()
    await j.tid('action-line').filter({ hasText: 'Status changed to In work' }).waitFor()
    // The form is ready for the next reply.
    expect((await j.tid('reply-content').inputValue()) === '', 'the reply box was not emptied')
  },

  async 'assign with user autocomplete, claim, release and close'(j) {
    await j.signInAdmin()
    await createTicket(j, 'Monitor flickers', 'The monitor flickers when cold.')
    await j.tid('action-assign').click()
    await j.pickUser('assign-user', 'tes', /Tess Tech/)
    await j.tid('assign-submit').click()
    await j.tid('ticket-assignee').filter({ hasText: TECH.name }).waitFor()
    await j
      .tid('action-line')
      .filter({ hasText: `Assigned to ${TECH.name}` })
      .waitFor()
    await j.tid('action-claim').click()
    await j.tid('ticket-assignee').filter({ hasText: 'admin' }).waitFor()
    await j.tid('action-release').click()
    await j.tid('ticket-assignee').filter({ hasText: 'Not assigned' }).waitFor()
    await j.tid('action-claim').click()
    await j.tid('ticket-assignee').filter({ hasText: 'admin' }).waitFor()
    await j.tid('action-close').click()
    await j.tid('ticket-status').filter({ hasText: 'Closed' }).waitFor()
    await j.tid('action-line').filter({ hasText: 'Closed by' }).waitFor()
    expect((await j.tid('action-close').count()) === 0, 'a closed ticket offers to close it')
  },

  async 'attachments: upload on a ticket and a reply, download'(j) {
    await j.signInAdmin()
    await createTicket(j, 'Printer error log', 'The printer logs errors, see the attachment.')
    await j.chooseFiles('ticket-attach-files', {
      name: 'printer-log.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(NOTES),
    })
    await j.tid('ticket-attach-submit').click()
    const link = j.tid('attachment').filter({ hasText: 'printer-log.txt' })
    await link.waitFor()
    const [download] = await Promise.all([j.page.waitForEvent('download'), link.click()])
    expect(
      download.suggestedFilename() === 'printer-log.txt',
      `downloaded as ${download.suggestedFilename()}`,
    )
    const got = readFileSync(await download.path(), 'utf8')
    expect(got === NOTES, `the download differs from the upload: ${JSON.stringify(got)}`)
    // A reply with an attachment.
    await j.tid('reply-content').fill('Here is a picture of the display.')
    await j.chooseFiles('reply-files', { name: 'display.png', mimeType: 'image/png', buffer: PNG })
    await j.tid('reply-submit').click()
    await j
      .tid('reply')
      .filter({ hasText: 'picture of the display' })
      .getByTestId('reply-attachment')
      .filter({ hasText: 'display.png' })
      .waitFor()
  },

  async 'filter and search the ticket list (filters in the URL)'(j) {
    await j.signInAdmin()
    await createTicket(j, 'Keyboard missing keys', 'Several keys are missing.')
    await createTicket(j, 'Mouse double clicks', 'The mouse double clicks.')
    await j.goto('/tickets')
    await j.tid('ticket-row').filter({ hasText: 'Mouse double clicks' }).waitFor()
    await j.tid('filter-q').fill('Keyboard')
    await j.page.waitForURL(/q=Keyboard/)
    await j.tid('ticket-row').filter({ hasText: 'Keyboard missing keys' }).waitFor()
    await countIs(j, 'ticket-row', 1)
    await j.select('filter-department', 'IT')
    await j.page.waitForURL(/department_id=\d+/)
    await j.tid('filter-state').getByText('All', { exact: true }).click()
    await j.page.waitForURL(/state=all/)
    const href = await j.tid('export-csv').getAttribute('href')
    expect(
      href.includes('/flicket-api/tickets/export.csv?') && href.includes('q=Keyboard'),
      `CSV link ${href}`,
    )
    // The filters are in the URL: a reload (or a shared link) shows the same list.
    await j.page.reload()
    await j.tid('ticket-row').filter({ hasText: 'Keyboard missing keys' }).waitFor()
    await countIs(j, 'ticket-row', 1)
    expect((await j.tid('filter-q').inputValue()) === 'Keyboard', 'the search box lost its text')
    // Nothing matches: the list says so.
    await j.tid('filter-q').fill('zzz-nothing-matches')
    await j.tid('filter-q').press('Enter')
    await j.tid('ticket-list-empty').waitFor()
    await j.tid('filter-reset').click()
    await j.page.waitForURL((u) => u.pathname === '/tickets' && u.search === '')
    await j.tid('ticket-row').filter({ hasText: 'Mouse double clicks' }).waitFor()
  },

  async 'dashboard charts render with data'(j) {
    await j.signInAdmin()
    await createTicket(j, 'Dashboard sample', 'A high-priority ticket for the dashboard.')
    await j.goto('/')
    await j.tid('high-priority').getByText('Dashboard sample').waitFor()
    const chart = j.tid('stats-chart')
    await chart.waitFor()
    await j.page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="stats-chart"] .recharts-bar-rectangle').length > 0,
    )
    await chart.getByText('IT', { exact: true }).first().waitFor()
    // A row of the table leads to the ticket.
    await j.tid('high-priority').getByText('Dashboard sample').click()
    await j.tid('ticket-heading').filter({ hasText: 'Dashboard sample' }).waitFor()
  },

  async 'departments and categories: add, rename, delete'(j) {
    j.expectHttpError(409)
    await j.signInAdmin()
    await j.goto('/departments')
    // Too short: the form says so before asking the server.
    await j.tid('new-department').fill('Fa')
    await j.tid('new-department-submit').click()
    await j.page.getByText('Must be between 3 and 30 characters long.').waitFor()
    await j.tid('new-department').fill('Facilities')
    await j.tid('new-department-submit').click()
    const dept = j.tid('department').filter({ hasText: 'Facilities' })
    await dept.waitFor()
    await dept.getByTestId('new-category').fill('Heating')
    await dept.getByTestId('new-category-submit').click()
    const cat = dept.getByTestId('category').filter({ hasText: 'Heating' })
    await cat.waitFor()
    await cat.getByTestId('rename-category').click()
    await dept.getByTestId('rename-category-name').fill('Heating and cooling')
    await dept.getByTestId('rename-category-name-submit').click()
    await dept.getByTestId('category').filter({ hasText: 'Heating and cooling' }).waitFor()
    // The new category is offered when creating a ticket.
    await createTicket(j, 'Radiator cold', 'The radiator in room 12 is cold.', {
      department: 'Facilities',
      category: 'Heating and cooling',
    })
    await j.goto('/departments')
    // In use: the category cannot be deleted, and the dialog says why.
    const used = j.tid('department').filter({ hasText: 'Facilities' }).getByTestId('category')
    await used.getByTestId('delete-category').click()
    await j.tid('delete-category-confirm').click()
    await j.page.getByRole('dialog').getByTestId('error-banner').waitFor()
    await j.page.keyboard.press('Escape')
    // A department renamed, and one with no categories deleted.
    await j.tid('new-department').fill('Old stock')
    await j.tid('new-department-submit').click()
    await j
      .tid('department')
      .filter({ hasText: 'Old stock' })
      .getByTestId('rename-department')
      .click()
    // While renaming, the name is in a text box, not in the card's text.
    const renaming = j.tid('department').filter({ has: j.tid('rename-department-name') })
    await renaming.getByTestId('rename-department-name').fill('Archive')
    await renaming.getByTestId('rename-department-name-submit').click()
    const archive = j.tid('department').filter({ hasText: 'Archive' })
    await archive.waitFor()
    await archive.getByTestId('delete-department').click()
    await j.tid('delete-department-confirm').click()
    await archive.waitFor({ state: 'detached' })
  },

  async 'my settings: name and picture'(j) {
    await j.signIn(TECH.username, TECH.password)
    await j.tid('user-menu').click()
    await j.tid('menu-settings').click()
    await j.page.waitForURL(/\/settings$/)
    await j.tid('settings-name').fill('Tess Technician')
    await j.tid('settings-save').click()
    await j.tid('user-menu').filter({ hasText: 'Tess Technician' }).waitFor()
    // Upload a picture: the page shows it at once.
    const served = j.page.waitForResponse(
      (r) => /\/flicket-api\/user\/\d+\/avatar\?v=1$/.test(r.url()) && r.status() === 200,
    )
    await j.tid('avatar-input').setInputFiles({
      name: 'me.png',
      mimeType: 'image/png',
      buffer: PNG,
    })
    const res = await served
    expect(res.headers()['content-type'] === 'image/png', 'the new picture is not the PNG')
    await j.page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="settings-avatar"] img')
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth === 2
    })
    // Removing it brings back the initials.
    const initials = j.page.waitForResponse(
      (r) => /\/flicket-api\/user\/\d+\/avatar\?v=2$/.test(r.url()) && r.status() === 200,
    )
    await j.tid('avatar-remove').click()
    expect(
      (await initials).headers()['content-type'] === 'image/svg+xml',
      'the picture was not removed',
    )
    await j.tid('settings-name').fill(TECH.name)
    await j.tid('settings-save').click()
    await j.tid('user-menu').filter({ hasText: TECH.name }).waitFor()
  },

  async 'switch to French and see French'(j) {
    await j.signInAdmin()
    await j.language('Français')
    await j.tid('nav-dashboard').filter({ hasText: 'Tableau de bord' }).waitFor()
    // Saved on the account: another browser gets French after signing in.
    const other = new Journey(j.browser, j.base)
    await other.open()
    await other.signInAdmin()
    await other.tid('nav-dashboard').filter({ hasText: 'Tableau de bord' }).waitFor()
    await other.close()
    await j.goto('/users')
    await j.page.getByRole('heading', { name: 'Utilisateurs' }).waitFor()
    await j.goto('/tickets/new')
    await j.page.getByRole('heading', { name: 'Créer un ticket' }).waitFor()
    await j.language('English')
    await j.tid('nav-dashboard').filter({ hasText: 'Dashboard' }).waitFor()
  },

  async 'an admin creates a user who then signs in; no admin actions for them'(j) {
    await j.signInAdmin()
    await j.goto('/admin/users')
    await j.tid('admin-add-user').click()
    await j.tid('user-username').fill('jdoe')
    await j.tid('user-name').fill('Jane Doe')
    await j.tid('user-email').fill('jane@example.com')
    await j.tid('user-password').fill('Secret-pass1')
    await j.tid('user-confirm').fill('Secret-pass1')
    await j.tid('user-submit').click()
    await j.tid('admin-users-table').getByText('jdoe', { exact: true }).waitFor()
    await j.signOut()
    await j.signIn('jdoe', 'Secret-pass1')
    expect((await j.tid('nav-admin-users').count()) === 0, 'a non-admin sees the admin menu')
    await j.goto('/admin/config')
    await j.tid('page-403').waitFor()
  },

  async 'a non-admin sees no admin actions on a ticket'(j) {
    await j.signInAdmin()
    const id = await createTicket(j, 'Admin only actions', 'Only admins may delete this.')
    await j.tid('action-delete').waitFor()
    await j.signOut()
    await j.signIn(TECH.username, TECH.password)
    await j.goto(`/tickets/${id}`)
    await j.tid('ticket-heading').waitFor()
    expect((await j.tid('action-delete').count()) === 0, 'delete shown to a non-admin')
    expect((await j.tid('action-edit').count()) === 0, 'edit shown to a stranger')
    expect((await j.tid('action-close').count()) === 0, 'close shown to a stranger')
    expect((await j.tid('action-category').count()) === 0, 'category change shown')
    await j.tid('action-claim').waitFor()
    await j.goto('/departments')
    await j.tid('department').first().waitFor()
    expect((await j.tid('new-department').count()) === 0, 'department form shown to a user')
  },

  async 'every other page opens without an error'(j) {
    await j.signInAdmin()
    const pages = [
      ['/users', 'users-table'],
      ['/users/1', 'profile-name'],
      ['/admin/users', 'admin-users-table'],
      ['/admin/groups', 'nav-admin-groups'],
      ['/admin/config', 'config-form'],
      ['/admin/mail', 'nav-admin-mail'],
      ['/markdown-help', 'nav-dashboard'],
    ]
    for (const [path, testId] of pages) {
      await j.goto(path)
      await j.tid(testId).first().waitFor()
      await j.page.waitForLoadState('networkidle')
      expect((await j.tid('error-banner').count()) === 0, `${path} shows an error`)
    }
    // The configuration saves as it is.
    await j.goto('/admin/config')
    await j.tid('config-save').click()
    await j.page.getByText('saved', { exact: false }).first().waitFor()
    // Groups: both built-in groups are listed.
    await j.goto('/admin/groups')
    await j.page.getByRole('cell', { name: 'flicket_admin', exact: true }).waitFor()
    await j.page.getByRole('cell', { name: 'super_user', exact: true }).waitFor()
    // Unknown pages and tickets say so.
    await j.goto('/no-such-page')
    await j.tid('page-404').waitFor()
    j.expectHttpError(404)
    await j.goto('/tickets/99999')
    await j.tid('page-404').waitFor()
  },

  async 'works at 375 px wide and by keyboard'(j) {
    // Sign in with the keyboard only.
    await j.goto('/login')
    await j.tid('login-username').focus()
    await j.page.keyboard.type('admin')
    await j.page.keyboard.press('Tab')
    await j.page.keyboard.type(ADMIN_PASSWORD)
    await j.page.keyboard.press('Enter')
    await j.tid('user-menu').waitFor()
    for (const path of ['/', '/tickets', '/tickets/new', '/users', '/departments', '/settings']) {
      await j.goto(path)
      await j.tid('user-menu').waitFor()
      await j.page.waitForTimeout(300)
      const overflow = await j.page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      )
      expect(overflow <= 0, `${path} scrolls sideways by ${overflow}px at 375 px`)
    }
    await j.tid('nav-burger').click()
    await j.tid('nav-users').click()
    await j.page.waitForURL(/\/users$/)
    // Keyboard: the search box takes focus and typing filters.
    await j.tid('users-search').focus()
    await j.page.keyboard.type('adm')
    await j.page.waitForURL(/q=adm/)
    // A ticket created with the keyboard: Tab moves through the form,
    // Enter submits it.
    await j.goto('/tickets/new')
    await j.tid('ticket-title').focus()
    await j.page.keyboard.type('Typed at the keyboard')
    // A Mantine list resets its highlight in a timeout once it opens: let
    // that run before the arrow keys move the highlight.
    const settle = () => j.page.evaluate(() => new Promise((r) => setTimeout(r, 0)))
    await j.tid('ticket-department').focus()
    await j.page.keyboard.press('Enter')
    await j.page.getByRole('option', { name: 'IT', exact: true }).waitFor()
    await settle()
    await j.page.keyboard.press('ArrowDown')
    await j.page.keyboard.press('Enter')
    await j.tid('ticket-category').focus()
    await j.page.keyboard.press('Enter')
    // The categories load once the department is picked: wait for this
    // list's own options (the department's list may still be closing).
    const list = await j.page
      .locator('[data-testid="ticket-category"][aria-controls]')
      .getAttribute('aria-controls')
    await j.page.locator(`[id="${list}"] [role="option"]`).first().waitFor()
    await settle()
    await j.page.keyboard.press('ArrowDown')
    await j.page.keyboard.press('Enter')
    await j.tid('ticket-content').focus()
    await j.page.keyboard.type('Written without a mouse.')
    await j.tid('ticket-title').press('Enter')
    await j.page.waitForURL(/\/tickets\/\d+$/)
    await j.tid('ticket-heading').filter({ hasText: 'Typed at the keyboard' }).waitFor()
    await j.screenshot('mobile-en')
  },

  async 'screenshots in English and French'(j) {
    await j.goto('/login')
    await j.tid('login-form').waitFor()
    await j.screenshot('login-en')
    await j.signInAdmin()
    // A ticket worth showing: a list in its text, a reply with hours, an assignee.
    const api = await adminApi(j.base)
    const cats = await api('GET', '/categories/?department=IT&per_page=100')
    const cat = cats.items.find((c) => c.category === 'Internet')
    const tk = await api('POST', '/tickets', {
      title: 'Intranet down since 9am',
      content:
        'The intranet answers **502 Bad Gateway** since 9am.\n\n* Wi-Fi and cable both fail\n* The VPN works\n\nSee the [status page](https://status.example.com).',
      category_id: cat.id,
      ticket_priority_id: 3,
    })
    const tech = (await api('GET', '/users/?q=tech')).items[0]
    await api('POST', `/ticket/${tk.id}/assign`, { user_id: tech.id })
    await api('POST', '/posts', {
      ticket_id: tk.id,
      content: 'The proxy lost its certificate; a new one is **being issued**.',
      hours: 0.75,
      status_id: 3,
    })
    for (const [lang, label] of [
      ['en', 'English'],
      ['fr', 'Français'],
    ]) {
      if (lang !== 'en') await j.language(label)
      await j.goto('/')
      await j.page.waitForFunction(
        () => document.querySelectorAll('.recharts-bar-rectangle').length > 0,
      )
      await j.page.waitForTimeout(600) // the bars grow in
      await j.screenshot(`dashboard-${lang}`)
      await j.goto('/tickets')
      await j.tid('ticket-row').first().waitFor()
      await j.screenshot(`tickets-${lang}`)
      await j.goto(`/tickets/${tk.id}`)
      await j.tid('reply').first().waitFor()
      await j.tid('action-line').first().waitFor()
      await j.screenshot(`ticket-${lang}`)
      await j.goto('/tickets/new')
      await j.tid('ticket-title').fill(lang === 'en' ? 'Printer jam' : 'Imprimante bloquée')
      await j.select('ticket-department', 'IT')
      await j.select('ticket-category', 'Intranet')
      await j.tid('ticket-content-split-tab').click()
      await j
        .tid('ticket-content')
        .fill(
          lang === 'en'
            ? 'The printer on the **2nd floor** jams on every job.\n\n1. Open tray 2\n2. Remove the paper\n\n> It started after the update.'
            : 'L’imprimante du **2e étage** se bloque à chaque impression.\n\n1. Ouvrir le bac 2\n2. Retirer le papier\n\n> Depuis la mise à jour.',
        )
      await j.tid('ticket-content-preview').locator('ol li').nth(1).waitFor()
      await j.screenshot(`create-ticket-${lang}`)
    }
    await j.language('English')
  },
}

// ------------------------------------------------------------------- main

const server = await startServer()
const browser = await chromium.launch({
  // Debian's chromium; CI runners elsewhere name their own browser.
  executablePath: process.env.FLICKET_E2E_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: launchArgs,
})
let passed = 0
let failed = 0
try {
  const api = await adminApi(server.base)
  await api('POST', '/users', { ...TECH, email: 'tech@example.com' })
  for (const [name, fn] of Object.entries(journeys)) {
    if (only && !name.includes(only)) continue
    const viewport = name.includes('375') ? { width: 375, height: 812 } : undefined
    const j = new Journey(browser, server.base, viewport)
    const started = Date.now()
    try {
      await j.open()
      await fn(j)
      const errors = j.unexpectedErrors()
      if (errors.length > 0) throw new Error(`console errors:\n    ${errors.join('\n    ')}`)
      passed++
      console.log(`ok    ${name} (${Date.now() - started} ms)`)
    } catch (e) {
      failed++
      console.log(`FAIL  ${name} (${Date.now() - started} ms)`)
      console.log(
        `      ${String(e.message ?? e)
          .split('\n')
          .join('\n      ')}`,
      )
      const errors = j.unexpectedErrors()
      if (errors.length > 0 && !String(e.message).startsWith('console errors'))
        console.log(`      console errors too:\n        ${errors.join('\n        ')}`)
      const shot = join(tmpdir(), `flicket-e2e-${name.replace(/\W+/g, '-')}.png`)
      await j.page?.screenshot({ path: shot }).catch(() => undefined)
      console.log(`      screenshot: ${shot}`)
    } finally {
      await j.close()
    }
  }
} catch (e) {
  failed++
  console.log(`FAIL  setup: ${e.message ?? e}`)
} finally {
  await browser.close()
  server.proc.kill('SIGTERM')
  await new Promise((r) => server.proc.once('exit', r))
  rmSync(server.dir, { recursive: true, force: true })
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)

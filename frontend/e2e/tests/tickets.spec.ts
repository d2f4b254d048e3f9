// Tickets: creating one with a live preview, working on it (assign, assign
// to me, release, close), attachments, and the filtered list.
import { readFileSync } from 'node:fs'
import { NOTES, PNG } from '../support/app.ts'
import { expect, test } from '../support/fixtures.ts'
import { TECH } from '../support/server.ts'

test('create a ticket with a live markdown preview', async ({ page, app }) => {
  await app.signInAdmin()
  await page.goto('/tickets/new')
  await app.tid('ticket-content-split-tab').click()
  await app.tid('ticket-content').fill('Printer **on fire** <script>alert(1)</script>')
  const preview = app.tid('ticket-content-preview')
  await expect(preview.locator('strong', { hasText: 'on fire' })).toBeVisible()
  await expect(preview.locator('script'), 'the preview kept a script').toHaveCount(0)
  // The preview follows the typing.
  await app.tid('ticket-content').fill('Printer **on fire**\n\n* paper tray\n* toner')
  await expect(preview.locator('li', { hasText: 'toner' })).toBeVisible()
  await app.tid('ticket-content-preview-tab').click()
  await expect(preview.locator('li', { hasText: 'paper tray' })).toBeVisible()
  await app.tid('ticket-content-write').click()
  await app.createTicket('Printer on fire', 'The printer is **on fire**.')
  await expect(
    app.tid('ticket-content-html').locator('strong', { hasText: 'on fire' }),
  ).toBeVisible()
})

test('assign with user autocomplete, assign to me, release and close', async ({ app }) => {
  await app.signInAdmin()
  await app.createTicket('Monitor flickers', 'The monitor flickers when cold.')
  const assignee = app.tid('triage-assignee')
  await app.pickUser('triage-assignee', 'tes', /Tess Tech/)
  await expect(assignee).toHaveValue(new RegExp(TECH.name))
  await expect(app.tid('action-line').filter({ hasText: `Assigned to ${TECH.name}` })).toBeVisible()
  await app.tid('triage-assign-me').click()
  await expect(assignee).toHaveValue(/admin/)
  // Releasing is clearing the assignee.
  await app.tid('triage-assignee-clear').click()
  await expect(assignee).toHaveValue('')
  await expect(assignee).toHaveAttribute('placeholder', 'Not assigned')
  await app.tid('triage-assign-me').click()
  await expect(assignee).toHaveValue(/admin/)
  await app.tid('action-close').click()
  await expect(app.tid('ticket-status').filter({ hasText: 'Closed' })).toBeVisible()
  await expect(app.tid('action-line').filter({ hasText: 'Closed by' })).toBeVisible()
  await expect(app.tid('action-close'), 'a closed ticket offers to close it').toHaveCount(0)
})

test('attachments: upload on a ticket and a reply, download', async ({ page, app }) => {
  await app.signInAdmin()
  await app.createTicket('Printer error log', 'The printer logs errors, see the attachment.')
  await app.chooseFiles('ticket-attach-files', {
    name: 'printer-log.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(NOTES),
  })
  await app.tid('ticket-attach-submit').click()
  const link = app.tid('attachment').filter({ hasText: 'printer-log.txt' })
  await expect(link).toBeVisible()
  const downloading = page.waitForEvent('download')
  await link.click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('printer-log.txt')
  const got = readFileSync(await download.path(), 'utf8')
  expect(got, 'the download differs from the upload').toBe(NOTES)
  // A reply with an attachment.
  await app.tid('reply-content').fill('Here is a picture of the display.')
  await app.chooseFiles('reply-files', { name: 'display.png', mimeType: 'image/png', buffer: PNG })
  await app.tid('reply-submit').click()
  await expect(
    app
      .tid('reply')
      .filter({ hasText: 'picture of the display' })
      .getByTestId('reply-attachment')
      .filter({ hasText: 'display.png' }),
  ).toBeVisible()
})

test('filter and search the ticket list (filters in the URL)', async ({ page, app }) => {
  await app.signInAdmin()
  await app.createTicket('Keyboard missing keys', 'Several keys are missing.')
  await app.createTicket('Mouse double clicks', 'The mouse double clicks.')
  await page.goto('/tickets')
  const rows = app.tid('ticket-row')
  await expect(rows.filter({ hasText: 'Mouse double clicks' })).toBeVisible()
  // Words no other journey's ticket has (the database is shared by the
  // worker's journeys, in any order).
  await app.tid('filter-q').fill('missing keys')
  await expect(page).toHaveURL(/q=missing(\+|%20)keys/)
  await expect(rows.filter({ hasText: 'Keyboard missing keys' })).toBeVisible()
  await expect(rows).toHaveCount(1)
  // Department and the like are behind "More filters".
  await app.tid('more-filters').click()
  await app.select('filter-department', 'IT')
  await expect(page).toHaveURL(/department_id=\d+/)
  await app.tid('filter-state').getByText('All', { exact: true }).click()
  await expect(page).toHaveURL(/state=all/)
  const csv = app.tid('export-csv')
  await expect(csv).toHaveAttribute('href', /\/flicket-api\/tickets\/export\.csv\?.*q=missing/)
  // The filters are in the URL: a reload (or a shared link) shows the same list.
  await page.reload()
  await expect(rows.filter({ hasText: 'Keyboard missing keys' })).toBeVisible()
  await expect(rows).toHaveCount(1)
  await expect(app.tid('filter-q'), 'the search box lost its text').toHaveValue('missing keys')
  // Nothing matches: the list says so.
  await app.tid('filter-q').fill('zzz-nothing-matches')
  await app.tid('filter-q').press('Enter')
  await expect(app.tid('ticket-list-empty')).toBeVisible()
  await app.tid('filter-reset').click()
  await expect(page).toHaveURL((u) => u.pathname === '/tickets' && u.search === '')
  await expect(rows.filter({ hasText: 'Mouse double clicks' })).toBeVisible()
})

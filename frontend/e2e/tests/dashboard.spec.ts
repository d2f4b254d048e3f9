// The dashboard: open high-priority tickets and the chart per department.
import { expect, test } from '../support/fixtures.ts'

test('dashboard charts render with data', async ({ page, app }) => {
  await app.signInAdmin()
  await app.createTicket('Dashboard sample', 'A high-priority ticket for the dashboard.')
  await page.goto('/')
  await expect(app.tid('high-priority').getByText('Dashboard sample')).toBeVisible()
  const chart = app.tid('stats-chart')
  await expect(chart).toBeVisible()
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeAttached()
  await expect(chart.getByText('IT', { exact: true }).first()).toBeVisible()
  // A row of the table leads to the ticket.
  await app.tid('high-priority').getByText('Dashboard sample').click()
  await expect(app.tid('ticket-heading').filter({ hasText: 'Dashboard sample' })).toBeVisible()
})

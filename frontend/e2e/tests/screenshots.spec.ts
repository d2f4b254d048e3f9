// The README's pictures, in English and French (FLICKET_E2E_SCREENSHOTS;
// `make screenshots` writes them into frontend/e2e/screenshots).
import { expect, test } from '../support/fixtures.ts'
import type { AdminApi } from '../support/server.ts'

interface Page<T> {
  items: T[]
}

/**
 * Tickets worth showing, through the API: several departments, every
 * status, an assignee, replies with hours. This journey runs in its own
 * Playwright project, so on its own server: the pictures show this data
 * only, whatever other journeys do.
 */
async function seedShowcase(api: AdminApi) {
  const category = async (department: string, name: string) => {
    const page = await api<Page<{ id: number; category: string }>>(
      'GET',
      `/categories/?department=${encodeURIComponent(department)}&per_page=100`,
    )
    const found = page.items.find((c) => c.category === name)
    expect(found, `${department} has no category ${name}`).toBeDefined()
    return found?.id
  }
  const tech = (await api<Page<{ id: number }>>('GET', '/users/?q=tech')).items[0]
  const ticket = async (
    title: string,
    content: string,
    [department, cat]: [string, string],
    priority: 1 | 2 | 3,
  ) => {
    const tk = await api<{ id: number }>('POST', '/tickets', {
      title,
      content,
      category_id: await category(department, cat),
      ticket_priority_id: priority,
    })
    return tk.id
  }
  const reply = (ticketId: number, content: string, more: object = {}) =>
    api('POST', '/posts', { ticket_id: ticketId, content, ...more })

  const intranet = await ticket(
    'Intranet down since 9am',
    'The intranet answers **502 Bad Gateway** since 9am.\n\n* Wi-Fi and cable both fail\n* The VPN works\n\nSee the [status page](https://status.example.com).',
    ['IT', 'Internet'],
    3,
  )
  await api('POST', `/ticket/${intranet}/assign`, { user_id: tech?.id })
  await reply(intranet, 'The proxy lost its certificate; a new one is **being issued**.', {
    hours: 0.75,
    status_id: 3,
  })
  const torque = await ticket(
    'Calibrate the torque wrenches',
    'The yearly calibration of the torque wrenches on line 2 is due.',
    ['Manufacturing', 'Tooling'],
    3,
  )
  await reply(torque, 'Booked with the lab for Thursday.', { hours: 0.5 })
  const vpn = await ticket(
    'VPN drops every hour',
    'My VPN connection drops every hour, on the hour.',
    ['IT', 'Internet'],
    2,
  )
  await reply(vpn, 'Which version of the VPN client do you run?', { status_id: 4 })
  await ticket(
    'Holiday form rejects half days',
    'The holiday form refuses a half day on Friday afternoon.',
    ['Human Resources', 'Holidays'],
    2,
  )
  const manual = await ticket(
    'Update the quality manual',
    'Chapter 4 still names the old inspection gauges.',
    ['Quality', 'Manuals'],
    1,
  )
  await reply(manual, 'Chapter 4 rewritten, waiting for the review.', { hours: 2, status_id: 3 })
  const supplier = await ticket(
    'Add Acme Tools as a supplier',
    'Acme Tools passed the audit; please add them to the approved list.',
    ['Commercial', 'Approved Suppliers'],
    1,
  )
  await api('POST', `/ticket/${supplier}/close`)
  return intranet
}

test('screenshots in English and French', async ({ page, app, flicket }) => {
  await page.goto('/login')
  await expect(app.tid('login-form')).toBeVisible()
  await app.screenshot('login-en')
  await app.signInAdmin()
  const showcase = await seedShowcase(flicket.api)
  for (const [lang, label] of [
    ['en', 'English'],
    ['fr', 'Français'],
  ] as const) {
    if (lang !== 'en') await app.language(label)
    await page.goto('/')
    // The chart is drawn once its container has been measured: wait until
    // its bars stop moving.
    await page.waitForFunction(
      () => {
        const bars = [...document.querySelectorAll('.recharts-bar-rectangle')]
        const now = bars.map((b) => JSON.stringify(b.getBoundingClientRect())).join()
        const w = window as unknown as { lastBars?: string }
        const still = bars.length > 0 && w.lastBars === now
        w.lastBars = now
        return still
      },
      undefined,
      { polling: 100 },
    )
    await app.screenshot(`dashboard-${lang}`)
    await page.goto('/tickets')
    await expect(app.tid('ticket-row').first()).toBeVisible()
    await app.screenshot(`tickets-${lang}`)
    await page.goto(`/tickets/${showcase}`)
    await expect(app.tid('reply').first()).toBeVisible()
    await expect(app.tid('action-line').first()).toBeVisible()
    await app.screenshot(`ticket-${lang}`)
    await page.goto('/tickets/new')
    await app.tid('ticket-title').fill(lang === 'en' ? 'Printer jam' : 'Imprimante bloquée')
    await app.select('ticket-department', 'IT')
    await app.select('ticket-category', 'Intranet')
    await app.tid('ticket-content-split-tab').click()
    await app
      .tid('ticket-content')
      .fill(
        lang === 'en'
          ? 'The printer on the **2nd floor** jams on every job.\n\n1. Open tray 2\n2. Remove the paper\n\n> It started after the update.'
          : 'L’imprimante du **2e étage** se bloque à chaque impression.\n\n1. Ouvrir le bac 2\n2. Retirer le papier\n\n> Depuis la mise à jour.',
      )
    await expect(app.tid('ticket-content-preview').locator('ol li').nth(1)).toBeVisible()
    await app.screenshot(`create-ticket-${lang}`)
  }
  await app.language('English')
})

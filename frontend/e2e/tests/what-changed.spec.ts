// What changed and what waits (issue 13, point 4): unread rows in bold, "3
// new replies" on the ticket scrolled to the first, the bell's in-app
// notifications, saved views, counts beside the queues and the personal
// dashboard — in English and French, the dashboard and the bell at 375 px.
import { expect, test, type Flicket } from '../support/fixtures.ts'
import { expectNoViolations } from '../support/axe.ts'
import { userApi } from '../support/server.ts'

const PASSWORD = 'What-changed-1'

/** A new user (an agent when admin) with the given language; returns the username. */
async function newUser(flicket: Flicket, prefix: string, lang: 'en' | 'fr', admin = false) {
  const username = `${prefix}${Math.random().toString(36).slice(2, 8)}`
  const u = await flicket.api<{ id: number }>('POST', '/users', {
    username,
    name: `${prefix === 'req' ? 'Rita' : 'Alex'} ${username}`,
    email: `${username}@example.com`,
    password: PASSWORD,
    locale: lang,
    groups: admin ? ['flicket_admin'] : [],
  })
  return { username, id: u.id }
}

/** The API as that user (a token from POST /tokens). */
function apiAs(base: string, username: string) {
  return userApi(base, username, PASSWORD)
}

const words = {
  en: {
    newReplies: '3 new replies since your last visit',
    bell4: 'Notifications, 4 unread',
    bell0: 'Notifications, none unread',
    assigned: 'assigned you',
    waiting: 'Waiting on me',
  },
  fr: {
    newReplies: '3 nouvelles réponses depuis votre dernière visite',
    bell4: 'Notifications, 4 non lues',
    bell0: 'Notifications, aucune non lue',
    assigned: 'vous a assigné',
    waiting: 'En attente de moi',
  },
}

for (const lang of ['en', 'fr'] as const) {
  const w = words[lang]

  test(`unread rows, new replies, the bell and a saved view, ${lang}`, async ({
    page,
    app,
    flicket,
  }) => {
    const word = `Seen${lang}${Date.now().toString(36)}`
    const agent = await newUser(flicket, 'agent', lang, true)
    const req = await newUser(flicket, 'req', 'en')
    const asReq = await apiAs(flicket.base, req.username)
    const tk = await asReq<{ id: number }>('POST', '/tickets', {
      title: `${word} printer`,
      content: 'The printer prints blank pages.',
      category_id: 1,
      ticket_priority_id: 2,
    })
    await app.signIn(agent.username, PASSWORD)
    await page.goto(`/tickets?q=${word}`)
    const row = app.tid('ticket-row').filter({ hasText: word })
    await expect(row).toHaveAttribute('data-unread', '')
    await expectNoViolations(page, `the list with an unread row, ${lang}`)

    // First visit: the ticket is read; nothing is counted as new.
    await row.getByTestId('ticket-link').click()
    await expect(app.tid('ticket-heading')).toContainText(word)
    await expect(app.tid('new-replies')).toHaveCount(0)
    await page.goto(`/tickets?q=${word}`)
    await expect(row).not.toHaveAttribute('data-unread')

    // Assigned by the administrator, then three replies by the requester.
    await flicket.api('POST', `/ticket/${tk.id}/assign`, { user_id: agent.id })
    const replies: number[] = []
    for (const n of [1, 2, 3]) {
      const p = await asReq<{ id: number }>('POST', '/posts', {
        ticket_id: tk.id,
        content: `Reply number ${n}: still blank.\n\n${'More detail. '.repeat(40)}`,
      })
      replies.push(p.id)
    }
    await page.reload()
    await expect(row).toHaveAttribute('data-unread', '')
    await expect(app.tid('notification-bell')).toHaveAttribute('aria-label', w.bell4)

    await row.getByTestId('ticket-link').click()
    await expect(app.tid('new-replies')).toHaveText(w.newReplies)
    const first = page.locator(`#post-${replies[0]}`)
    await expect(first).toHaveAttribute('data-matched', 'true')
    await expect(first).toBeInViewport()
    await expectNoViolations(page, `a ticket with new replies, ${lang}`)
    await page.goto(`/tickets?q=${word}`)
    await expect(row).not.toHaveAttribute('data-unread')

    // The bell: the assignment and the three replies; all read at once.
    await app.tid('notification-bell').click()
    const items = app.tid('notification-item')
    await expect(items).toHaveCount(4)
    await expect(items.last()).toContainText(w.assigned)
    await expectNoViolations(page, `the notifications panel, ${lang}`)
    await app.tid('notifications-read-all').click()
    await expect(app.tid('notification-bell')).toHaveAttribute('aria-label', w.bell0)
    await page.keyboard.press('Escape')

    // A saved view of these filters, then opened from the side bar.
    await page.goto(`/tickets?q=${word}&state=open`)
    await app.tid('saved-views').click()
    await app.tid('saved-view-save').click()
    await app.tid('saved-view-name').fill(`View ${word}`)
    await app.tid('saved-view-submit').click()
    await expect(app.tid('saved-view-name')).toHaveCount(0)
    await page.goto('/tickets')
    await app
      .tid('nav-saved-view')
      .filter({ hasText: `View ${word}` })
      .click()
    await expect(page).toHaveURL(new RegExp(`q=${word}`))
    await expect(app.tid('ticket-row')).toHaveCount(1)
  })

  test.describe(`at 375 px, ${lang}`, () => {
    test.use({ viewport: { width: 375, height: 812 } })

    test(`my dashboard, queue counts and the bell`, async ({ page, app, flicket }) => {
      const word = `Mine${lang}${Date.now().toString(36)}`
      const me = await newUser(flicket, 'req', lang)
      const asMe = await apiAs(flicket.base, me.username)
      const mine = await asMe<{ id: number }>('POST', '/tickets', {
        title: `${word} waiting`,
        content: 'My screen flickers.',
        category_id: 1,
        ticket_priority_id: 2,
      })
      // Someone answers my ticket: it waits on me.
      await flicket.api('POST', '/posts', { ticket_id: mine.id, content: 'Which screen?' })
      // And assigns me another.
      const other = await flicket.api<{ id: number }>('POST', '/tickets', {
        title: `${word} assigned`,
        content: 'Please check the projector.',
        category_id: 1,
        ticket_priority_id: 3,
      })
      await flicket.api('POST', `/ticket/${other.id}/assign`, { user_id: me.id })

      await app.signIn(me.username, PASSWORD)
      await page.goto('/')
      await expect(app.tid('my-waiting-total')).toHaveText('1')
      await expect(app.tid('my-assigned-total')).toHaveText('1')
      await expect(app.tid('my-waiting')).toContainText(`${word} waiting`)
      const bell = app.tid('notification-bell')
      await expect(bell).toHaveAttribute('data-unread', '2')
      const box = await bell.boundingBox()
      expect(box && box.x + box.width).toBeLessThanOrEqual(375)
      const wide = await page.evaluate(() => document.documentElement.scrollWidth)
      expect(wide, 'the dashboard scrolls sideways at 375 px').toBeLessThanOrEqual(375)
      await expectNoViolations(page, `the dashboard at 375 px, ${lang}`)

      // The side bar's queues carry their counts.
      await app.tid('nav-burger').click()
      await expect(app.tid('nav-waiting')).toContainText(w.waiting)
      await expect(app.tid('nav-waiting-count')).toHaveText('1')
      await expect(app.tid('nav-assigned-count')).toHaveText('1')
      await app.tid('nav-burger').click()

      // "See all" opens the list with the same filter.
      await app.tid('my-waiting-all').click()
      await expect(page).toHaveURL(/view=waiting/)
      await expect(app.tid('ticket-row')).toHaveCount(1)
      await expect(app.tid('ticket-row')).toContainText(`${word} waiting`)

      await bell.click()
      await expect(app.tid('notification-item')).toHaveCount(2)
      await expectNoViolations(page, `the notifications panel at 375 px, ${lang}`)
    })
  })
}

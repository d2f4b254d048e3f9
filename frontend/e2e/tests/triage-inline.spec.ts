// Triage without writing (issue 13 §3), on a phone, in English and French:
// status, priority, assignee and category save at once with an undo toast,
// and an undo mails nobody (the outbox holds the change's mails for its
// window); "assign to me" by button and by the `a` key, people suggested
// on focus; assigning shows the status it sets; Reopen; short replies and
// Ctrl+Enter. An undone assignment also takes back the assignee's in-app
// notification.
import { expectNoViolations } from '../support/axe.ts'
import { expect, test } from '../support/fixtures.ts'
import type { Flicket } from '../support/fixtures.ts'
import { TECH, userApi } from '../support/server.ts'

interface OutboxPage {
  items: { ticket_id: number | null; status: string; kind: string }[]
}

/** The ticket's mails still waiting in the outbox. */
async function pendingMails(flicket: Flicket, ticketId: number) {
  const page = await flicket.api<OutboxPage>('GET', '/mail/outbox?status=pending&per_page=100')
  return page.items.filter((m) => m.ticket_id === ticketId).map((m) => m.kind)
}

const words = {
  en: {
    open: 'Open',
    inWork: 'In work',
    closed: 'Closed',
    low: 'Low',
    high: 'High',
    prioritySet: 'Priority set to Low.',
    undone: 'The change has been undone.',
    byAssign: 'Set to In work by the assignment',
    statusFollows: 'The status is now In work.',
    help: 'Assign the ticket to me',
  },
  fr: {
    open: 'Ouvert',
    inWork: 'En cours',
    closed: 'Fermé',
    low: 'Basse',
    high: 'Haute',
    prioritySet: 'Priorité passée à Basse.',
    undone: 'La modification a été annulée.',
    byAssign: "Passé à En cours par l'assignation",
    statusFollows: 'Le statut est maintenant En cours.',
    help: "M'assigner le ticket",
  },
}

for (const lang of ['en', 'fr'] as const) {
  test.describe(`triage from the ticket page at 375 px, ${lang}`, () => {
    test.use({ viewport: { width: 375, height: 812 } })

    test('fields save at once, undo mails nobody, assign to me, Reopen, Ctrl+Enter', async ({
      page,
      app,
      flicket,
    }) => {
      const w = words[lang]
      const username = `t${lang}${Math.random().toString(36).slice(2, 9)}`
      const password = 'Triage-pass-1'
      await flicket.api('POST', '/users', {
        username,
        name: `Agent ${lang.toUpperCase()}`,
        email: `${username}@example.com`,
        password,
        locale: lang,
      })
      const tk = await flicket.api<{ id: number }>('POST', '/tickets', {
        title: `Scanner jams ${lang}`,
        content: 'The scanner jams on every second page.',
        category_id: 1,
        ticket_priority_id: 3,
      })
      // The admin created it and follows it: an assign would mail them.
      await app.signIn(username, password)
      await page.goto(`/tickets/${tk.id}`)
      const status = app.tid('triage-status')
      const priority = app.tid('triage-priority')
      const assignee = app.tid('triage-assignee')
      await expect(status).toHaveValue(w.open)
      await expect(priority).toHaveValue(w.high)

      // Priority: saved at once; Undo sets it back.
      await app.select('triage-priority', w.low)
      await expect(app.tid('triage-toast').last()).toHaveText(w.prioritySet)
      await expect(app.tid('ticket-priority-badge')).toHaveText(w.low)
      await app.tid('triage-undo').last().click()
      await expect(page.getByText(w.undone).last()).toBeVisible()
      await expect(priority).toHaveValue(w.high)

      // `a` assigns the ticket to me (not while typing in a field).
      await app.tid('reply-content').fill('a')
      await app.tid('reply-content').press('a')
      await expect(assignee).toHaveValue('')
      await app.tid('reply-content').fill('')
      await app.tid('ticket-heading').click()
      await page.keyboard.press('a')
      await expect(assignee).toHaveValue(new RegExp(`Agent ${lang.toUpperCase()}`))
      // The status it set is shown, not made silently.
      await expect(status).toHaveValue(w.inWork)
      await expect(page.getByText(w.byAssign)).toBeVisible()
      await expect(app.tid('triage-toast').last()).toContainText(w.statusFollows)
      // Its mails wait in the outbox for the undo window...
      await expect.poll(() => pendingMails(flicket, tk.id)).toContain('claim')
      await expectNoViolations(page, `the ticket page with its undo toast, ${lang}`)
      // ...and an undo takes them back: nobody is mailed.
      await app.tid('triage-undo').last().click()
      await expect(page.getByText(w.undone).last()).toBeVisible()
      await expect(assignee).toHaveValue('')
      await expect(status).toHaveValue(w.open)
      await expect.poll(() => pendingMails(flicket, tk.id)).toEqual([])

      // People are suggested as soon as the assignee box has focus, the
      // agent first (then the department's recent assignees: on a server
      // the other journeys have filled, Tess may not be among the ten), and
      // typing narrows them.
      await assignee.click()
      await expect(page.getByRole('option').first()).toContainText(`Agent ${lang.toUpperCase()}`)
      await assignee.fill('Tess')
      await page.getByRole('option', { name: new RegExp(TECH.name) }).click()
      await expect(assignee).toHaveValue(new RegExp(TECH.name))
      await expect(status).toHaveValue(w.inWork)
      await expect(app.tid('triage-toast').last()).toContainText(w.statusFollows)

      // A closed ticket shows Closed (never blank) and offers Reopen.
      await flicket.api('POST', `/ticket/${tk.id}/close`)
      await page.reload()
      await expect(status).toHaveValue(w.closed)
      await app.tid('action-reopen').click()
      await expect(status).toHaveValue(w.open)

      // A reply of any non-blank length, sent with Ctrl+Enter.
      await app.tid('reply-content').fill('Thx')
      await app.tid('reply-content').press('Control+Enter')
      await expect(app.tid('reply').filter({ hasText: 'Thx' })).toBeVisible()

      // No sideways scroll on the phone.
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth))
        .toBeLessThanOrEqual(0)

      // `?` lists `a`.
      await app.tid('ticket-heading').click()
      await page.keyboard.press('?')
      await expect(app.tid('shortcut-help')).toContainText(w.help)
      await page.keyboard.press('Escape')

      // Ctrl+Enter creates a ticket from the new ticket form too.
      await page.goto('/tickets/new')
      await app.tid('ticket-title').fill(`Sent from the keyboard ${lang}`)
      await app.select('ticket-department', 'IT')
      await app.select('ticket-category', 'Internet')
      await app.select('ticket-priority', w.low)
      await app.tid('ticket-content').fill('Created with Ctrl+Enter.')
      await app.tid('ticket-content').press('Control+Enter')
      await expect(page).toHaveURL(/\/tickets\/\d+$/)
      await expect(app.tid('ticket-heading')).toContainText(`Sent from the keyboard ${lang}`)
    })
  })
}

test("an undone assignment withdraws the assignee's notification", async ({
  page,
  app,
  flicket,
}) => {
  const tk = await flicket.api<{ id: number }>('POST', '/tickets', {
    title: 'Badge reader dead',
    content: 'The badge reader at the back door is dead.',
    category_id: 1,
    ticket_priority_id: 2,
  })
  const tess = await userApi(flicket.base, TECH.username, TECH.password)
  const tessNotes = async () => {
    const got = await tess<{ items: { ticket_id: number }[] }>(
      'GET',
      '/me/notifications?per_page=100',
    )
    return got.items.filter((n) => n.ticket_id === tk.id).length
  }
  await app.signInAdmin()
  await page.goto(`/tickets/${tk.id}`)
  await app.pickUser('triage-assignee', 'Tess', new RegExp(TECH.name))
  await expect(app.tid('triage-assignee')).toHaveValue(new RegExp(TECH.name))
  await expect.poll(tessNotes).toBe(1)
  await app.tid('triage-undo').last().click()
  await expect(app.tid('triage-assignee')).toHaveValue('')
  await expect.poll(tessNotes).toBe(0)
  await expect.poll(() => pendingMails(flicket, tk.id)).toEqual([])
})

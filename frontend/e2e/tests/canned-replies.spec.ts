// Canned replies (issue 13, point 7): an administrator writes a shared one,
// a user writes a private one, and both go in at the cursor of a reply
// (the first replacing a selection), which is then sent — English and French.
import { expect, test, type Flicket } from '../support/fixtures.ts'
import { expectNoViolations } from '../support/axe.ts'

const PASSWORD = 'Canned-replies-1'

async function newUser(flicket: Flicket, prefix: string, lang: 'en' | 'fr', admin = false) {
  const username = `${prefix}${Math.random().toString(36).slice(2, 8)}`
  await flicket.api('POST', '/users', {
    username,
    name: `${admin ? 'Alex' : 'Rita'} ${username}`,
    email: `${username}@example.com`,
    password: PASSWORD,
    locale: lang,
    groups: admin ? ['flicket_admin'] : [],
  })
  return username
}

/** Files a ticket as that user (a token from POST /tokens); returns its id. */
async function ticketAs(base: string, username: string, title: string) {
  const basic = Buffer.from(`${username}:${PASSWORD}`).toString('base64')
  const r = await fetch(`${base}/flicket-api/tokens`, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}` },
  })
  const { token } = (await r.json()) as { token: string }
  const res = await fetch(`${base}/flicket-api/tickets`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      title,
      content: 'The printer prints blank pages.',
      category_id: 1,
      ticket_priority_id: 2,
    }),
  })
  if (!res.ok) throw new Error(`POST /tickets: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { id: number }).id
}

const words = {
  en: { button: 'Canned replies', shared: 'Shared' },
  fr: { button: 'Réponses types', shared: 'Partagée' },
}

for (const lang of ['en', 'fr'] as const) {
  const w = words[lang]

  test(`shared and private canned replies inserted at the cursor, ${lang}`, async ({
    page,
    app,
    flicket,
  }) => {
    const word = `Canned${lang}${Date.now().toString(36)}`
    const admin = await newUser(flicket, 'agent', lang, true)
    const user = await newUser(flicket, 'req', lang)
    const sharedText = `Shared text ${word}.`
    const privateText = `private text ${word}`

    // The administrator writes a shared one from a ticket's reply box.
    await app.signIn(admin, PASSWORD)
    await page.goto(`/tickets/${await ticketAs(flicket.base, admin, `${word} admin ticket`)}`)
    const button = app.tid('reply-content-canned-button')
    await expect(button).toHaveText(w.button)
    await button.click()
    await app.tid('reply-content-canned-manage').click()
    await app.tid('reply-content-canned-title').fill(`Shared ${word}`)
    await app.tid('reply-content-canned-content').fill(sharedText)
    await app.tid('reply-content-canned-shared').check()
    await expectNoViolations(page, `the canned replies dialog, ${lang}`)
    await app.tid('reply-content-canned-save').click()
    await expect(
      app.tid('reply-content-canned-own').filter({ hasText: `Shared ${word}` }),
    ).toContainText(w.shared)
    await page.keyboard.press('Escape')
    await app.signOut()

    // A user (no "shared" for them) writes a private one, on their own ticket.
    await app.signIn(user, PASSWORD)
    await page.goto(`/tickets/${await ticketAs(flicket.base, user, `${word} printer`)}`)
    await app.tid('reply-content-canned-button').click()
    await app.tid('reply-content-canned-manage').click()
    await app.tid('reply-content-canned-title').fill(`Mine ${word}`)
    await app.tid('reply-content-canned-content').fill(privateText)
    await expect(app.tid('reply-content-canned-shared')).toHaveCount(0)
    await app.tid('reply-content-canned-save').click()
    await expect(
      app.tid('reply-content-canned-own').filter({ hasText: `Mine ${word}` }),
    ).toBeVisible()
    await page.keyboard.press('Escape')

    // "XXX" selected: the shared one replaces it, the caret after it.
    const box = app.tid('reply-content')
    await box.fill('Hello XXX and bye')
    await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(6, 9))
    await app.tid('reply-content-canned-button').click()
    const items = app.tid('reply-content-canned-item')
    await expect(items.filter({ hasText: `Shared ${word}` })).toContainText(w.shared)
    await expect(items.filter({ hasText: `Mine ${word}` })).toBeVisible()
    await expectNoViolations(page, `the canned replies menu, ${lang}`)
    await items.filter({ hasText: `Shared ${word}` }).click()
    await expect(box).toHaveValue(`Hello ${sharedText} and bye`)
    await expect(box).toBeFocused()
    // Typing goes on at the caret; the private one then goes in there too.
    await page.keyboard.type(' + ')
    await app.tid('reply-content-canned-button').click()
    await items.filter({ hasText: `Mine ${word}` }).click()
    await expect(box).toHaveValue(`Hello ${sharedText} + ${privateText} and bye`)
    await expect(box).toBeFocused()

    await app.tid('reply-submit').click()
    await expect(
      app.tid('reply').filter({ hasText: `Hello ${sharedText} + ${privateText} and bye` }),
    ).toBeVisible()
    await expectNoViolations(page, `a ticket with a reply made of canned replies, ${lang}`)

    // The new ticket's text offers them too.
    await page.goto('/tickets/new')
    const content = app.tid('ticket-content')
    await content.fill('Hi, ')
    await app.tid('ticket-content-canned-button').click()
    await app
      .tid('ticket-content-canned-item')
      .filter({ hasText: `Mine ${word}` })
      .click()
    await expect(content).toHaveValue(`Hi, ${privateText}`)
    await expect(content).toBeFocused()
  })
}

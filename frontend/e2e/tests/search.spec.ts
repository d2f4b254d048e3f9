// Search from the header: results as you type, the words found marked in a
// snippet, and a click that opens the ticket at the reply that matched —
// in English and French, on a desktop and a 375 px phone.
import { expect, test } from '../support/fixtures.ts'
import type { Flicket } from '../support/fixtures.ts'

interface Seeded {
  id: number
  postId: number
  word: string
}

/** A ticket whose word is only in its 23rd reply, far down (or on another page). */
async function seed(flicket: Flicket, tag: string): Promise<Seeded> {
  const word = `zyx${tag}${Date.now().toString(36)}`
  const tk = await flicket.api<{ id: number }>('POST', '/tickets', {
    title: `Printer in the hall (${tag})`,
    content: 'It jams every morning.\n\nNothing found here.',
    category_id: 1,
    ticket_priority_id: 2,
  })
  let postId = 0
  for (let i = 1; i <= 24; i++) {
    const text =
      i === 23
        ? `Found it: the ${word} roller was worn out, and replaced.`
        : `Reply ${i}: still looking.\n\n${'More details. '.repeat(20)}`
    const p = await flicket.api<{ id: number }>('POST', '/posts', {
      ticket_id: tk.id,
      content: text,
    })
    if (i === 23) postId = p.id
  }
  return { id: tk.id, postId, word }
}

const cases = [
  { lang: 'en', reply: 'In a reply:', width: 1280 },
  { lang: 'fr', reply: 'Dans une réponse :', width: 1280 },
  { lang: 'en', reply: 'In a reply:', width: 375 },
] as const

for (const { lang, reply, width } of cases) {
  test(`header search finds a word in a reply and opens the ticket there, ${lang}, ${width} px`, async ({
    page,
    app,
    flicket,
  }) => {
    await page.setViewportSize({ width, height: 800 })
    const { id, postId, word } = await seed(flicket, `${lang}${width}`)
    const username = `s${lang}${width}${Math.random().toString(36).slice(2, 7)}`
    await flicket.api('POST', '/users', {
      username,
      name: 'Search User',
      email: `${username}@example.com`,
      password: 'Search-pass1',
      locale: lang,
      groups: ['flicket_admin'],
    })
    await app.signIn(username, 'Search-pass1')

    // From the dashboard: '/' goes to the box, typing searches.
    await page.locator('body').click({ position: { x: 1, y: 300 } })
    await page.keyboard.press('/')
    const box = app.tid('header-search')
    await expect(box).toBeFocused()
    await page.keyboard.type(word)
    const result = app.tid('search-result')
    await expect(result).toHaveCount(1)
    await expect(result).toContainText(`Printer in the hall (${lang}${width})`)
    const snippet = result.getByTestId('search-snippet')
    await expect(snippet).toContainText(reply)
    await expect(snippet.locator('mark')).toHaveText(word)
    if (width <= 375) {
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), {
          message: 'the results scroll sideways at 375 px',
        })
        .toBeLessThanOrEqual(0)
    }

    await result.click()
    await expect(page).toHaveURL(new RegExp(`/tickets/${id}\\?post=${postId}$`))
    const matched = page.locator(`#post-${postId}`)
    await expect(matched).toContainText(`the ${word} roller`)
    await expect(matched).toBeInViewport()
    await expect(matched).toBeFocused()
    await expect(matched).toHaveAttribute('data-matched', 'true')

    // Enter alone opens the full list for the words typed.
    await page.keyboard.press('/')
    await page.keyboard.type(word)
    await expect(app.tid('search-result')).toHaveCount(1)
    await page.keyboard.press('Enter')
    await expect(page).toHaveURL(new RegExp(`/tickets\\?q=${word}$`))
  })
}

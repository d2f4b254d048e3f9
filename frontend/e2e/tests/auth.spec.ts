// Signing in and out, a refused sign-in, and a forgotten password.
import { expect, test } from '../support/fixtures.ts'
import { ADMIN_PASSWORD } from '../support/server.ts'

test('sign in, session cookie, sign out', async ({ page, app, context }) => {
  await app.signIn('admin', ADMIN_PASSWORD, true)
  await expect(app.tid('nav-dashboard')).toBeVisible()
  // The token lives in an HttpOnly cookie only: invisible to scripts.
  const seen = await page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
  }))
  expect(seen.cookie, 'session cookie readable by JS').not.toContain('flicket_session')
  expect(seen.local + seen.session, 'a token is in web storage').not.toMatch(/eyJ[\w-]+\.[\w-]+\./)
  const cookie = (await context.cookies()).find((c) => c.name === 'flicket_session')
  expect(cookie, 'cookie flags').toMatchObject({ httpOnly: true, sameSite: 'Strict' })
  // A reload keeps the session.
  await page.reload()
  await expect(app.tid('user-menu')).toBeVisible()
  await app.signOut()
  await page.goto('/users')
  await expect(page).toHaveURL(/\/login\?next=%2Fusers/)
})

test('wrong password shows an error, no session', async ({ page, app, consoleErrors }) => {
  consoleErrors.expectHttpError(401)
  await page.goto('/login')
  await app.tid('login-username').fill('admin')
  await app.tid('login-password').fill('not-the-password')
  await app.tid('login-submit').click()
  await expect(app.tid('error-banner').filter({ hasText: 'wrong' })).toBeVisible()
  await expect(app.tid('user-menu'), 'signed in with a wrong password').toHaveCount(0)
})

test('forgot-password form answers', async ({ page, app }) => {
  await page.goto('/login')
  await page.getByRole('link', { name: 'Forgot your password?' }).click()
  await expect(page).toHaveURL(/\/forgot-password$/)
  // An address that is not one is refused before anything is sent.
  await app.tid('forgot-email').fill('not-an-address')
  await app.tid('forgot-submit').click()
  await expect(page.getByText('Enter a valid e-mail address.')).toBeVisible()
  // Any well-formed address gets the same answer: no account is revealed.
  const answer = page.waitForResponse((r) => r.url().endsWith('/flicket-api/password-reset'))
  await app.tid('forgot-email').fill('nobody@example.com')
  await app.tid('forgot-submit').click()
  expect((await answer).status(), 'the reset request was not accepted').toBe(202)
  await expect(app.tid('reset-sent')).toBeVisible()
})

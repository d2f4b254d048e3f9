// Swagger UI: the current release renders Flicket's document under its strict
// Content-Security-Policy (a blocked script, style or request is a console
// error, which fails the journey).
import { expect, test } from '../support/fixtures.ts'

test('Swagger UI renders the API under its CSP', async ({ page }) => {
  const res = await page.goto('/swagger/')
  expect(res?.headers()['content-security-policy'], 'no CSP on Swagger UI').toContain(
    "script-src 'self'",
  )
  await expect(page.locator('.swagger-ui .info .title')).toContainText('Flicket')
  const version = await page.evaluate(
    () =>
      (window as unknown as { versions?: { swaggerUI?: { version?: string } } }).versions?.swaggerUI
        ?.version ?? '',
  )
  expect(Number(version.split('.')[0]), `Swagger UI ${version}`).toBeGreaterThanOrEqual(5)
  // Open one operation: its parameters and responses render too.
  const op = page.locator('.opblock-get').filter({ hasText: '/flicket-api/statuses/' }).first()
  await op.locator('.opblock-summary').click()
  await expect(op.locator('.responses-wrapper')).toBeVisible()
  await expect(op.getByRole('button', { name: 'Try it out' })).toBeVisible()
})

// A user's own settings: name and picture.
import { PNG } from '../support/app.ts'
import { expect, test } from '../support/fixtures.ts'
import { TECH } from '../support/server.ts'

test('my settings: name and picture', async ({ page, app }) => {
  await app.signIn(TECH.username, TECH.password)
  await app.tid('user-menu').click()
  await app.tid('menu-settings').click()
  await expect(page).toHaveURL(/\/settings$/)
  await app.tid('settings-name').fill('Tess Technician')
  await app.tid('settings-save').click()
  await expect(app.tid('user-menu').filter({ hasText: 'Tess Technician' })).toBeVisible()
  // Upload a picture: the page shows it at once.
  const served = page.waitForResponse(
    (r) => /\/flicket-api\/user\/\d+\/avatar\?v=1$/.test(r.url()) && r.status() === 200,
  )
  await app
    .tid('avatar-input')
    .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG })
  const res = await served
  expect(res.headers()['content-type'], 'the new picture is not the PNG').toBe('image/png')
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="settings-avatar"] img')
    return img instanceof HTMLImageElement && img.complete && img.naturalWidth === 2
  })
  // Removing it brings back the initials.
  const initials = page.waitForResponse(
    (r) => /\/flicket-api\/user\/\d+\/avatar\?v=2$/.test(r.url()) && r.status() === 200,
  )
  await app.tid('avatar-remove').click()
  expect((await initials).headers()['content-type'], 'the picture was not removed').toBe(
    'image/svg+xml',
  )
  await app.tid('settings-name').fill(TECH.name)
  await app.tid('settings-save').click()
  await expect(app.tid('user-menu').filter({ hasText: TECH.name })).toBeVisible()
})

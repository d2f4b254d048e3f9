// axe-core in the journeys: zero violations on every page they touch.
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/** axe-core's WCAG 2.1 A and AA rules on the page as it is now. */
export async function expectNoViolations(page: Page, what: string) {
  // Let fades and slides end first: axe measures a half-faded menu's
  // colours as they are mid-transition and reports low contrast. Endless
  // ones (spinners, skeletons) are left running.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  )
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  const found = result.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(' | ')})`,
  )
  // Soft: one run lists every page's violations.
  expect.soft(found, `axe violations on ${what}`).toEqual([])
}

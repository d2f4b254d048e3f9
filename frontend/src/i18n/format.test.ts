import { describe, expect, it } from 'vitest'
import { formatRelative } from './format'

describe('formatRelative', () => {
  const now = Date.parse('Sun, 06 Dec 2026 12:00:00 GMT')
  // French puts a (narrow) no-break space between the number and its unit.
  it.each([
    ['Sun, 06 Dec 2026 11:59:30 GMT', 'en', 'now'],
    ['Sun, 06 Dec 2026 10:00:00 GMT', 'en', '2 hr. ago'],
    ['Sun, 06 Dec 2026 10:00:00 GMT', 'fr', 'il y a 2 h'],
    ['Sun, 06 Dec 2026 11:30:00 GMT', 'fr', 'il y a 30 min'],
    ['Sat, 05 Dec 2026 11:00:00 GMT', 'en', 'yesterday'],
    ['Thu, 06 Aug 2026 12:00:00 GMT', 'fr', 'il y a 4 m.'],
    ['nonsense', 'en', ''],
  ] as const)('%s in %s is %s', (when, lang, want) => {
    expect(formatRelative(when, now, lang).replace(/\s/gu, ' ')).toBe(want)
  })
})

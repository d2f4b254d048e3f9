import { expect, it } from 'vitest'
import { quoteText } from './quote'

it('quotes every line and keeps the line breaks', () => {
  expect(quoteText('Ann wrote:', 'one\r\ntwo\n\nthree')).toBe(
    'Ann wrote:\n\n> one\n> two\n>\n> three\n\n',
  )
})

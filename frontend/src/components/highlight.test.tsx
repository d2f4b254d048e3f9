import { render } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { highlight } from './highlight'

const html = (text: string, ranges: number[][]) =>
  render(<p>{highlight(text, ranges)}</p>).container.innerHTML

describe('highlight', () => {
  it('marks each range, in order, as text', () => {
    expect(
      html('the printer is blank', [
        [15, 20],
        [4, 11],
      ]),
    ).toBe('<p>the <mark>printer</mark> is <mark>blank</mark></p>')
  })

  it('never turns the text into HTML', () => {
    expect(html('<b>x</b> café', [[9, 13]])).toBe('<p>&lt;b&gt;x&lt;/b&gt; <mark>café</mark></p>')
  })

  it('skips ranges out of bounds, backwards or overlapping', () => {
    expect(
      html('abcdef', [
        [0, 2],
        [1, 3],
        [4, 3],
        [5, 99],
      ]),
    ).toBe('<p><mark>ab</mark>cdef</p>')
  })
})

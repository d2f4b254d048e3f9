import { describe, expect, it } from 'vitest'
import { filterReplies, insertAtCursor } from './insert'

describe('insertAtCursor', () => {
  it('inserts at the caret and puts the caret after the text', () => {
    expect(insertAtCursor('Hello world', 6, 6, 'dear ')).toEqual({
      value: 'Hello dear world',
      cursor: 11,
    })
  })
  it('replaces the selection', () => {
    expect(insertAtCursor('Hello XXX!', 6, 9, 'Ann')).toEqual({ value: 'Hello Ann!', cursor: 9 })
  })
  it('works on an empty text, at the start and at the end', () => {
    expect(insertAtCursor('', 0, 0, 'Hi')).toEqual({ value: 'Hi', cursor: 2 })
    expect(insertAtCursor('b', 0, 0, 'a')).toEqual({ value: 'ab', cursor: 1 })
    expect(insertAtCursor('a', 1, 1, 'b')).toEqual({ value: 'ab', cursor: 2 })
  })
  it('clamps a stale or reversed selection', () => {
    expect(insertAtCursor('abc', 10, 12, '!')).toEqual({ value: 'abc!', cursor: 4 })
    expect(insertAtCursor('abc', 2, 1, '!')).toEqual({ value: 'ab!c', cursor: 3 })
    expect(insertAtCursor('abc', -3, 1, '!')).toEqual({ value: '!bc', cursor: 1 })
  })
})

describe('filterReplies', () => {
  const items = [
    { title: 'Thanks', content: 'Thank you for writing.' },
    { title: 'Printer', content: 'Restart the PRINTER spooler.' },
  ]
  it('keeps replies holding every word, in title or content, any case', () => {
    expect(filterReplies(items, '')).toEqual(items)
    expect(filterReplies(items, 'printer')).toEqual([items[1]])
    expect(filterReplies(items, 'restart spooler')).toEqual([items[1]])
    expect(filterReplies(items, 'thank printer')).toEqual([])
  })
})

/**
 * Puts text in place of value's selection [start, end) (a caret when they
 * are equal) and gives the new value with the caret just after the text.
 * Out-of-range or reversed bounds are clamped, so a stale selection from a
 * text that has since shrunk still inserts somewhere sensible.
 */
export function insertAtCursor(
  value: string,
  start: number,
  end: number,
  text: string,
): { value: string; cursor: number } {
  const a = Math.max(0, Math.min(start, value.length))
  const b = Math.max(a, Math.min(end, value.length))
  return { value: value.slice(0, a) + text + value.slice(b), cursor: a + text.length }
}

/** The replies whose title or content holds every word of query (any case). */
export function filterReplies<T extends { title: string; content: string }>(
  items: readonly T[],
  query: string,
): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return [...items]
  return items.filter((r) => {
    const hay = `${r.title}\n${r.content}`.toLowerCase()
    return words.every((w) => hay.includes(w))
  })
}

import type { ReactNode } from 'react'

/**
 * Text with the given [start, end) ranges wrapped in <mark>. Offsets count
 * UTF-16 code units, as JavaScript strings do; ranges that overlap, run
 * backwards or fall outside the text are skipped. Text nodes only, never
 * HTML: a snippet is plain text whatever it holds.
 */
export function highlight(text: string, ranges: readonly (readonly number[])[] = []): ReactNode[] {
  const out: ReactNode[] = []
  let at = 0
  for (const [start = 0, end = 0] of [...ranges].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))) {
    if (start < at || end <= start || end > text.length) continue
    if (start > at) out.push(text.slice(at, start))
    out.push(<mark key={start}>{text.slice(start, end)}</mark>)
    at = end
  }
  if (at < text.length) out.push(text.slice(at))
  return out
}

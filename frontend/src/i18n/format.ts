/**
 * Dates and numbers in the UI language. The API sends times as RFC 1123
 * strings in UTC ("Thu, 26 Nov 2026 17:58:16 GMT"); they are shown in the
 * browser's time zone.
 */
import { currentLanguage } from './index'

function parse(value: string | null | undefined): Date | null {
  if (!value) return null
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

export function formatDateTime(value: string | null | undefined, lang = currentLanguage()): string {
  const d = parse(value)
  return d
    ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d)
    : ''
}

export function formatDate(value: string | null | undefined, lang = currentLanguage()): string {
  const d = parse(value)
  return d ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(d) : ''
}

export function formatNumber(value: number | null | undefined, lang = currentLanguage()): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(value ?? 0)
}

/** Ticket numbers are shown zero-padded to 5 digits, as the original did. */
export function ticketNumber(id: number | undefined): string {
  return String(id ?? 0).padStart(5, '0')
}

// Intl formatters are slow to build: one per language, shared by every row.
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>()
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()

/** formatDateTime with a formatter kept per language, for long lists. */
export function formatDateTimeCached(
  value: string | null | undefined,
  lang = currentLanguage(),
): string {
  const d = parse(value)
  if (!d) return ''
  let f = dateTimeFormats.get(lang)
  if (!f) {
    f = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' })
    dateTimeFormats.set(lang, f)
  }
  return f.format(d)
}

const steps: [Intl.RelativeTimeFormatUnit, number, number][] = [
  // unit, its length in seconds, and up to how many seconds it is used
  ['second', 1, 45],
  ['minute', 60, 45 * 60],
  ['hour', 3600, 22 * 3600],
  ['day', 86400, 26 * 86400],
  ['month', 30 * 86400, 320 * 86400],
  ['year', 365 * 86400, Infinity],
]

/** "2 hr. ago", "il y a 2 h", "yesterday": a time relative to now, short. */
export function formatRelative(
  value: string | null | undefined,
  now: number = Date.now(),
  lang = currentLanguage(),
): string {
  const d = parse(value)
  if (!d) return ''
  let f = relativeFormats.get(lang)
  if (!f) {
    f = new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'short' })
    relativeFormats.set(lang, f)
  }
  const seconds = (d.getTime() - now) / 1000
  const abs = Math.abs(seconds)
  if (abs < 45) return f.format(0, 'second')
  for (const [unit, size, upTo] of steps) {
    if (abs < upTo) return f.format(Math.round(seconds / size), unit)
  }
  return ''
}

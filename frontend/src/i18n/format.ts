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

/**
 * Drafts: text being written (a reply, a new ticket) kept in this browser's
 * localStorage as it is typed, per user and per ticket, so that neither a
 * closed tab, a reload nor an expired session (which sends the user to the
 * sign-in page) loses it. A draft is dropped once sent.
 */
import { useEffect, useRef } from 'react'

const prefix = 'flicket.draft'

/** The storage key of one draft of one user (e.g. "reply.45", "new-ticket"). */
export function draftKey(userId: number, name: string): string {
  return `${prefix}.${userId}.${name}`
}

interface Stored<T> {
  savedAt: string
  value: T
}

/** The stored draft, or null (none, unreadable, or not what is expected). */
export function loadDraft<T>(key: string, valid: (v: unknown) => v is T): Stored<T> | null {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(key) ?? 'null')
    if (
      typeof raw === 'object' &&
      raw !== null &&
      'savedAt' in raw &&
      'value' in raw &&
      typeof raw.savedAt === 'string' &&
      valid(raw.value)
    ) {
      return { savedAt: raw.savedAt, value: raw.value }
    }
  } catch {
    // A corrupt draft is forgotten.
  }
  return null
}

/** Keeps value as the draft, or drops the draft when empty. */
export function saveDraft(key: string, value: unknown, empty: boolean): void {
  try {
    if (empty) localStorage.removeItem(key)
    else localStorage.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), value }))
  } catch {
    // Storage full or refused (private mode): the page still works, unsaved.
  }
}

export function clearDraft(key: string): void {
  try {
    localStorage.removeItem(key)
  } catch {
    // As above.
  }
}

/** Saves value as the draft under key whenever it changes (after the first render). */
export function useAutosave(key: string, value: unknown, empty: boolean): void {
  const first = useRef(true)
  const json = JSON.stringify(value)
  useEffect(() => {
    // The first render shows what was loaded; saving it again would only
    // refresh its date.
    if (first.current) {
      first.current = false
      return
    }
    saveDraft(key, JSON.parse(json), empty)
  }, [key, json, empty])
}

export const isString = (v: unknown): v is string => typeof v === 'string'

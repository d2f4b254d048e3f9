/**
 * Keyboard shortcuts for people who work tickets all day. They act on what
 * the page marks with data-shortcut (the search box, the ticket links, the
 * reply box, "assign to me", the close button), so features need not know about them, and
 * they are off while typing in a field, and with Ctrl, Alt or Cmd held.
 */
import { useCallback, useEffect, useState } from 'react'
import { useNavigate } from 'react-router'

/** The keys, in the order the help lists them (keys of shortcuts.*). */
export const shortcutKeys = [
  ['j', 'next'],
  ['k', 'previous'],
  ['Enter', 'open'],
  ['/', 'search'],
  ['c', 'create'],
  ['r', 'reply'],
  ['a', 'assignMe'],
  ['e', 'close'],
  ['?', 'help'],
] as const

/** Typing in a field, or a key held with a modifier: not a shortcut. */
export function isTyping(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return true
  const el = e.target
  if (!(el instanceof HTMLElement)) return false
  if (el.isContentEditable) return true
  const tag = el.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag !== 'INPUT') return false
  const type = (el as HTMLInputElement).type
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type)
}

const marked = (name: string) =>
  Array.from(document.querySelectorAll<HTMLElement>(`[data-shortcut="${name}"]`)).filter(
    (el) => !(el as HTMLButtonElement).disabled,
  )

/** Moves focus along the list's ticket links (j: down, k: up). */
function step(by: 1 | -1): boolean {
  const links = marked('ticket')
  if (links.length === 0) return false
  const at = links.indexOf(document.activeElement as HTMLElement)
  const next =
    at < 0 ? (by > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + by))
  const el = links[next]
  el?.focus()
  el?.scrollIntoView({ block: 'nearest' })
  return true
}

export function useShortcuts(openHelp: () => void) {
  const navigate = useNavigate()
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e)) return
      // A dialog open: its own keys only.
      if (document.querySelector('[role="dialog"]')) return
      let done = false
      switch (e.key) {
        case 'j':
          done = step(1)
          break
        case 'k':
          done = step(-1)
          break
        case '/': {
          // The header's search box, on every page.
          const box = marked('search')[0]
          if (box) {
            box.focus()
            // Typing replaces the last search.
            if (box instanceof HTMLInputElement) box.select()
            done = true
          }
          break
        }
        case 'c':
          void navigate('/tickets/new')
          done = true
          break
        case 'r': {
          const box = marked('reply')[0]
          if (box) {
            box.scrollIntoView({ block: 'center' })
            box.focus()
            done = true
          }
          break
        }
        case 'a': {
          // "Assign to me" on a ticket (shown only when can.claim allows it).
          const me = marked('assign-me')[0]
          if (me) {
            me.click()
            done = true
          }
          break
        }
        case 'e': {
          const close = marked('close')[0]
          if (close) {
            close.click()
            done = true
          }
          break
        }
        case '?':
          openHelp()
          done = true
          break
      }
      if (done) e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [navigate, openHelp])
}

/** The help overlay's state, with the shortcuts that open it. */
export function useShortcutHelp() {
  const [opened, setOpened] = useState(false)
  // Its code loads on the first "?" and then stays, so it can fade out.
  const [loaded, setLoaded] = useState(false)
  const open = useCallback(() => {
    setLoaded(true)
    setOpened(true)
  }, [])
  const close = useCallback(() => setOpened(false), [])
  return { opened, loaded, open, close }
}

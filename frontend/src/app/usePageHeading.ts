import { useEffect, useRef, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'react-router'

/**
 * Each page names the browser tab after its heading ("#00045 Printer on
 * fire · Flicket"), following it as it changes (a ticket's title arrives
 * after its page). On moving to another page, focus goes to the new page's
 * heading, so a screen reader announces it and the keyboard starts from
 * there. A change of the query alone (filters) moves focus only when it came
 * from outside the page (a menu link), never from the page's own fields.
 *
 * @param selector the page's heading inside the container
 */
export function usePageHeading(container: RefObject<HTMLElement | null>, selector = 'h1') {
  const { t } = useTranslation()
  const { pathname, search } = useLocation()
  const app = t('app.title')

  useEffect(() => {
    const root = container.current
    if (!root) return
    const update = () => {
      const text = root.querySelector(selector)?.textContent.trim()
      const title = text && text !== app ? `${text} · ${app}` : app
      if (document.title !== title) document.title = title
    }
    update()
    const watch = new MutationObserver(update)
    watch.observe(root, { subtree: true, childList: true, characterData: true })
    return () => watch.disconnect()
  }, [container, selector, app])

  const firstPath = useRef(true)
  const lastPath = useRef(pathname)
  useEffect(() => {
    const samePath = lastPath.current === pathname
    lastPath.current = pathname
    // The first page of a visit keeps the browser's own starting point.
    if (firstPath.current) {
      firstPath.current = false
      return
    }
    const root = container.current
    if (!root) return
    if (samePath && root.contains(document.activeElement)) return
    // Focus already in one of the page's fields (the reply box after "r"),
    // or on what the page was opened for (a reply a search result matched),
    // stays there.
    const inField = () => {
      const active = document.activeElement
      return (
        root.contains(active) &&
        active?.matches('input, textarea, select, [data-keep-focus]') === true
      )
    }
    const focus = () => {
      if (inField()) return true
      const h = root.querySelector<HTMLElement>(selector)
      if (!h) return false
      h.tabIndex = -1
      h.focus({ preventScroll: true })
      return true
    }
    if (focus()) return
    // The heading comes with the page's data.
    const watch = new MutationObserver(() => {
      if (focus()) watch.disconnect()
    })
    watch.observe(root, { subtree: true, childList: true })
    const giveUp = setTimeout(() => watch.disconnect(), 5000)
    return () => {
      watch.disconnect()
      clearTimeout(giveUp)
    }
  }, [pathname, search, container, selector])
}

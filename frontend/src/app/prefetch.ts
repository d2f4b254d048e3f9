/**
 * The ticket page's data, asked for in parallel with its code: when a link
 * to a ticket is pointed at or focused, and by the route's loader as soon as
 * a navigation to it starts (before its lazy chunk has arrived). The page
 * then finds its queries in flight or done, under the keys it reads.
 */
import { useEffect } from 'react'
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { LoaderFunction } from 'react-router'
import { listPosts, postKeys } from '../features/posts/api'
import { getTicket, listActions, listSubscribers, ticketKeys } from '../features/tickets/api'
import { fetchSession, sessionKey } from './session'

export const loadTicketRoute = () => import('./TicketRoute')

/** Starts (or reuses) every request the ticket page makes first. */
export function prefetchTicketPage(qc: QueryClient, id: number, page = 1): void {
  if (!Number.isInteger(id) || id <= 0) return
  // Errors stay in the cache for the page to show; nothing to do here.
  const quiet = () => undefined
  qc.query({ queryKey: ticketKeys.one(id), queryFn: () => getTicket(id) }).catch(quiet)
  qc.query({ queryKey: postKeys.page(id, page), queryFn: () => listPosts(id, page) }).catch(quiet)
  qc.query({ queryKey: ticketKeys.actions(id), queryFn: () => listActions(id) }).catch(quiet)
  qc.query({
    queryKey: ticketKeys.subscribers(id),
    queryFn: () => listSubscribers(id),
  }).catch(quiet)
}

/**
 * The /tickets/:id loader: starts the page's requests and returns at once,
 * so the navigation waits for nothing more than the code. Signed out (or
 * not known yet, on a first visit), it waits for the session in the
 * background first: a signed-out browser asks for nothing.
 */
export function ticketLoader(qc: QueryClient): LoaderFunction {
  return ({ params, request }) => {
    const id = Number(params.id)
    const page = Math.max(1, Number(new URL(request.url).searchParams.get('page')) || 1)
    void qc
      .query({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 'static' })
      .then((user) => {
        if (user) prefetchTicketPage(qc, id, page)
      })
      .catch(() => undefined)
    return null
  }
}

const ticketPath = /^\/tickets\/(\d+)$/

/** Prefetches a ticket's page (code and data) when a link to it is pointed at or focused. */
export function usePrefetchTicketLinks(): void {
  const qc = useQueryClient()
  useEffect(() => {
    const onIntent = (e: Event) => {
      const a = e.target instanceof Element ? e.target.closest('a[href]') : null
      if (!(a instanceof HTMLAnchorElement) || a.origin !== window.location.origin) return
      const m = ticketPath.exec(a.pathname)
      if (!m || a.search.includes('post=') || a.hash) return
      void loadTicketRoute()
      prefetchTicketPage(qc, Number(m[1]))
    }
    document.addEventListener('pointerover', onIntent)
    document.addEventListener('focusin', onIntent)
    return () => {
      document.removeEventListener('pointerover', onIntent)
      document.removeEventListener('focusin', onIntent)
    }
  }, [qc])
}

/**
 * The ticket page's data, asked for in parallel with its code: when a link
 * to a ticket is pointed at or focused, and by the route's loader as soon as
 * a navigation to it starts (before its lazy chunk has arrived). It is one
 * request, GET /ticket/{id}?include=..., whose parts the page's chunk shares
 * out into the caches each component reads (ticketPageData.ts): the page
 * then draws from them without asking again.
 */
import { useEffect } from 'react'
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { LoaderFunction } from 'react-router'
import { api, unwrap } from '../api/client'
import type { Success } from '../api/types'
import { fetchSession, sessionKey } from './session'

export const loadTicketRoute = () => import('./TicketRoute')

/** The ticket with every part its page draws first. */
export type TicketPageData = Success<'/flicket-api/ticket/{id}', 'get'>

/**
 * Which page of replies the ticket page opens on: the one holding a linked
 * reply (?post=), else the one holding the first unread reply, else ?page=
 * (the server picks it, as the page would). The #post- form is left to the
 * page: a loader's request has no fragment.
 */
export interface TicketPageWant {
  page: number
  post: number | 'unread'
}

export function ticketPageWant(search: string): TicketPageWant {
  const q = new URLSearchParams(search)
  const post = Number(q.get('post'))
  return {
    page: Math.max(1, Number(q.get('page')) || 1),
    post: Number.isInteger(post) && post > 0 ? post : 'unread',
  }
}

const ticketPageKey = (id: number, want: TicketPageWant) =>
  ['ticket-page', id, want.page, want.post] as const

/**
 * The one request, shared by the loader, the links and the page. Its key is
 * outside ['ticket', id]: a change to the ticket refreshes each part on its
 * own, never this. The answer is shared out once the page's code is there.
 */
export function ticketPageQuery(qc: QueryClient, id: number, want: TicketPageWant) {
  return {
    queryKey: ticketPageKey(id, want),
    queryFn: async (): Promise<TicketPageData> => {
      const [data, route] = await Promise.all([
        unwrap(
          api.GET('/flicket-api/ticket/{id}', {
            params: {
              path: { id },
              query: {
                include: 'posts,actions,subscribers,uploads,seen',
                post: String(want.post),
                ...(want.page > 1 ? { page: want.page } : {}),
              },
            },
          }),
        ),
        loadTicketRoute(),
      ])
      route.seedTicketPage(qc, id, want, data)
      return data
    },
    retryOnMount: false,
    refetchOnReconnect: false,
  }
}

/** Starts (or reuses) the request the ticket page makes first. */
export function prefetchTicketPage(qc: QueryClient, id: number, want: TicketPageWant): void {
  if (!Number.isInteger(id) || id <= 0) return
  // Errors stay in the cache for the page to show; nothing to do here.
  qc.query(ticketPageQuery(qc, id, want)).catch(() => undefined)
}

/**
 * The /tickets/:id loader: starts the page's request and returns at once,
 * so the navigation waits for nothing more than the code. Signed out (or
 * not known yet, on a first visit), it waits for the session in the
 * background first: a signed-out browser asks for nothing.
 */
export function ticketLoader(qc: QueryClient): LoaderFunction {
  return ({ params, request }) => {
    const want = ticketPageWant(new URL(request.url).search)
    void qc
      .query({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 'static' })
      .then((user) => {
        if (user) prefetchTicketPage(qc, Number(params.id), want)
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
      if (!m) return
      void loadTicketRoute()
      prefetchTicketPage(qc, Number(m[1]), ticketPageWant(a.search))
    }
    document.addEventListener('pointerover', onIntent)
    document.addEventListener('focusin', onIntent)
    return () => {
      document.removeEventListener('pointerover', onIntent)
      document.removeEventListener('focusin', onIntent)
    }
  }, [qc])
}

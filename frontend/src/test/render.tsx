import { MantineProvider } from '@mantine/core'
import { QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactNode } from 'react'
import { MemoryRouter, Route, Routes } from 'react-router'
import type { Me } from '../api/types'
import { newQueryClient } from '../app/App'
import { SessionProvider, sessionKey } from '../app/session'
import '../i18n'

interface RenderOptions {
  /** The route's pattern, for pages that read parameters (/users/:id). */
  path?: string
  url?: string
  /**
   * The signed-in user (null: nobody), known before the first render; when
   * left out the session comes from GET /flicket-api/session.
   */
  user?: Me | null
}

/** A query client that already knows the session's user (unless undefined). */
export function clientFor(user: Me | null | undefined) {
  const qc = newQueryClient()
  if (user !== undefined) qc.setQueryData(sessionKey, user)
  return qc
}

/** Renders a page inside the app's providers, at the given URL. */
export function renderPage(
  element: ReactNode,
  { path = '/', url = '/', user }: RenderOptions = {},
) {
  return render(
    // env="test": no transitions and no portals (dropdowns open at once, in place).
    <MantineProvider env="test">
      <QueryClientProvider client={clientFor(user)}>
        <SessionProvider>
          <MemoryRouter initialEntries={[url]}>
            <Routes>
              <Route path={path} element={element} />
              <Route path="*" element={<div data-testid="elsewhere" />} />
            </Routes>
          </MemoryRouter>
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>,
  )
}

/** An answer: [status, JSON body], or a function of the request that returns one. */
export type MockAnswer = [number, unknown?] | ((url: URL, body: unknown) => [number, unknown?])

/**
 * Answers fetch calls by "METHOD path" (without the query) with JSON bodies;
 * a path not listed gets 204. Returns the calls, in order.
 */
export function mockApi(routes: Record<string, MockAnswer>) {
  const calls: { method: string; path: string; query: URLSearchParams; body: unknown }[] = []
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    // Relative paths (multipart uploads) resolve against the page, as in a browser.
    const req =
      input instanceof Request ? input : new Request(new URL(String(input), location.href), init)
    const url = new URL(req.url)
    const text = req.method === 'GET' ? '' : await req.text()
    const json = req.headers.get('Content-Type')?.includes('json') === true
    const body: unknown = !text ? undefined : json ? JSON.parse(text) : text
    calls.push({ method: req.method, path: url.pathname, query: url.searchParams, body })
    const route = routes[`${req.method} ${url.pathname}`]
    if (!route) return new Response(null, { status: 204 })
    const [status, answer] = typeof route === 'function' ? route(url, body) : route
    return new Response(answer === undefined ? null : JSON.stringify(answer), {
      status,
      headers: { 'Content-Type': 'application/json' },
    })
  }
  return calls
}

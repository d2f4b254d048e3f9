import { MantineProvider } from '@mantine/core'
import { QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactNode } from 'react'
import { MemoryRouter, Route, Routes } from 'react-router'
import { newQueryClient } from '../app/App'
import { SessionProvider } from '../app/session'
import '../i18n'

/** Renders a page inside the app's providers, at the given URL. */
export function renderPage(element: ReactNode, { path = '/', url = '/' } = {}) {
  return render(
    <MantineProvider>
      <QueryClientProvider client={newQueryClient()}>
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

/** Answers fetch calls by "METHOD path" with JSON bodies. */
export function mockApi(routes: Record<string, [number, unknown?]>) {
  const calls: { method: string; path: string; body: unknown }[] = []
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init)
    const url = new URL(req.url)
    const text = req.method === 'GET' ? '' : await req.text()
    calls.push({
      method: req.method,
      path: url.pathname,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    })
    const hit = routes[`${req.method} ${url.pathname}`]
    if (!hit) return new Response(null, { status: 204 })
    const [status, body] = hit
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    })
  }
  return calls
}

import { MantineProvider, createTheme } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { setNonce } from 'get-nonce'
import { RouterProvider } from 'react-router'
import { isApiError } from '../api/errors'
import { createRouter } from './router'
import { SessionProvider } from './session'

const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
})

/**
 * The CSP nonce the server put in index.html for this response: Mantine's
 * <style> elements carry it, so the policy needs no 'unsafe-inline'.
 */
function styleNonce(): string {
  const v = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? ''
  return v === '__CSP_NONCE__' ? '' : v
}

const nonce = styleNonce()
// Modals lock scrolling with a <style> element (react-remove-scroll), which
// takes its nonce from get-nonce.
if (nonce) setNonce(nonce)

export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // Client errors (403, 404, 422) will not get better by retrying.
        retry: (n, e) => n < 2 && !(isApiError(e) && e.status >= 400 && e.status < 500),
      },
    },
  })
}

export function App() {
  const [qc] = useState(newQueryClient)
  const [router] = useState(createRouter)
  return (
    <MantineProvider theme={theme} getStyleNonce={() => nonce}>
      <Notifications position="top-right" />
      <QueryClientProvider client={qc}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  )
}

import { MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, Suspense, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { setNonce } from 'get-nonce'
import { RouterProvider } from 'react-router'
import { useNotifications } from '@mantine/notifications'
import { isApiError } from '../api/errors'
import { createRouter } from './router'
import { SessionProvider } from './session'

// Every text and its background at 4.5:1 or more (WCAG AA, checked by axe in
// the e2e run): the darker shade 8 for filled colours and links, text on a
// filled colour black or white by its luminance, and darker greys for
// secondary text and placeholders than Mantine's defaults (3.3:1 and 2.1:1).
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  autoContrast: true,
  luminanceThreshold: 0.18,
  defaultRadius: 'sm',
})

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#575e66',
    '--mantine-color-placeholder': '#656c73',
    '--mantine-color-error': '#c92a2a',
  },
  dark: {},
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

// The toasts' container comes with the first toast: notifications.show()
// only writes to a store, which the container shows once it mounts.
const Notifications = lazy(() => import('./Toasts'))

function Toasts() {
  const { notifications } = useNotifications()
  const [needed, setNeeded] = useState(false)
  if (notifications.length > 0 && !needed) setNeeded(true)
  return needed ? (
    <Suspense fallback={null}>
      <Notifications position="top-right" />
    </Suspense>
  ) : null
}

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
  const [router] = useState(() => createRouter(qc))
  const { t } = useTranslation()
  // Words Mantine's components say themselves, in the user's language.
  const localTheme = useMemo(
    () =>
      createTheme({
        ...theme,
        components: {
          PasswordInput: {
            defaultProps: {
              visibilityToggleButtonProps: { 'aria-label': t('common.togglePassword') },
            },
          },
          // A toast's close button (e.g. after "e" closed a ticket).
          Notification: { defaultProps: { closeButtonProps: { 'aria-label': t('common.close') } } },
        },
      }),
    [t],
  )
  return (
    <MantineProvider
      theme={localTheme}
      cssVariablesResolver={cssVariablesResolver}
      getStyleNonce={() => nonce}
    >
      <Toasts />
      <QueryClientProvider client={qc}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  )
}

import { MantineProvider } from '@mantine/core'
import { QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import { RouterProvider, createMemoryRouter } from 'react-router'
import type { Me } from '../api/types'
import { routes } from '../app/router'
import { SessionProvider } from '../app/session'
import { clientFor } from './render'

/** Renders the whole app (its routes, guards and layout) at the given URL. */
export function renderApp(url: string, user: Me | null) {
  const router = createMemoryRouter(routes, { initialEntries: [url] })
  return render(
    // env="test": no transitions and no portals (dropdowns open at once, in place).
    <MantineProvider env="test">
      <QueryClientProvider client={clientFor(user)}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>,
  )
}

/**
 * The SPA's routes (shared with the backend's e-mails and CSV links, see
 * BRIEF): every page is loaded on demand, so the first load carries only
 * the shell.
 */
import type { QueryClient } from '@tanstack/react-query'
import { createBrowserRouter, type RouteObject } from 'react-router'
import { RouteErrorPage, NotFoundPage } from './ErrorPages'
import { Layout, PageLoader } from './Layout'
import { PublicLayout } from './PublicLayout'
import { RequireAnonymous, RequireAuth, RequireCan } from './guards'
import { loadTicketRoute, ticketLoader } from './prefetch'

/**
 * The routes; with a query client, the ticket page's loader starts its
 * requests in parallel with its code (see prefetch.ts).
 */
export const makeRoutes = (qc?: QueryClient): RouteObject[] => [
  {
    errorElement: <RouteErrorPage />,
    HydrateFallback: PageLoader,
    children: [
      {
        element: <PublicLayout />,
        children: [
          {
            element: <RequireAnonymous />,
            children: [
              {
                path: '/login',
                lazy: async () => ({
                  Component: (await import('../features/auth/LoginPage')).LoginPage,
                }),
              },
            ],
          },
          {
            path: '/forgot-password',
            lazy: async () => ({
              Component: (await import('../features/auth/ForgotPasswordPage')).ForgotPasswordPage,
            }),
          },
          {
            path: '/reset-password',
            lazy: async () => ({
              Component: (await import('../features/auth/ResetPasswordPage')).ResetPasswordPage,
            }),
          },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <Layout />,
            children: [
              {
                index: true,
                lazy: async () => ({
                  Component: (await import('../features/dashboard/DashboardPage')).DashboardPage,
                }),
              },
              {
                path: '/tickets',
                lazy: async () => ({
                  Component: (await import('../features/tickets/TicketListPage')).TicketListPage,
                }),
              },
              {
                path: '/tickets/new',
                lazy: async () => ({
                  Component: (await import('../features/tickets/CreateTicketPage'))
                    .CreateTicketPage,
                }),
              },
              {
                path: '/tickets/:id',
                // Defined here, not in lazy(): a static loader runs at once,
                // beside the chunk's download.
                ...(qc ? { loader: ticketLoader(qc) } : {}),
                lazy: async () => ({ Component: (await loadTicketRoute()).TicketRoute }),
              },
              {
                path: '/departments',
                lazy: async () => ({
                  Component: (await import('../features/departments/DepartmentsPage'))
                    .DepartmentsPage,
                }),
              },
              {
                path: '/users',
                lazy: async () => ({
                  Component: (await import('../features/users/UsersPage')).UsersPage,
                }),
              },
              {
                path: '/users/:id',
                lazy: async () => ({
                  Component: (await import('../features/users/ProfilePage')).ProfilePage,
                }),
              },
              {
                path: '/settings',
                lazy: async () => ({
                  Component: (await import('../features/users/SettingsPage')).SettingsPage,
                }),
              },
              {
                path: '/markdown-help',
                lazy: async () => ({
                  Component: (await import('./MarkdownHelpPage')).MarkdownHelpPage,
                }),
              },
              {
                path: '/admin',
                children: [
                  {
                    element: <RequireCan can="manage_users" />,
                    children: [
                      {
                        path: 'users',
                        lazy: async () => ({
                          Component: (await import('../features/admin/AdminUsersPage'))
                            .AdminUsersPage,
                        }),
                      },
                      {
                        path: 'groups',
                        lazy: async () => ({
                          Component: (await import('../features/admin/GroupsPage')).GroupsPage,
                        }),
                      },
                    ],
                  },
                  {
                    element: <RequireCan can="manage_config" />,
                    children: [
                      {
                        path: 'config',
                        lazy: async () => ({
                          Component: (await import('../features/admin/ConfigPage')).ConfigPage,
                        }),
                      },
                      {
                        path: 'mail',
                        lazy: async () => ({
                          Component: (await import('../features/admin/OutboxPage')).OutboxPage,
                        }),
                      },
                    ],
                  },
                ],
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]

export const routes = makeRoutes()

export const createRouter = (qc: QueryClient) => createBrowserRouter(makeRoutes(qc))

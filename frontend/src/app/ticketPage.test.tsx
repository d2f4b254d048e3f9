/**
 * Issue 13, point 7: the ticket page draws from one request, GET
 * /ticket/{id}?include=..., whose parts fill each component's cache.
 */
import { MantineProvider } from '@mantine/core'
import { QueryClientProvider } from '@tanstack/react-query'
import { act, render, screen, waitFor } from '@testing-library/react'
import { RouterProvider, createMemoryRouter } from 'react-router'
import { describe, expect, it } from 'vitest'
import type { Schema } from '../api/types'
import { meFixture, pageOf, postFixture, ticketDetailFixture } from '../test/fixtures'
import { renderApp } from '../test/app'
import { clientFor, mockApi } from '../test/render'
import { routes } from './router'
import { SessionProvider } from './session'
import { ticketPageWant } from './prefetch'

const me = meFixture({ id: 7, username: 'tess' })

const subscriber: Schema<'Subscription'> = {
  id: 3,
  ticket_id: 45,
  user_id: 9,
  user_def: 'Sam Subscriber',
  username: 'sam',
  can: { remove: false },
  links: { self: '', subscriptions: '', ticket: '', user: '' },
}

const action: Schema<'Action'> = {
  id: 4,
  action: 'claim',
  data: null,
  date: 'Thu, 26 Nov 2026 17:58:16 GMT',
  post_id: null,
  recipient: null,
  recipient_id: null,
  ticket_id: 45,
  user: { id: 9, name: 'Sam Subscriber', username: 'sam' },
  user_id: 9,
  links: { actions: '', self: '' },
}

/** The one answer: the ticket, replies 151–152 (page 2 of 2), and the rest. */
function oneAnswer(seen: Schema<'TicketSeenState'>) {
  return {
    ...ticketDetailFixture({ id: 45, title: 'Printer on fire' }),
    posts: pageOf(
      [
        postFixture({ id: 151, content_html: '<p>Reply one-five-one</p>' }),
        postFixture({ id: 152, content_html: '<p>Reply one-five-two</p>' }),
      ],
      { page: 2, total_pages: 2, total_items: 52 },
    ),
    actions: pageOf([action]),
    subscribers: pageOf([subscriber]),
    uploads: pageOf([]),
    seen,
  }
}

const ticketData = /^\/flicket-api\/(ticket\/\d+$|posts\/|actions\/|subscriptions\/|uploads)/

describe('the ticket page', () => {
  it('is drawn from one GET, then marked seen', async () => {
    const calls = mockApi({
      'GET /flicket-api/ticket/45': [
        200,
        oneAnswer({
          first_unread_post_id: 152,
          last_seen_post_id: 150,
          new_replies: 1,
          seen_at: 'Wed, 25 Nov 2026 17:58:16 GMT',
        }),
      ],
    })
    renderApp('/tickets/45', me)
    expect(await screen.findByTestId('ticket-heading')).toHaveTextContent('Printer on fire')
    expect(await screen.findByText('Reply one-five-two')).toBeInTheDocument()
    expect(screen.getByTestId('subscriber')).toHaveTextContent('Sam Subscriber')
    expect(screen.getAllByTestId('action-line')).toHaveLength(1)
    // What was new is said at once, from the first answer.
    expect(screen.getByTestId('new-replies')).toHaveTextContent('1 new reply since your last visit')
    await waitFor(() =>
      expect(document.getElementById('post-152')).toHaveAttribute('data-matched', 'true'),
    )
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true))

    const reads = calls.filter((c) => c.method === 'GET' && ticketData.test(c.path))
    expect(reads).toHaveLength(1)
    expect(reads[0]?.query.get('include')).toBe('posts,actions,subscribers,uploads,seen')
    expect(reads[0]?.query.get('post')).toBe('unread')
    // The mark moves after the answer that said what was new.
    const order = calls.map((c) => `${c.method} ${c.path}`)
    expect(order.indexOf('PUT /flicket-api/ticket/45/seen')).toBeGreaterThan(
      order.indexOf('GET /flicket-api/ticket/45'),
    )
  })

  it('asks for the page of a linked reply, and finds it there', async () => {
    const calls = mockApi({
      'GET /flicket-api/ticket/45': [
        200,
        oneAnswer({
          first_unread_post_id: null,
          last_seen_post_id: 152,
          new_replies: 0,
          seen_at: null,
        }),
      ],
    })
    renderApp('/tickets/45?post=151', me)
    await waitFor(() =>
      expect(document.getElementById('post-151')).toHaveAttribute('data-matched', 'true'),
    )
    const reads = calls.filter((c) => c.method === 'GET' && ticketData.test(c.path))
    expect(reads).toHaveLength(1)
    expect(reads[0]?.query.get('post')).toBe('151')
    expect(screen.queryByTestId('new-replies')).toBeNull()
  })

  it('shows a missing ticket as not found, after its one request', async () => {
    const calls = mockApi({
      'GET /flicket-api/ticket/46': [
        404,
        {
          error: 'Not Found',
          message: 'The ticket was not found.',
          code: 'not_found',
          errors: [],
          params: {},
        },
      ],
    })
    renderApp('/tickets/46', me)
    expect(await screen.findByTestId('page-404')).toBeInTheDocument()
    expect(calls.filter((c) => c.method === 'GET' && ticketData.test(c.path))).toHaveLength(1)
    // Nothing to mark seen.
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0)
  })

  it('shows a ticket seen minutes ago at once, while its request refreshes it', async () => {
    mockApi({
      'GET /flicket-api/ticket/45': [
        200,
        oneAnswer({
          first_unread_post_id: null,
          last_seen_post_id: 152,
          new_replies: 0,
          seen_at: null,
        }),
      ],
      'GET /flicket-api/ticket/46': [
        404,
        { error: 'Not Found', message: '', code: 'not_found', errors: [], params: {} },
      ],
    })
    const qc = clientFor(me)
    const router = createMemoryRouter(routes, { initialEntries: ['/tickets/45'] })
    render(
      <MantineProvider env="test">
        <QueryClientProvider client={qc}>
          <SessionProvider>
            <RouterProvider router={router} />
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>,
    )
    expect(await screen.findByTestId('ticket-heading')).toHaveTextContent('Printer on fire')
    await act(() => router.navigate('/tickets/46'))
    expect(await screen.findByTestId('page-404')).toBeInTheDocument()
    // Minutes later: its request is stale, and the server is slow to answer.
    await act(() => qc.invalidateQueries({ queryKey: ['ticket-page'] }))
    globalThis.fetch = () => new Promise<Response>(() => undefined)
    await act(() => router.navigate('/tickets/45'))
    expect(await screen.findByTestId('ticket-heading')).toHaveTextContent('Printer on fire')
    expect(screen.getByTestId('subscriber')).toHaveTextContent('Sam Subscriber')
  })

  it('reads what to ask for from the address', () => {
    expect(ticketPageWant('')).toEqual({ page: 1, post: 'unread' })
    expect(ticketPageWant('?page=3')).toEqual({ page: 3, post: 'unread' })
    expect(ticketPageWant('?post=17&page=0')).toEqual({ page: 1, post: 17 })
    expect(ticketPageWant('?post=abc')).toEqual({ page: 1, post: 'unread' })
  })
})

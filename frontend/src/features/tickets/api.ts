import { api, unwrap } from '../../api/client'
import { idempotencyHeader } from '../../api/idempotency'
import type { Schema, TicketFilters } from '../../api/types'

export const ticketKeys = {
  all: ['tickets'] as const,
  list: (q: TicketFilters, page: number) => ['tickets', 'list', q, page] as const,
  one: (id: number) => ['ticket', id] as const,
  actions: (id: number) => ['ticket', id, 'actions'] as const,
  history: (id: number) => ['ticket', id, 'history'] as const,
  subscribers: (id: number) => ['ticket', id, 'subscribers'] as const,
  uploads: (id: number) => ['ticket', id, 'uploads'] as const,
}

export const listTickets = (q: TicketFilters, page: number) =>
  unwrap(api.GET('/flicket-api/tickets/', { params: { query: { ...q, page } } }))

export const getTicket = (id: number) =>
  unwrap(api.GET('/flicket-api/ticket/{id}', { params: { path: { id } } }))

export const createTicket = (body: Schema<'TicketCreate'>, key?: string) =>
  unwrap(api.POST('/flicket-api/tickets', { body, params: { header: idempotencyHeader(key) } }))

export const updateTicket = (id: number, body: Schema<'TicketUpdate'>) =>
  unwrap(api.PATCH('/flicket-api/ticket/{id}', { params: { path: { id } }, body }))

export const deleteTicket = (id: number) =>
  unwrap(api.DELETE('/flicket-api/ticket/{id}', { params: { path: { id } } }))

export const assignTicket = (id: number, userId: number) =>
  unwrap(
    api.POST('/flicket-api/ticket/{id}/assign', {
      params: { path: { id } },
      body: { user_id: userId },
    }),
  )

export const claimTicket = (id: number) =>
  unwrap(api.POST('/flicket-api/ticket/{id}/claim', { params: { path: { id } } }))

export const releaseTicket = (id: number) =>
  unwrap(api.POST('/flicket-api/ticket/{id}/release', { params: { path: { id } } }))

export const closeTicket = (id: number) =>
  unwrap(api.POST('/flicket-api/ticket/{id}/close', { params: { path: { id } } }))

export const setTicketStatus = (id: number, statusId: number) =>
  unwrap(
    api.POST('/flicket-api/ticket/{id}/status', {
      params: { path: { id } },
      body: { status_id: statusId },
    }),
  )

export const changePriority = (id: number, priorityId: number) =>
  unwrap(
    api.POST('/flicket-api/ticket/{id}/priority', {
      params: { path: { id } },
      body: { ticket_priority_id: priorityId },
    }),
  )

export const changeCategory = (id: number, categoryId: number) =>
  unwrap(
    api.POST('/flicket-api/ticket/{id}/category', {
      params: { path: { id } },
      body: { category_id: categoryId },
    }),
  )

export const listActions = async (ticketId: number) =>
  (
    await unwrap(
      api.GET('/flicket-api/actions/{ticket_id}', {
        params: { path: { ticket_id: ticketId }, query: { per_page: 100 } },
      }),
    )
  ).items

export const listTicketHistory = async (ticketId: number) =>
  (
    await unwrap(
      api.GET('/flicket-api/histories/', {
        params: { query: { topic_id: ticketId, per_page: 100 } },
      }),
    )
  ).items

export const listSubscribers = async (ticketId: number) =>
  (
    await unwrap(
      api.GET('/flicket-api/subscriptions/{ticket_id}/', {
        params: { path: { ticket_id: ticketId }, query: { per_page: 100 } },
      }),
    )
  ).items

export const subscribe = (ticketId: number, userId: number, key?: string) =>
  unwrap(
    api.POST('/flicket-api/subscriptions', {
      body: { ticket_id: ticketId, user_id: userId },
      params: { header: idempotencyHeader(key) },
    }),
  )

export const unsubscribe = (subscriptionId: number) =>
  unwrap(api.DELETE('/flicket-api/subscription/{id}', { params: { path: { id: subscriptionId } } }))

export const listTicketUploads = async (ticketId: number) =>
  (
    await unwrap(
      api.GET('/flicket-api/uploads/', {
        params: { query: { ticket_id: ticketId, per_page: 100 } },
      }),
    )
  ).items

/** The header's search as you type: a few of the best matches, cancelled when stale. */
export const quickSearch = (q: string, signal?: AbortSignal) =>
  unwrap(api.GET('/flicket-api/tickets/', { params: { query: { q, per_page: 8 } }, signal }))

/** One change to several tickets; the answer lists each ticket's outcome. */
export const bulkTickets = (body: Schema<'TicketBulk'>, key?: string) =>
  unwrap(
    api.POST('/flicket-api/tickets/bulk', { body, params: { header: idempotencyHeader(key) } }),
  )

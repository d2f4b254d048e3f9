/**
 * The ticket page's first answer (GET /ticket/{id}?include=..., started in
 * prefetch.ts) shared out into the caches the page's components read: the
 * ticket, its page of replies, activity, subscribers and attachments, and
 * the page a linked or first unread reply is on. Each is then refreshed on
 * its own, by its own request, when something changes.
 */
import type { QueryClient } from '@tanstack/react-query'
import { postKeys } from '../features/posts/api'
import { ticketKeys } from '../features/tickets/api'
import type { TicketPageData, TicketPageWant } from './prefetch'

export function seedTicketPage(
  qc: QueryClient,
  id: number,
  want: TicketPageWant,
  data: TicketPageData,
): void {
  const { posts, actions, subscribers, uploads, seen, ...ticket } = data
  qc.setQueryData(ticketKeys.one(id), ticket)
  if (actions) qc.setQueryData(ticketKeys.actions(id), actions.items)
  if (subscribers) qc.setQueryData(ticketKeys.subscribers(id), subscribers.items)
  if (uploads) qc.setQueryData(ticketKeys.uploads(id), uploads.items)
  if (!posts) return
  const page = posts._meta.page
  qc.setQueryData(postKeys.page(id, page), posts)
  const holds = (postId: number) => posts.items.some((p) => p.id === postId)
  // The server gave the page holding the linked reply, when it is one of
  // this ticket's: not on it, it is on none.
  if (typeof want.post === 'number') {
    qc.setQueryData(postKeys.find(id, want.post), holds(want.post) ? page : null)
  }
  const unread = seen?.first_unread_post_id
  if (unread != null && holds(unread)) qc.setQueryData(postKeys.find(id, unread), page)
}

/**
 * "Last seen" per ticket: opening a ticket marks it seen, and the answer says
 * what was new since the previous visit (issue 13 §4).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../api/client'
import { ticketKeys } from './api'

export const markTicketSeen = (id: number, postId?: number) =>
  unwrap(
    api.PUT('/flicket-api/ticket/{id}/seen', {
      params: { path: { id } },
      body: postId === undefined ? {} : { post_id: postId },
    }),
  )

/**
 * Marks the ticket seen once per visit (a query, so a double mount shares
 * one request and the first answer, which holds what was new) and refreshes
 * the lists, whose unread flags it changes.
 */
export function useMarkSeen(id: number) {
  const qc = useQueryClient()
  return useQuery({
    queryKey: [...ticketKeys.one(id), 'seen'],
    queryFn: async () => {
      const seen = await markTicketSeen(id)
      void qc.invalidateQueries({ queryKey: ['tickets', 'list'] })
      void qc.invalidateQueries({ queryKey: ['my'] })
      return seen
    },
    enabled: id > 0,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  })
}

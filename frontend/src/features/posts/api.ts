import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../api/client'
import { idempotencyHeader } from '../../api/idempotency'
import type { Schema } from '../../api/types'

export const postKeys = {
  page: (ticketId: number, page: number) => ['posts', ticketId, page] as const,
  /** useFindPost's answer: the page holding a reply (null: none does). */
  find: (ticketId: number, postId: number | null) =>
    ['posts', ticketId, 0, 'find', postId] as const,
  history: (postId: number) => ['post', postId, 'history'] as const,
}

export const listPosts = (ticketId: number, page: number) =>
  unwrap(
    api.GET('/flicket-api/posts/{ticket_id}/{page}/', {
      params: { path: { ticket_id: ticketId, page } },
    }),
  )

export const createPost = (body: Schema<'CreatePostRequest'>, key?: string) =>
  unwrap(api.POST('/flicket-api/posts', { body, params: { header: idempotencyHeader(key) } }))

export const updatePost = (id: number, body: Schema<'UpdatePostRequest'>) =>
  unwrap(api.PATCH('/flicket-api/post/{id}', { params: { path: { id } }, body }))

export const deletePost = (id: number) =>
  unwrap(api.DELETE('/flicket-api/post/{id}', { params: { path: { id } } }))

export const listPostHistory = async (postId: number) =>
  (
    await unwrap(
      api.GET('/flicket-api/histories/', { params: { query: { post_id: postId, per_page: 100 } } }),
    )
  ).items

/**
 * The page of the ticket's replies (at the default page size) that holds
 * postId, or null when none does: read page by page through the same cache
 * the reply list uses, so the page found is shown at once.
 */
export function useFindPost(ticketId: number, postId: number | null) {
  const qc = useQueryClient()
  return useQuery({
    queryKey: postKeys.find(ticketId, postId),
    enabled: postId !== null,
    staleTime: Infinity,
    queryFn: async () => {
      for (let page = 1; ; page++) {
        const res = await qc.query({
          queryKey: postKeys.page(ticketId, page),
          queryFn: () => listPosts(ticketId, page),
        })
        if (res.items.some((p) => p.id === postId)) return page
        if (page >= res._meta.total_pages) return null
      }
    },
  })
}

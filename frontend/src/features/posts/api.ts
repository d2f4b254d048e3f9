import { api, unwrap } from '../../api/client'
import { idempotencyHeader } from '../../api/idempotency'
import type { Schema } from '../../api/types'

export const postKeys = {
  page: (ticketId: number, page: number) => ['posts', ticketId, page] as const,
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

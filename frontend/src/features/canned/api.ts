/** Canned replies: the user's own snippets and the shared ones. */
import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '../../api/client'
import type { Schema } from '../../api/types'

export type CannedReply = Schema<'CannedReply'>

export const cannedKeys = { all: ['my', 'canned-replies'] as const }

export const listCanned = () => unwrap(api.GET('/flicket-api/me/canned-replies'))

export const createCanned = (body: Schema<'CannedReplyCreate'>) =>
  unwrap(api.POST('/flicket-api/me/canned-replies', { body }))

export const updateCanned = (id: number, body: Schema<'CannedReplyUpdate'>) =>
  unwrap(api.PATCH('/flicket-api/me/canned-replies/{id}', { params: { path: { id } }, body }))

export const deleteCanned = (id: number) =>
  unwrap(api.DELETE('/flicket-api/me/canned-replies/{id}', { params: { path: { id } } }))

/** Loaded when the menu first opens (enabled), then kept a minute. */
export function useCannedReplies(enabled: boolean) {
  return useQuery({ queryKey: cannedKeys.all, queryFn: listCanned, staleTime: 60_000, enabled })
}
